using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>One message the sink accepted: the envelope and the DATA as sent, and its text with quoted-printable undone.</summary>
public sealed partial record ReceivedMail(string From, IReadOnlyList<string> To, string Data)
{
    /// <summary>The Subject header.</summary>
    public string Subject => SubjectPattern().Match(Data) is { Success: true } m ? m.Groups[1].Value.Trim() : "";

    /// <summary>The whole message with quoted-printable soft breaks and escapes decoded, for searching.</summary>
    public string Text => QuotedPrintableEscape().Replace(Data.Replace("=\r\n", "", StringComparison.Ordinal),
        m => ((char)Convert.ToByte(m.Groups[1].Value, 16)).ToString());

    [GeneratedRegex("^Subject: (.*)$", RegexOptions.Multiline)]
    private static partial Regex SubjectPattern();

    [GeneratedRegex("=([0-9A-F]{2})")]
    private static partial Regex QuotedPrintableEscape();
}

/// <summary>
/// A minimal SMTP server on 127.0.0.1 (random port) that accepts every message: greeting, EHLO/HELO, MAIL, RCPT, DATA,
/// RSET, NOOP, QUIT; no STARTTLS and no AUTH advertised. Enough for Alertmanager's e-mail notifier with
/// <c>smtp_require_tls: false</c>.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private readonly Task _accepting;

    private SmtpSink()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public IReadOnlyList<ReceivedMail> Received => [.. _received];

    public static SmtpSink Start() => new();

    /// <summary>Waits until a message matching <paramref name="match"/> arrived, or fails after <paramref name="timeout"/>.</summary>
    public async Task<ReceivedMail> WaitForAsync(Func<ReceivedMail, bool> match, TimeSpan timeout, string what)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < until)
        {
            if (_received.FirstOrDefault(match) is { } mail)
            {
                return mail;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No e-mail {what} within {timeout}; received {_received.Count}:\n" + string.Join("\n---\n", _received.Select(m => m.Data)));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var connection = client;
        try
        {
            var stream = connection.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink.test ESMTP");
            string? from = null;
            var to = new List<string>();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-sink.test");
                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "HELO" or "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "MAIL":
                        from = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        to.Add(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        _received.Enqueue(new ReceivedMail(from ?? "", [.. to], data.ToString()));
                        to.Clear();
                        await writer.WriteLineAsync("250 OK: queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away or the sink is stopping.
        }
    }
}
