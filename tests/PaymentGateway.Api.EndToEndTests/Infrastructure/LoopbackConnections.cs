using System.Net;
using System.Net.Sockets;

namespace PaymentGateway.Api.EndToEndTests.Infrastructure;

/// <summary>Connections to 127.0.0.1 whatever host name the URL carries, optionally from a chosen source address.</summary>
public static class LoopbackConnections
{
    /// <summary>
    /// A plain-HTTP handler whose connections to 127.0.0.1 leave from <paramref name="source"/> (any 127.0.0.0/8
    /// address works on Linux): a peer other than the trusted proxy, on the same machine.
    /// </summary>
    public static SocketsHttpHandler FromSourceAddress(IPAddress source) => new()
    {
        ConnectCallback = (context, ct) => ConnectAsync(source, context.DnsEndPoint.Port, ct),
    };

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>, from <paramref name="source"/> when given.</summary>
    public static async ValueTask<Stream> ConnectAsync(IPAddress? source, int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null)
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
