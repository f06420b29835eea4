using System.Text;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>Runs every test card through every flow on a fresh gateway, stops it, and scans all its files for card data.</summary>
public sealed class CardDataLeakTests
{
    [Fact]
    public async Task AfterEveryFlow_NoCardNumberOrCvcIsOnDisk()
    {
        // MinAge above any request's duration: the reconciler must only see the unknown-outcome payments (see MultiNodeReconcilerTests).
        var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:Reconciler:MinAge"] = "00:00:01" });
        string dataDirectory;
        var sentCvcs = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            dataDirectory = server.DataDirectory;
            var merchant = await server.CreateMerchantAsync("Leak check");
            var sk = server.Client(merchant.SecretKey);
            var pk = server.Client(merchant.PublishableKey);
            using var browser = Steps.NoRedirectClient(server);
            var processing = new List<string>();

            foreach (var number in TestCards.All.Append(TestCards.UnlistedVisa))
            {
                foreach (var captureMethod in new[] { "automatic", "manual" })
                {
                    var cvc = TestCards.CvcFor(number);
                    sentCvcs.Add(cvc);

                    // Tokenize formatted, with an idempotency key, and with a holder name.
                    var pm = (await pk.PostAsync("/v1/payment_methods", new
                    {
                        type = "card",
                        card = new { number = Spaced(number), exp_month = 11, exp_year = DateTime.UtcNow.Year + 2, cvc },
                        holder_name = "Card Holder",
                    }, "tok-" + Guid.NewGuid().ToString("N"))).EnsureStatus(200).Str("id");

                    var payment = await sk.PostAsync("/v1/payments", new
                    {
                        amount = 2000,
                        currency = "EUR",
                        capture_method = captureMethod,
                        payment_method = pm,
                        confirm = true,
                        return_url = "https://shop.example/done",
                        description = "leak check",
                    }, "pay-" + Guid.NewGuid().ToString("N"));
                    Assert.True(payment.Status is 200 or 402, payment.Body);
                    var id = payment.Status == 402 ? payment.Json.GetProperty("payment").GetProperty("id").GetString() : payment.Str("id");

                    switch (payment.Status == 200 ? payment.Str("status") : "failed")
                    {
                        case "requires_action":
                            var url = payment.Json.GetProperty("next_action").GetProperty("redirect_to_url").GetProperty("url").GetString()!;
                            using (await browser.GetAsync(url))
                            using (await browser.PostAsync(url, new FormUrlEncodedContent([new KeyValuePair<string, string>("outcome", captureMethod == "manual" ? "pass" : "fail")])))
                            {
                            }

                            break;
                        case "processing":
                            processing.Add(id!);
                            break;
                        case "requires_capture":
                            (await sk.PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = 1500 })).EnsureStatus(200);
                            (await sk.PostAsync("/v1/refunds", new { payment = id, amount = 500 })).EnsureStatus(200);
                            break;
                        case "succeeded":
                            (await sk.PostAsync("/v1/refunds", new { payment = id })).EnsureStatus(200);
                            break;
                    }
                }
            }

            // Saved cards: saved on a payment and in setup mode, charged off session, updated, detached, erased with the customer.
            foreach (var number in new[] { TestCards.MitApproved, TestCards.AuthenticationRequiredOffSession, TestCards.ExpiredSinceSaving })
            {
                sentCvcs.Add(TestCards.CvcFor(number));
                var customer = await SavedCardSteps.CustomerAsync(server, merchant);
                var (_, saved) = await SavedCardSteps.SaveCardAsync(server, merchant, customer, number);
                var setupMethod = await Steps.TokenizeAsync(server, merchant, number);
                var setup = (await sk.PostAsync("/v1/payments", new { mode = "setup", currency = "EUR", customer, payment_method = setupMethod, confirm = true, return_url = "https://shop.example/r" }))
                    .EnsureStatus(200);
                await SavedCardSteps.PassChallengeIfAskedAsync(server, merchant, setup);
                var charge = await SavedCardSteps.ChargeOffSessionAsync(server, merchant, customer, saved);
                Assert.True(charge.Status is 200 or 402, charge.Body);
                (await sk.SendAsync(HttpMethod.Patch, $"/v1/payment_methods/{saved}", """{"exp_month":10,"exp_year":2040}""", null)).EnsureStatus(200);
                (await sk.SendAsync(HttpMethod.Delete, $"/v1/customers/{customer}/payment_methods/{setupMethod}", null, null)).EnsureStatus(200);
                (await sk.SendAsync(HttpMethod.Delete, $"/v1/customers/{customer}", null, null)).EnsureStatus(200);
            }

            // Bad inputs carrying card numbers must not leak either.
            await pk.PostAsync("/v1/payment_methods", new { type = "card", card = new { number = TestCards.Visa, exp_month = 1, exp_year = 2001, cvc = "737" } });
            await pk.PostAsync("/v1/payment_methods", new { type = "card", card = new { number = TestCards.Visa, exp_month = 1, exp_year = DateTime.UtcNow.Year + 1, cvc = "73" } });
            await pk.PostRawAsync("/v1/payment_methods", $$$"""{"type":"card","card":{"number":"{{{TestCards.Mastercard}}}","exp_month":1,"exp_year":2030,"cvv":"737"}}""");
            await sk.PostAsync("/v1/payment_methods", new { type = "card", card = new { number = TestCards.Amex, exp_month = 1, exp_year = DateTime.UtcNow.Year + 1, cvc = "1234" } });
            await sk.PostRawAsync("/v1/payments", $$"""{"amount":100,"currency":"EUR","description":"{{TestCards.Visa}}","card_number":"{{TestCards.Visa}}"}""");

            // Let the reconciler finish the unknown-outcome payments so its work is on disk too.
            foreach (var id in processing)
            {
                var resolved = await Steps.PollPaymentAsync(sk, id, p => p.Str("status") != "processing", TimeSpan.FromSeconds(10));
                Assert.NotEqual("processing", resolved.Str("status"));
            }

            (await sk.GetAsync("/v1/events?limit=100")).EnsureStatus(200);
        }
        finally
        {
            await server.DisposeAsync();
        }

        var files = Directory.GetFiles(dataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => Path.GetFileName(f) == "gateway.db");
        Assert.Contains(files, f => f == server.LogFile);
        Assert.True(new FileInfo(server.LogFile).Length > 0, "the log file is empty: logs were not captured");
        Assert.Contains("Reconciled payment", await File.ReadAllTextAsync(server.LogFile), StringComparison.Ordinal);

        var needles = new List<string> { "\"cvc\"" };
        foreach (var number in TestCards.All.Append(TestCards.UnlistedVisa))
        {
            needles.Add(number);
            needles.Add(Spaced(number));
            needles.Add(string.Join('-', Groups(number)));
        }

        var leaks = new List<string>();
        foreach (var file in files)
        {
            var text = Encoding.Latin1.GetString(await ReadSharedAsync(file));
            foreach (var needle in needles)
            {
                if (text.Contains(needle, StringComparison.Ordinal)
                    || text.Contains(Encoding.Latin1.GetString(Encoding.Unicode.GetBytes(needle)), StringComparison.Ordinal))
                {
                    leaks.Add($"{Path.GetFileName(file)} contains {needle}");
                }
            }
        }

        Assert.Empty(leaks);
        Assert.NotEmpty(sentCvcs);
    }

    private static string Spaced(string number) => string.Join(' ', Groups(number));

    /// <summary>Groups as printed on cards: 4-6-5 for 15-digit Amex, fours otherwise.</summary>
    private static IEnumerable<string> Groups(string number) => number.Length == 15
        ? [number[..4], number[4..10], number[10..]]
        : Enumerable.Range(0, (number.Length + 3) / 4).Select(i => number.Substring(i * 4, Math.Min(4, number.Length - (i * 4))));

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}

