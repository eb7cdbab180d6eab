using System.Net;
using System.Net.Sockets;
using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Api.Features.Webhooks;

/// <summary>
/// The webhook client's <see cref="SocketsHttpHandler.ConnectCallback"/>: it resolves the host itself, applies the
/// target policy to the addresses and connects only to an allowed one, so the address checked is the address used —
/// a name that resolved to a public address when the webhook was saved and to an internal one now is refused.
/// </summary>
internal sealed class WebhookTargetConnector(WebhookTargetPolicy policy)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = await policy.AllowedAddressesAsync(host, cancellationToken);
        SocketException? lastFailure = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                lastFailure = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw lastFailure!;
    }
}
