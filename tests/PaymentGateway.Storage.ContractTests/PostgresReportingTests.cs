using Microsoft.Extensions.Options;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Storage;
using PaymentGateway.Storage.Postgres;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

/// <summary>
/// PostgreSQL only: the reporting_v1 schema for BI tools (read through the read-only role, which may not touch the live
/// tables) and rollup pages applied by two nodes at once.
/// </summary>
public sealed class PostgresReportingTests : IAsyncLifetime
{
    private static CancellationToken Ct => CancellationToken.None;

    private string? _name;
    private string _connectionString = string.Empty;
    private GatewayStores? _store;

    private GatewayStores Store => _store ?? throw new InvalidOperationException("No PostgreSQL server.");

    public async Task InitializeAsync()
    {
        if (PostgresTestServer.ConnectionString is null)
        {
            return;
        }

        (_name, _connectionString) = await PostgresTestServer.CreateDatabaseAsync();
        _store = PostgresStores.Open(_connectionString);
        await _store.Maintenance.MigrateAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_name is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_name);
        }
    }

    private static Payment Succeeded(string merchant, string currency, long amount, string brandMethod)
    {
        var p = Payment(merchant, status: PaymentStatus.Succeeded);
        p = new Payment
        {
            Id = p.Id,
            MerchantId = merchant,
            Livemode = false,
            Status = PaymentStatus.Succeeded,
            Amount = amount,
            Currency = currency,
            AmountReceived = amount,
            AmountRefunded = 300,
            PaymentMethodId = brandMethod,
            Provider = "adyen",
            Created = T0,
            Updated = T0,
            Metadata = new Dictionary<string, string> { ["country"] = "nl" },
        };
        var attempt = PaymentWriter.AddAttempt(p, "adyen", "pa_1", brandMethod, T0);
        attempt.Status = AttemptStatus.Captured;
        attempt.LatencyMs = 230;
        return p;
    }

    [PostgresFact]
    public async Task Reporting_views_answer_the_reporting_role_which_cannot_read_or_write_the_live_tables()
    {
        var merchant = NewMerchantId();
        var method = new StoredPaymentMethod
        {
            Id = Ids.New(Ids.PaymentMethod),
            MerchantId = merchant,
            Livemode = false,
            Type = "card",
            Created = T0,
            Card = new StoredCard { Brand = "visa", Last4 = "4242", ExpMonth = 12, ExpYear = 2030, Fingerprint = "fp" },
        };
        var payment = Succeeded(merchant, "EUR", 1999, method.Id);
        var refund = Refund(payment, status: RefundStatus.Succeeded);
        await Store.Payments.CommitAsync(Changes(c =>
        {
            c.NewPaymentMethods.Add(method);
            c.NewPayments.Add(payment);
            c.NewRefunds.Add(refund);
            c.Events.Add(EventFactory.ForPayment(payment, EventTypes.PaymentSucceeded, T0));
        }), Ct);
        await new ReportRollupJob(Store.Reports, Options.Create(new ReportOptions()), new Later()).RunOnceAsync(Ct);

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await Exec(connection, "SET ROLE paymentgateway_reporting;");

        await using (var read = new NpgsqlCommand("""
            SELECT p.amount, p.currency, p.card_brand, p.country, p.provider_account, p.status, a.latency_ms, a.sequence,
                   (SELECT SUM(r.amount) FROM reporting_v1.refunds r WHERE r.payment_id = p.id),
                   (SELECT SUM(d.captured_amount) FROM reporting_v1.daily_rollups d WHERE d.merchant_id = p.merchant_id AND d.day = DATE '2025-03-14'),
                   (SELECT COUNT(*) FROM reporting_v1.events e WHERE e.object_id = p.id)
            FROM reporting_v1.payments p JOIN reporting_v1.attempts a ON a.payment_id = p.id WHERE p.id = $1;
            """, connection))
        {
            read.Parameters.AddWithValue(payment.Id);
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal((1999L, "EUR", "visa", "NL", "pa_1", "succeeded"), (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
            Assert.Equal((230, 1), (reader.GetInt32(6), reader.GetInt32(7)));
            Assert.Equal(refund.Amount, (long)reader.GetDecimal(8));
            Assert.Equal(1999L, (long)reader.GetDecimal(9));
            Assert.Equal(1L, reader.GetInt64(10));
        }

        foreach (var sql in new[]
        {
            "SELECT COUNT(*) FROM public.payments;",
            "SELECT COUNT(*) FROM public.payment_methods;",
            "SELECT COUNT(*) FROM public.report_rollups;",
            "UPDATE public.payments SET status = 'failed';",
            "UPDATE reporting_v1.events SET type = 'x';",
            "DELETE FROM reporting_v1.events;",
            "CREATE TABLE reporting_v1.mine (x int);",
        })
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => Exec(connection, sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        }

        // Views over expressions are not writable by anyone; the role is refused before that matters.
        foreach (var sql in new[] { "UPDATE reporting_v1.refunds SET amount = 0;", "DELETE FROM reporting_v1.payments;" })
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => Exec(connection, sql));
            Assert.Contains(e.SqlState, new[] { PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.FeatureNotSupported, PostgresErrorCodes.ObjectNotInPrerequisiteState });
        }

        await using (var count = new NpgsqlCommand("SELECT COUNT(*) FROM reporting_v1.events WHERE object_id = $1 AND type = 'payment.succeeded';", connection))
        {
            count.Parameters.AddWithValue(payment.Id);
            Assert.Equal(1L, await count.ExecuteScalarAsync());
        }

        foreach (var view in new[] { "payments", "refunds", "attempts", "events", "settlement_lines", "settlement_payouts", "daily_rollups" })
        {
            await Exec(connection, $"SELECT * FROM reporting_v1.{view} LIMIT 1;");
        }
    }

    [PostgresFact]
    public async Task Rollup_pages_applied_by_two_nodes_at_once_count_every_event_once()
    {
        await using var other = PostgresStores.Open(_connectionString);
        var merchant = NewMerchantId();
        var events = new List<GatewayEvent>();
        var payments = Enumerable.Range(0, 40).Select(i => Succeeded(merchant, i % 2 == 0 ? "EUR" : "USD", 100 + i, "pm_x")).ToList();
        await Store.Payments.CommitAsync(Changes(c =>
        {
            c.NewPayments.AddRange(payments);
            foreach (var p in payments)
            {
                var e = EventFactory.ForPayment(p, EventTypes.PaymentSucceeded, T0);
                c.Events.Add(e);
                events.Add(e);
            }
        }), Ct);
        var context = await Store.Reports.LoadReportContextAsync([.. payments.Select(p => p.Id)], Ct);
        ReportRollupBatch Batch(IReadOnlyList<GatewayEvent> page) => new()
        {
            Events = page,
            StateKeys = ReportFacts.StateKeysOf(page),
            Decide = (fresh, states) => ReportFacts.Apply(fresh, states, context),
        };

        // Both nodes apply overlapping pages (each event is in two of them) at the same time.
        var pages = Enumerable.Range(0, 8).Select(i => (IReadOnlyList<GatewayEvent>)events.Skip(i * 5).Take(10).ToList()).ToList();
        var counted = await Task.WhenAll(pages.Select((page, i) => Task.Run(async () =>
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return await (i % 2 == 0 ? Store : other).Reports.ApplyReportRollupAsync(Batch(page), Ct);
                }
                catch (PostgresException e) when (attempt < 5 && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation)
                {
                    // The job retries a page whose transaction lost a race; nothing of it was written.
                }
            }
        })));

        Assert.Equal(40, counted.Sum());
        var rows = await Store.Reports.QueryReportRollupsAsync(new ReportRollupQuery
        {
            MerchantId = merchant,
            Livemode = false,
            FromMs = 0,
            ToMs = long.MaxValue / 2,
            GroupBy = [ReportDimension.Currency],
        }, Ct);
        Assert.Equal([20L, 20L], rows.OrderBy(r => r.Currency).Select(r => r.Counters[ReportMeasures.Captured]));
        Assert.Equal(Enumerable.Range(0, 20).Sum(i => 100L + (2 * i)), rows.Single(r => r.Currency == "EUR").Counters[ReportMeasures.CapturedAmount]);
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Later : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddHours(1);
    }
}