[Collection(GatewayCollection.Name)]
public sealed class FirstRunTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task FirstStart_PrintsDemoKeysThatWork()
    {
        Assert.Matches("^sk_test_[A-Za-z0-9]{32}$", Server.DemoSecretKey);
        Assert.Matches("^pk_test_[A-Za-z0-9]{32}$", Server.DemoPublishableKey);
        Assert.Contains(Server.DemoSecretKey, Server.ConsoleOutput, StringComparison.Ordinal);
        Assert.Contains(Server.DemoPublishableKey, Server.ConsoleOutput, StringComparison.Ordinal);

        (await Server.Client(Server.DemoSecretKey).GetAsync("/v1/payments")).EnsureStatus(200);
        var pm = (await Server.Client(Server.DemoPublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = TestCards.Visa, exp_month = 12, exp_year = DateTime.UtcNow.Year + 1, cvc = "737" },
        })).EnsureStatus(200);
        var payment = (await Server.Client(Server.DemoSecretKey).PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method = pm.Str("id"), confirm = true })).EnsureStatus(200);
        Assert.Equal("succeeded", payment.Str("status"));
        Problem.Assert(await Server.Client(Server.DemoPublishableKey).GetAsync("/v1/payments"), 403, "secret_key_required");
    }

    [Fact]
    public async Task Keys_AreNotStoredOrLoggedInClear()
    {
        var merchant = await Server.CreateMerchantAsync();

        // An api key created with an Idempotency-Key: its stored replay must not hold the secret in clear.
        var admin = Server.Client(Server.AdminKey);
        var key = "key-" + Guid.NewGuid().ToString("N");
        var created = (await admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys", new { type = "secret" }, key)).EnsureStatus(200);
        var replay = (await admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys", new { type = "secret" }, key)).EnsureStatus(200);
        Assert.Equal(created.Str("secret"), replay.Str("secret"));

        var secrets = new[] { Server.DemoSecretKey, Server.DemoPublishableKey, merchant.SecretKey, merchant.PublishableKey, created.Str("secret")!, Server.AdminKey };
        var files = Directory.GetFiles(Server.DataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => Path.GetFileName(f) == "gateway.db");
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            var text = Encoding.Latin1.GetString(buffer.ToArray());
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{Path.GetFileName(file)} holds a key in clear ({secret[..8]}…)");
            }
        }
    }
}
