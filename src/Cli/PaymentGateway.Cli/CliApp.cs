using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaymentGateway.Cli;

/// <summary>The <c>pgw</c> command tree. Every command prints one line per failure on stderr and exits with a code
/// from <see cref="ExitCodes"/>; <c>--json</c> prints the API's JSON instead of the human lines.</summary>
public static class CliApp
{
    public const string DefaultBaseUrl = "http://127.0.0.1:5080";

    private static readonly Option<string> ProfileOption = new("--profile") { Description = "The saved login to use (pgw login --profile NAME).", DefaultValueFactory = _ => "default", Recursive = true };
    private static readonly Option<string?> ApiKeyOption = new("--api-key") { Description = "A secret key for this command only (else PGW_API_KEY, else the profile).", Recursive = true };
    private static readonly Option<string?> BaseUrlOption = new("--base-url") { Description = "The gateway (else PGW_BASE_URL, else the profile, else " + DefaultBaseUrl + ").", Recursive = true };
    private static readonly Option<bool> JsonOption = new("--json") { Description = "Print the API's JSON (for scripts) instead of text.", Recursive = true };

    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(env);
        var root = Build(env);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await env.Error.WriteLineAsync($"pgw: {error.Message}").ConfigureAwait(false);
            }
            await env.Error.WriteLineAsync("Run pgw --help for the commands.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = env.Out, Error = env.Error, EnableDefaultExceptionHandler = false }, ct)
                .ConfigureAwait(false);
        }
        catch (CliException ex)
        {
            await env.Error.WriteLineAsync($"pgw: {ex.Message}").ConfigureAwait(false);
            return ex.ExitCode;
        }
    }

    private static RootCommand Build(CliEnvironment env)
    {
        var root = new RootCommand("pgw: the PaymentGateway command line (docs/cli.md).");
        root.Options.Add(ProfileOption);
        root.Options.Add(ApiKeyOption);
        root.Options.Add(BaseUrlOption);
        root.Options.Add(JsonOption);
        root.Subcommands.Add(Login(env));
        root.Subcommands.Add(Logout(env));
        root.Subcommands.Add(Listen.Command(env));
        root.Subcommands.Add(Trigger.Command(env));
        root.Subcommands.Add(Payments(env));
        root.Subcommands.Add(Events(env));
        root.Subcommands.Add(Logs.Command(env));
        root.Subcommands.Add(Exports.Command(env));
        return root;
    }

    /// <summary>The gateway and key for a command: options first, then the environment, then the profile.</summary>
    internal static GatewayHttp Connect(ParseResult parsed, CliEnvironment env)
    {
        var profileName = parsed.GetValue(ProfileOption) ?? "default";
        var profile = new ProfileStore(env.ConfigDirectory).Read().Profiles.GetValueOrDefault(profileName);
        var key = parsed.GetValue(ApiKeyOption) ?? env.Variable("PGW_API_KEY") ?? ProfileKey(profileName, profile, env)
                  ?? throw new CliException(ExitCodes.Authentication, $"no key: run pgw login{(profileName == "default" ? "" : $" --profile {profileName}")}, or pass --api-key or PGW_API_KEY");
        return new GatewayHttp(BaseUrl(parsed.GetValue(BaseUrlOption) ?? env.Variable("PGW_BASE_URL") ?? profile?.BaseUrl ?? DefaultBaseUrl), key);
    }

    /// <summary>A saved profile's key: from the file, or from the key store the profile names.</summary>
    private static string? ProfileKey(string name, Profile? profile, CliEnvironment env)
    {
        if (profile is null)
        {
            return null;
        }
        if (KeyStores.Named(profile.KeyStore, env) is not { } store)
        {
            return profile.ApiKey;
        }
        return store.Read(name, profile.ProtectedKey)
               ?? throw new CliException(ExitCodes.Authentication, $"the key of profile '{name}' is no longer in the {profile.KeyStore} key store; run pgw login again");
    }

    internal static bool Json(ParseResult parsed) => parsed.GetValue(JsonOption);

    internal static async Task PrintJsonAsync(CliEnvironment env, JsonElement json) =>
        await env.Out.WriteLineAsync(JsonSerializer.Serialize(json, CliJson.Default.JsonElement)).ConfigureAwait(false);

    private static Uri BaseUrl(string value) =>
        Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliException(ExitCodes.Usage, $"--base-url '{value}' is not an http:// or https:// URL");

    private static Command Login(CliEnvironment env)
    {
        var keyStore = new Option<string>("--key-store")
        {
            Description = "auto (default): the operating system's key store where it offers one (Secret Service, macOS keychain, Windows DPAPI), else the file; file: always the profile file (0600).",
            DefaultValueFactory = _ => "auto",
        };
        keyStore.AcceptOnlyFromAmong("auto", KeyStores.File);
        var command = new Command("login", "Check a secret key against the gateway and save it (with the gateway's URL) as a profile.") { keyStore };
        command.SetAction(async (parsed, ct) =>
        {
            var key = parsed.GetValue(ApiKeyOption) ?? env.Variable("PGW_API_KEY")
                      ?? throw new CliException(ExitCodes.Usage, "pgw login needs the key: --api-key sk_test_… (or PGW_API_KEY)");
            if (!key.StartsWith("sk_", StringComparison.Ordinal))
            {
                throw new CliException(ExitCodes.Usage, "pgw login takes a secret key (sk_test_… or sk_live_…), not a publishable or admin key");
            }
            var baseUrl = BaseUrl(parsed.GetValue(BaseUrlOption) ?? env.Variable("PGW_BASE_URL") ?? DefaultBaseUrl);
            using (var http = new GatewayHttp(baseUrl, key))
            {
                await http.GetAsync("v1/events?limit=1", ct).ConfigureAwait(false); // 401 here: the key is wrong
            }
            var name = parsed.GetValue(ProfileOption) ?? "default";
            var store = new ProfileStore(env.ConfigDirectory);
            var mode = key.StartsWith("sk_live_", StringComparison.Ordinal) ? "live" : "test";
            var hint = $"{mode} key ending {key[^4..]}";
            var url = baseUrl.ToString().TrimEnd('/');
            string where;
            if (parsed.GetValue(keyStore) != KeyStores.File && KeyStores.Offered(env) is { } vault && vault.TrySave(name, key, out var protectedKey))
            {
                store.Save(name, new Profile { BaseUrl = url, KeyStore = vault.Name, ProtectedKey = protectedKey, KeyHint = hint });
                where = $"the key in the {vault.Name} key store, the profile in {store.FilePath}";
            }
            else
            {
                store.Save(name, new Profile { BaseUrl = url, ApiKey = key, KeyHint = hint });
                where = $"saved in {store.FilePath}{(OperatingSystem.IsWindows() ? "" : " (readable by you only)")}";
            }
            await env.Out.WriteLineAsync($"Logged in to {url} as profile '{name}' with a {hint}; {where}.").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Logout(CliEnvironment env)
    {
        var command = new Command("logout", "Forget a profile: remove it from the profile file and its key from the key store.");
        command.SetAction(async (parsed, ct) =>
        {
            var name = parsed.GetValue(ProfileOption) ?? "default";
            var store = new ProfileStore(env.ConfigDirectory);
            if (!store.Read().Profiles.TryGetValue(name, out var profile))
            {
                throw new CliException(ExitCodes.Usage, $"there is no profile '{name}' in {store.FilePath}");
            }
            if (profile.KeyStore != KeyStores.File && KeyStores.Offered(env) is { } vault && vault.Name == profile.KeyStore)
            {
                vault.Delete(name);
            }
            store.Remove(name);
            await env.Out.WriteLineAsync($"Logged out of profile '{name}'.").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Payments(CliEnvironment env)
    {
        var payments = new Command("payments", "List, show and refund payments.");

        var limit = new Option<int>("--limit") { Description = "How many, newest first (1-100).", DefaultValueFactory = _ => 10 };
        var status = new Option<string?>("--status") { Description = "Only payments in this status (succeeded, requires_capture, …)." };
        var list = new Command("list", "List payments, newest first.") { limit, status };
        list.SetAction(async (parsed, ct) =>
        {
            using var http = Connect(parsed, env);
            var query = $"v1/payments?limit={parsed.GetValue(limit).ToString(CultureInfo.InvariantCulture)}"
                        + (parsed.GetValue(status) is { } s ? $"&status={Uri.EscapeDataString(s)}" : "");
            var page = await http.GetAsync(query, ct).ConfigureAwait(false);
            if (Json(parsed))
            {
                await PrintJsonAsync(env, page).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            foreach (var p in page.GetProperty("data").EnumerateArray())
            {
                await env.Out.WriteLineAsync(PaymentLine(p)).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });

        var id = new Argument<string>("id") { Description = "The payment (pay_…)." };
        var get = new Command("get", "Show one payment.") { id };
        get.SetAction(async (parsed, ct) =>
        {
            using var http = Connect(parsed, env);
            var payment = await http.GetAsync($"v1/payments/{Uri.EscapeDataString(parsed.GetValue(id) ?? "")}", ct).ConfigureAwait(false);
            await (Json(parsed) ? PrintJsonAsync(env, payment) : env.Out.WriteLineAsync(PaymentLine(payment))).ConfigureAwait(false);
            return ExitCodes.Ok;
        });

        var refundId = new Argument<string>("id") { Description = "The payment to refund (pay_…)." };
        var amount = new Option<long?>("--amount") { Description = "Minor units (500 = 5.00); the whole remaining amount when absent." };
        var reason = new Option<string?>("--reason") { Description = "duplicate, fraudulent or requested_by_customer." };
        var refund = new Command("refund", "Refund a payment, in full or in part.") { refundId, amount, reason };
        refund.SetAction(async (parsed, ct) =>
        {
            using var http = Connect(parsed, env);
            var body = new JsonObject { ["payment"] = parsed.GetValue(refundId) };
            if (parsed.GetValue(amount) is { } a)
            {
                body["amount"] = a;
            }
            if (parsed.GetValue(reason) is { } r)
            {
                body["reason"] = r;
            }
            var created = await http.PostAsync("v1/refunds", body, ct).ConfigureAwait(false);
            await (Json(parsed) ? PrintJsonAsync(env, created)
                : env.Out.WriteLineAsync($"{Str(created, "id")}  {Str(created, "status")}  {Money(created, "amount")} of {Str(created, "payment")}")).ConfigureAwait(false);
            return ExitCodes.Ok;
        });

        payments.Subcommands.Add(list);
        payments.Subcommands.Add(get);
        payments.Subcommands.Add(refund);
        return payments;
    }

    private static Command Events(CliEnvironment env)
    {
        var events = new Command("events", "Work with the event log.");
        var id = new Argument<string>("id") { Description = "The event (evt_…)." };
        var endpoint = new Option<string?>("--webhook-endpoint") { Description = "Only this endpoint (we_…); by default every enabled endpoint that receives the event's type." };
        var resend = new Command("resend", "Deliver an event to the webhook endpoints again (a new attempt, signed now).") { id, endpoint };
        resend.SetAction(async (parsed, ct) =>
        {
            using var http = Connect(parsed, env);
            var body = new JsonObject();
            if (parsed.GetValue(endpoint) is { } we)
            {
                body["webhook_endpoint"] = we;
            }
            var deliveries = await http.PostAsync($"v1/events/{Uri.EscapeDataString(parsed.GetValue(id) ?? "")}/redeliver", body, ct).ConfigureAwait(false);
            if (Json(parsed))
            {
                await PrintJsonAsync(env, deliveries).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            var count = 0;
            foreach (var d in deliveries.GetProperty("data").EnumerateArray())
            {
                count++;
                await env.Out.WriteLineAsync($"{Str(d, "id")}  {Str(d, "webhook_endpoint")}  {Str(d, "status")}").ConfigureAwait(false);
            }
            if (count == 0)
            {
                await env.Out.WriteLineAsync("No webhook endpoint receives this event's type: nothing was sent.").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        });
        events.Subcommands.Add(resend);
        return events;
    }

    internal static string PaymentLine(JsonElement p) =>
        $"{Str(p, "id")}  {Str(p, "status"),-16}  {Money(p, "amount")}"
        + (p.TryGetProperty("amount_refunded", out var r) && r.ValueKind == JsonValueKind.Number && r.GetInt64() > 0 ? $"  refunded {r.GetInt64().ToString(CultureInfo.InvariantCulture)}" : "")
        + (p.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.String ? $"  {c.GetString()}" : "");

    internal static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static string Money(JsonElement e, string name) =>
        $"{(e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64().ToString(CultureInfo.InvariantCulture) : "?")} {Str(e, "currency")}";
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
internal sealed partial class CliJson : System.Text.Json.Serialization.JsonSerializerContext;
