using System.Net;
using System.Net.Sockets;

namespace ThreatIntel.Core.Webhooks;

/// <summary>
/// Keeps webhooks from being aimed at the service's own network (SSRF): a target must be an absolute http(s) URL
/// without user info whose host is, and resolves only to, public addresses. Loopback, link-local, private, shared
/// (CGNAT), unspecified, multicast and broadcast addresses are refused, in IPv4, IPv6 and IPv4-mapped IPv6 form,
/// unless they lie in one of the <c>allowedNetworks</c>. The check runs when a webhook is saved and again, against
/// the addresses actually connected to, before every request, so a name re-pointed later (DNS rebinding) gains
/// nothing.
/// </summary>
public sealed class WebhookTargetPolicy(IEnumerable<IPNetwork> allowedNetworks, IWebhookHostResolver resolver)
{
    public const string AllowListSetting = "Webhooks:AllowedNetworks";

    private static readonly (IPNetwork Network, string Kind)[] BlockedNetworks =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "this-network"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (CGNAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("255.255.255.255/32"), "broadcast"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fc00::/7"), "private"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private readonly IPNetwork[] _allowedNetworks = [.. allowedNetworks];

    /// <summary>Why the URL's form is refused, or null when it is an absolute http(s) URL with a host and no user info.</summary>
    public static string? CheckForm(string? url, out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed))
        {
            return "The URL must be absolute, such as https://receiver.example.com/hooks/threatintel.";
        }

        if (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
        {
            return $"The URL's scheme must be https or http, not '{parsed.Scheme}'.";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "The URL must not contain user info; authenticate the receiver through the signature instead.";
        }

        if (parsed.IdnHost.Length == 0)
        {
            return "The URL has no host.";
        }

        uri = parsed;
        return null;
    }

    /// <summary>Why the URL may not be a webhook target, or null when it may: its form, then every address of its host.</summary>
    public async Task<string?> CheckAsync(string url, CancellationToken cancellationToken)
    {
        if (CheckForm(url, out var uri) is { } formProblem)
        {
            return formProblem;
        }

        var host = HostOf(uri!);
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(host, cancellationToken);
        }
        catch (SocketException exception)
        {
            return $"The URL's host '{host}' could not be resolved: {exception.Message}.";
        }

        if (addresses.Length == 0)
        {
            return $"The URL's host '{host}' resolves to no address.";
        }

        return addresses.Select(address => Refusal(host, address)).FirstOrDefault(reason => reason is not null);
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> a request may connect to; throws <see cref="WebhookTargetRefusedException"/>
    /// when none is allowed.
    /// </summary>
    public async Task<IPAddress[]> AllowedAddressesAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(host, cancellationToken);
        var allowed = addresses.Where(address => Refusal(host, address) is null).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebhookTargetRefusedException(
                addresses.Length == 0 ? $"'{host}' resolves to no address." : Refusal(host, addresses[0])!);
        }

        return allowed;
    }

    /// <summary>Why <paramref name="address"/> is refused, or null when it is public or allow-listed.</summary>
    public string? Refusal(string host, IPAddress address)
    {
        var comparable = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_allowedNetworks.Any(network => network.Contains(comparable) || network.Contains(address)))
        {
            return null;
        }

        var blocked = BlockedNetworks.FirstOrDefault(entry => entry.Network.Contains(comparable));
        if (blocked.Kind is null)
        {
            return null;
        }

        var subject = host == address.ToString() ? $"{address} is" : $"'{host}' resolves to {address},";
        return $"{subject} a {blocked.Kind} address; add its network to {AllowListSetting} to allow it.";
    }

    /// <summary>
    /// An IP literal is its own address and <c>localhost</c> names are loopback by definition (RFC 6761), so neither
    /// goes to DNS, whose answer for them could differ from what the connection uses.
    /// </summary>
    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        }

        return await resolver.ResolveAsync(host, cancellationToken);
    }

    private static string HostOf(Uri uri) => uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.IdnHost.TrimEnd('.');
}

/// <summary>A webhook request refused because its host resolves only to addresses the target policy blocks.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
