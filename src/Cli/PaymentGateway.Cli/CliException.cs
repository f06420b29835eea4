namespace PaymentGateway.Cli;

/// <summary>The exit codes, documented in docs/cli.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The gateway answered with an error (4xx/5xx other than 401/403): its code and message are printed.</summary>
    public const int ApiError = 1;

    /// <summary>The command line is wrong (unknown command or option, a missing argument, a live key for trigger).</summary>
    public const int Usage = 2;

    /// <summary>No key, or the gateway refused the key (401/403).</summary>
    public const int Authentication = 3;

    /// <summary>The gateway could not be reached (nothing was sent), or the stream broke.</summary>
    public const int Unreachable = 4;
}

/// <summary>A failure a command reports as one line on stderr and an exit code.</summary>
public sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public CliException()
        : this(ExitCodes.ApiError, "failed")
    {
    }

    public CliException(string message)
        : this(ExitCodes.ApiError, message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException) => ExitCode = ExitCodes.Unreachable;

    public int ExitCode { get; }

    /// <summary>The gateway's problem document, when the failure is an API answer.</summary>
    public System.Text.Json.JsonElement? Problem { get; init; }
}
