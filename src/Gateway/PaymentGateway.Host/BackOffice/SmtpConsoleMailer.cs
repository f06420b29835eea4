using System.Net;
using System.Net.Mail;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice;

/// <summary>
/// Sends console mail in the background through SMTP, or writes .eml files to a pickup directory (development, tests).
/// Without either, nothing is queued and owners hand links over themselves (the Team page shows each once).
/// Messages carry secret links: the log names the recipient's domain at most, never the body.
/// </summary>
public sealed partial class SmtpConsoleMailer(IOptions<ConsoleOptions> options, ILogger<SmtpConsoleMailer> logger) : BackgroundService, IConsoleMailer
{
    private readonly Channel<ConsoleMail> _queue = Channel.CreateBounded<ConsoleMail>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });

    public bool Enqueue(ConsoleMail mail) => options.Value.Mail.IsEnabled && _queue.Writer.TryWrite(mail);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var mail in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await SendAsync(mail, stoppingToken);
            }
            catch (Exception e) when (e is SmtpException or IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                LogSendFailed(logger, mail.To.Split('@')[^1], e.GetType().Name);
            }
        }
    }

    private async Task SendAsync(ConsoleMail mail, CancellationToken ct)
    {
        var settings = options.Value.Mail;
        using var message = new MailMessage(settings.From, mail.To, mail.Subject, mail.Body);
        using var client = new SmtpClient();
        if (settings.PickupDirectory is { Length: > 0 } pickup)
        {
            Directory.CreateDirectory(pickup);
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = Path.GetFullPath(pickup);
        }
        else
        {
            client.Host = settings.SmtpHost ?? string.Empty;
            client.Port = settings.SmtpPort;
            client.EnableSsl = settings.SmtpSsl;
            if (settings.Username is { Length: > 0 } user)
            {
                client.Credentials = new NetworkCredential(user, settings.Password);
            }
        }

        await client.SendMailAsync(message, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console mail to a recipient at {Domain} was not sent ({Error}).")]
    private static partial void LogSendFailed(ILogger logger, string domain, string error);
}
