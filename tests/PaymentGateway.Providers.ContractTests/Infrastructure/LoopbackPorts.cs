using System.Net;
using System.Net.Sockets;

namespace PaymentGateway.Tests.Infrastructure;

/// <summary>
/// Free ports on 127.0.0.1 for servers that must know their address before they listen, and a start that tries again
/// on fresh ports when one found free was taken before the server bound it (the test assemblies run in parallel).
/// Compiled into each test project that starts such servers.
/// </summary>
internal static class LoopbackPorts
{
    private const int Attempts = 5;

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs <paramref name="start"/> (which picks its ports afresh each time) until it does not fail on a taken port.</summary>
    public static async Task<T> StartAsync<T>(Func<Task<T>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (Exception e) when (attempt < Attempts && IsAddressInUse(e))
            {
            }
        }
    }

    /// <inheritdoc cref="StartAsync{T}"/>
    public static T Start<T>(Func<T> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return start();
            }
            catch (Exception e) when (attempt < Attempts && IsAddressInUse(e))
            {
            }
        }
    }

    /// <summary>Whether <paramref name="e"/> (or what it wraps: Kestrel's and WireMock's start failures) is "address already in use".</summary>
    private static bool IsAddressInUse(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.GetType().Name == "AddressInUseException"
                || (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsAddressInUse)))
            {
                return true;
            }
        }

        return false;
    }
}
