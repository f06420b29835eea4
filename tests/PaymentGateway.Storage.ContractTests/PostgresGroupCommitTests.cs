using Npgsql;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;
using PaymentGateway.Storage.Postgres;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>
/// Group commit on PostgreSQL (<c>PostgresGroupCommitter</c>): concurrent change sets share one transaction, and a
/// failing one is answered alone while the rest of its group commits. One writer loop, so that a burst of concurrent
/// commits queues behind the one in flight and the groups are large. The whole contract suite also runs grouped
/// (<see cref="PostgresGatewayStoreTests"/>).
/// </summary>
[RequiresPostgres]
public sealed class PostgresGroupCommitTests : IAsyncLifetime
{
    private static CancellationToken Ct => CancellationToken.None;

    private string _databaseName = string.Empty;
    private string _connectionString = string.Empty;
    private PostgresDatabase _database = null!;
    private GatewayStores _store = null!;

    public async Task InitializeAsync()
    {
        (_databaseName, _connectionString) = await PostgresTestServer.CreateDatabaseAsync();
        _database = new PostgresDatabase(_connectionString, groupCommitWriters: 1);
        _store = PostgresStores.Create(_database);
        await _store.Maintenance.MigrateAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await PostgresTestServer.DropDatabaseAsync(_databaseName);
    }

    [PostgresFact]
    public async Task Concurrent_commits_share_transactions_and_every_one_lands_once()
    {
        var merchant = NewMerchantId();
        var payments = Enumerable.Range(0, 300).Select(_ => Payment(merchant)).ToList();
        await Task.WhenAll(payments.Select(p => Task.Run(() => _store.Payments.CommitAsync(Changes(c =>
        {
            c.NewPayments.Add(p);
            c.Events.Add(Event(merchant, p.Id));
        }), Ct))));

        Assert.Equal(300L, await ScalarAsync("SELECT COUNT(*) FROM payments WHERE merchant_id = $1;", merchant));
        Assert.Equal(300L, await ScalarAsync("SELECT COUNT(DISTINCT object_id) FROM events WHERE merchant_id = $1;", merchant));
        var (commits, units) = _database.GroupCommitStatistics!.Value;
        Assert.True(units >= 300, $"{units} change sets went through the group committer");
        Assert.True(commits < units, $"{units} change sets in {commits} commits: none was grouped");
    }

    [PostgresFact]
    public async Task A_failing_change_set_fails_alone_and_the_rest_of_its_group_commits()
    {
        var merchant = NewMerchantId();
        var contested = Payment(merchant);
        await _store.Payments.CommitAsync(Changes(c => c.NewPayments.Add(contested)), Ct);

        // 40 updates of one payment at the same version, 40 claims of one idempotency key and 120 unrelated payments,
        // interleaved, all at once: one update and one claim win, every unrelated payment lands.
        var work = new List<Func<Task>>();
        for (var i = 0; i < 40; i++)
        {
            var copy = Copy(contested);
            copy.Status = PaymentStatus.Canceled;
            copy.ProviderReference = $"update-{i}";
            var at = T0.AddSeconds(i);
            work.Add(() => _store.Payments.CommitAsync(Changes(c =>
            {
                c.UpdatedPayments.Add(copy);
                c.Events.Add(Event(merchant, copy.Id, created: at));
            }), Ct));

            var claimed = Payment(merchant);
            work.Add(() => _store.Payments.CommitAsync(Changes(c =>
            {
                c.NewPayments.Add(claimed);
                c.Idempotency = new IdempotencyKeyChanges
                {
                    MerchantId = merchant,
                    Key = "one-key",
                    Claim = new IdempotencyKeyClaim("hash", "seed", T0.AddMinutes(1), T0),
                    Response = new IdempotentResponse(200, "{\"id\":\"" + claimed.Id + "\"}"),
                };
            }), Ct));

            for (var j = 0; j < 3; j++)
            {
                var other = Payment(merchant);
                work.Add(() => _store.Payments.CommitAsync(Changes(c => c.NewPayments.Add(other)), Ct));
            }
        }

        var outcomes = await Task.WhenAll(work.Select(w => Task.Run(async () =>
        {
            try
            {
                await w();
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        })));

        var failures = outcomes.Where(o => o is not null).ToList();
        Assert.Equal(78, failures.Count);
        Assert.Equal(39, failures.Count(f => f is ConcurrencyConflictException));
        Assert.Equal(39, failures.Count(f => f is IdempotencyKeyTakenException));

        // Nothing of a failed change set was written: one update (version 1, one event), one claimed payment.
        Assert.Equal(1L, await ScalarAsync("SELECT version FROM payments WHERE id = $1;", contested.Id));
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM events WHERE object_id = $1;", contested.Id));
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM idempotency_keys WHERE merchant_id = $1;", merchant));
        Assert.Equal(1 + 1 + 120L, await ScalarAsync("SELECT COUNT(*) FROM payments WHERE merchant_id = $1;", merchant));
        var body = (string)(await ScalarAsync("SELECT response_body FROM idempotency_keys WHERE merchant_id = $1;", merchant))!;
        var winner = body.Split('"')[3];
        Assert.NotNull(await _store.Payments.GetPaymentByIdAsync(winner, Ct));
    }

    [PostgresFact]
    public async Task Change_sets_with_audit_entries_and_grouped_ones_commit_side_by_side()
    {
        var merchant = NewMerchantId();
        var grouped = Enumerable.Range(0, 50).Select(_ => Payment(merchant)).ToList();
        var tasks = grouped.Select(p => Task.Run(() => _store.Payments.CommitAsync(Changes(c => c.NewPayments.Add(p)), Ct))).ToList();
        tasks.Add(Task.Run(() => _store.Payments.CommitAsync(Changes(c =>
        {
            c.Settings["group-commit-test"] = "on";
            c.AuditRecords.Add(new AuditRecord
            {
                Created = T0,
                Action = "setting.updated",
                Actor = AuditActor.AdminKey,
                MerchantId = merchant,
                TargetType = "setting",
                TargetId = "group-commit-test",
                Context = new AuditContext { Ip = "127.0.0.1", UserAgent = "contract", RequestId = "req_group" },
            });
        }), Ct)));
        await Task.WhenAll(tasks);

        Assert.Equal(50L, await ScalarAsync("SELECT COUNT(*) FROM payments WHERE merchant_id = $1;", merchant));
        Assert.Equal("on", await ScalarAsync("SELECT value FROM settings WHERE name = 'group-commit-test';"));
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM audit_entries WHERE target_id = 'group-commit-test';"));
    }

    private async Task<object?> ScalarAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return await command.ExecuteScalarAsync(Ct);
    }
}
