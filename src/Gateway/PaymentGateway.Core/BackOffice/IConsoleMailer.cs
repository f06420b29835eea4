namespace PaymentGateway.Core.BackOffice;

/// <summary>A message to a person (invitation, password reset). The body holds a secret link: it is never logged.</summary>
public sealed record ConsoleMail(string To, string Subject, string Body);

/// <summary>
/// Sends console mail without making the caller wait (so a reset request for an existing account takes as long as one
/// for an unknown address). Returns false when no mail is configured.
/// </summary>
public interface IConsoleMailer
{
    bool Enqueue(ConsoleMail mail);
}
