using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using PaymentGateway.Core;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>A console page as the browser received it.</summary>
public sealed partial record ConsolePage(int Status, string Body, string? Location, HttpResponseMessage Response)
{
    /// <summary>The anti-forgery token of the page's first form.</summary>
    public string? Token => TokenPattern().Match(Body) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

/// <summary>A console user made for a test, with the password and TOTP key it signs in with.</summary>
public sealed class ConsoleTestUser(string id, string email, string password, string? totpSecret)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _lastStep;

    public string Id { get; } = id;

    public string Email { get; } = email;

    public string Password { get; } = password;

    public string? TotpSecret { get; } = totpSecret;

    /// <summary>
    /// A TOTP code not used before, for the current 30-second step or the next (the gateway accepts one step of drift
    /// either way and each step once); waits for the next step when both were used. Call it right before posting.
    /// </summary>
    public async Task<string> NextCodeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            while (true)
            {
                var now = DateTimeOffset.UtcNow;
                var step = now.ToUnixTimeSeconds() / 30;
                var use = Math.Max(step, _lastStep + 1);
                if (use <= step + 1)
                {
                    _lastStep = use;
                    return new Totp(Base32Encoding.ToBytes(TotpSecret ?? throw new InvalidOperationException("No TOTP key."))).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(use * 30).UtcDateTime);
                }

                await Task.Delay(TimeSpan.FromSeconds(((step + 1) * 30) - now.ToUnixTimeSeconds() + 0.2));
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>
/// A browser without a browser: cookies, no automatic redirects, forms posted with the page's anti-forgery token, and
/// the full sign-in (password, then the TOTP code).
/// </summary>
public sealed class ConsoleClient : IDisposable
{
    public const string DefaultPassword = "correct horse battery staple 42";

    private readonly HttpClient _http;

    public ConsoleClient(Uri baseAddress, string? userAgent = null)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = baseAddress };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent ?? "ConsoleTests/1.0");
    }

    public CookieContainer Cookies { get; }

    public Uri BaseAddress => _http.BaseAddress ?? throw new InvalidOperationException();

    public string? SessionCookie => Cookies.GetCookies(BaseAddress)["pg_console"]?.Value;

    public async Task<ConsolePage> GetAsync(string path)
    {
        var response = await _http.GetAsync(path);
        return new ConsolePage((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString, response);
    }

    /// <summary>Posts a form to <paramref name="path"/> with the anti-forgery token read from <paramref name="formPage"/> (default: the same path).</summary>
    public async Task<ConsolePage> PostFormAsync(string path, IDictionary<string, string?> fields, string? formPage = null, bool withToken = true)
    {
        var form = fields.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value ?? string.Empty);
        if (withToken)
        {
            var page = await GetAsync(formPage ?? path);
            form["__RequestVerificationToken"] = page.Token ?? throw new InvalidOperationException($"No anti-forgery token on {formPage ?? path} (status {page.Status}, location {page.Location}).");
        }

        var response = await _http.PostAsync(path, new FormUrlEncodedContent(form));
        return new ConsolePage((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString, response);
    }

    /// <summary>Signs in with password and (when the user has one) the next TOTP code; returns the last response (302 to the console).</summary>
    public async Task<ConsolePage> SignInAsync(ConsoleTestUser user, string? returnUrl = null)
    {
        var path = "/console/signin" + (returnUrl is null ? string.Empty : "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var first = await PostFormAsync(path, new Dictionary<string, string?> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        if (first.Location?.StartsWith("/console/signin/two-factor", StringComparison.Ordinal) != true)
        {
            return first;
        }

        var token = (await GetAsync(first.Location)).Token;
        return await PostFormAsync(first.Location, new Dictionary<string, string?> { ["Input.Code"] = await user.NextCodeAsync(), ["__RequestVerificationToken"] = token }, withToken: false);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Makes console users straight in the store (as an invitation would), optionally with two-factor already on.</summary>
public static class ConsoleUsers
{
    public static async Task<ConsoleTestUser> CreateAsync(GatewayServer server, ConsoleRole role, string? merchantId = null, bool? twoFactor = null,
        string password = ConsoleClient.DefaultPassword, string? email = null, IReadOnlyList<ConsoleGrant>? moreGrants = null)
    {
        var id = Ids.New(Ids.ConsoleUser);
        var address = email ?? $"{role.ToWire()}-{Guid.NewGuid():N}@example.com";
        var withTotp = twoFactor ?? role.RequiresTwoFactor();
        var secret = withTotp ? Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20)) : null;
        var user = new ConsoleUser
        {
            Id = id,
            Email = address,
            Name = "Test " + role.ToWire(),
            Grants = [new ConsoleGrant { MerchantId = merchantId, Role = role }, .. moreGrants ?? []],
            SecurityStamp = ConsoleSecrets.NewToken(),
            Created = DateTimeOffset.UtcNow,
            TotpSecret = secret is null ? null : server.Services.GetRequiredService<CardVault>().Encrypt("totp:" + id, secret),
        };
        user.PasswordHash = ConsoleSecrets.HashPassword(user, password);
        var changes = new ConsoleChanges();
        changes.NewUsers.Add(user);
        await server.Services.GetRequiredService<IConsoleStore>().CommitAsync(changes, CancellationToken.None);
        return new ConsoleTestUser(id, address, password, secret);
    }

    /// <summary>A new client signed in as <paramref name="user"/>.</summary>
    public static async Task<ConsoleClient> SignedInAsync(GatewayServer server, ConsoleTestUser user)
    {
        var client = new ConsoleClient(server.BaseAddress);
        var result = await client.SignInAsync(user);
        if (result.Status != 302 || result.Location?.StartsWith("/console", StringComparison.Ordinal) != true || result.Location.StartsWith("/console/signin", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Sign-in of {user.Email} failed: {result.Status} {result.Location}");
        }

        return client;
    }
}
