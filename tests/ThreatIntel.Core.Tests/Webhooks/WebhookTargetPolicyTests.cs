using System.Net;
using System.Net.Sockets;
using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Core.Tests.Webhooks;

public sealed class WebhookTargetPolicyTests
{
    private static readonly WebhookTargetPolicy Strict = new([], new FixedResolver());

    [Theory]
    [InlineData("https://receiver.example.com/hooks")]
    [InlineData("http://receiver.example.com:8080/hooks?tenant=1")]
    [InlineData("https://203.0.113.10/hooks")]
    [InlineData("https://[2001:db8::1]/hooks")]
    public async Task Public_targets_are_allowed(string url)
    {
        Assert.Null(await Strict.CheckAsync(url, CancellationToken.None));
    }

    [Theory]
    [InlineData("http://10.0.0.5/", "10.0.0.5 is a private address")]
    [InlineData("http://172.16.4.1/", "172.16.4.1 is a private address")]
    [InlineData("http://192.168.1.1/", "192.168.1.1 is a private address")]
    [InlineData("http://127.0.0.1:8080/", "127.0.0.1 is a loopback address")]
    [InlineData("http://127.8.9.10/", "127.8.9.10 is a loopback address")]
    [InlineData("http://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address")]
    [InlineData("http://100.64.0.1/", "100.64.0.1 is a shared (CGNAT) address")]
    [InlineData("http://0.0.0.0/", "0.0.0.0 is a this-network address")]
    [InlineData("http://224.0.0.1/", "224.0.0.1 is a multicast address")]
    [InlineData("http://255.255.255.255/", "255.255.255.255 is a broadcast address")]
    [InlineData("http://[::1]/", "::1 is a loopback address")]
    [InlineData("http://[::]/", ":: is a unspecified address")]
    [InlineData("http://[fe80::1]/", "fe80::1 is a link-local address")]
    [InlineData("http://[fd12:3456::1]/", "fd12:3456::1 is a private address")]
    [InlineData("http://[ff02::1]/", "ff02::1 is a multicast address")]
    [InlineData("http://[::ffff:10.0.0.5]/", "a private address")]
    [InlineData("http://[::ffff:127.0.0.1]/", "a loopback address")]
    [InlineData("http://2130706433/", "127.0.0.1 is a loopback address")]
    [InlineData("http://0x7f.0.0.1/", "127.0.0.1 is a loopback address")]
    [InlineData("http://localhost/", "'localhost' resolves to 127.0.0.1, a loopback address")]
    [InlineData("http://LOCALHOST./", "a loopback address")]
    [InlineData("http://api.localhost/", "a loopback address")]
    [InlineData("https://internal.example.com/", "'internal.example.com' resolves to 10.1.2.3, a private address")]
    [InlineData("https://mixed.example.com/", "'mixed.example.com' resolves to 192.168.0.7, a private address")]
    public async Task Blocked_targets_are_refused_naming_the_address_and_the_allow_list(string url, string expected)
    {
        var reason = await Strict.CheckAsync(url, CancellationToken.None);

        Assert.NotNull(reason);
        Assert.Contains(expected, reason, StringComparison.Ordinal);
        Assert.Contains("Webhooks:AllowedNetworks", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://receiver.example.com/", "scheme")]
    [InlineData("file:///etc/passwd", "scheme")]
    [InlineData("/relative/path", "URL")]
    [InlineData("receiver.example.com/hooks", "absolute")]
    [InlineData("https://user:password@receiver.example.com/", "user info")]
    public async Task Malformed_urls_are_refused(string url, string expected)
    {
        var reason = await Strict.CheckAsync(url, CancellationToken.None);

        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_refused()
    {
        var reason = await Strict.CheckAsync("https://nowhere.example.com/", CancellationToken.None);

        Assert.Contains("'nowhere.example.com' could not be resolved", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_allow_list_exempts_its_networks_only()
    {
        var policy = new WebhookTargetPolicy([IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("10.1.0.0/16")], new FixedResolver());

        Assert.Null(await policy.CheckAsync("http://127.0.0.1:5000/", CancellationToken.None));
        Assert.Null(await policy.CheckAsync("http://[::1]:5000/", CancellationToken.None));
        Assert.Null(await policy.CheckAsync("http://[::ffff:127.0.0.1]/", CancellationToken.None));
        Assert.Null(await policy.CheckAsync("http://localhost:5000/", CancellationToken.None));
        Assert.Null(await policy.CheckAsync("https://internal.example.com/", CancellationToken.None));
        Assert.NotNull(await policy.CheckAsync("http://10.2.0.1/", CancellationToken.None));
        Assert.NotNull(await policy.CheckAsync("http://169.254.169.254/", CancellationToken.None));
    }

    [Fact]
    public async Task At_connect_time_only_allowed_addresses_are_used_and_none_is_a_refusal()
    {
        var mixed = await Strict.AllowedAddressesAsync("mixed.example.com", CancellationToken.None);
        Assert.Equal([IPAddress.Parse("203.0.113.7")], mixed);

        var refused = await Assert.ThrowsAsync<WebhookTargetRefusedException>(
            () => Strict.AllowedAddressesAsync("internal.example.com", CancellationToken.None));
        Assert.Contains("10.1.2.3, a private address", refused.Message, StringComparison.Ordinal);
    }

    private sealed class FixedResolver : IWebhookHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => host switch
        {
            "receiver.example.com" => Task.FromResult(new[] { IPAddress.Parse("203.0.113.5") }),
            "internal.example.com" => Task.FromResult(new[] { IPAddress.Parse("10.1.2.3") }),
            "mixed.example.com" => Task.FromResult(new[] { IPAddress.Parse("203.0.113.7"), IPAddress.Parse("192.168.0.7") }),
            _ => Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)),
        };
    }
}
