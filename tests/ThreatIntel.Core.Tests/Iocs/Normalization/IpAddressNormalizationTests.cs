using ThreatIntel.Core.Iocs;
using static ThreatIntel.Core.Tests.Iocs.Normalization.NormalizationAssert;

namespace ThreatIntel.Core.Tests.Iocs.Normalization;

public class IpAddressNormalizationTests
{
    [Theory]
    [InlineData("1.2.3.4")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("10.0.0.1")]
    [InlineData("192.168.100.200")]
    public void Ipv4_dotted_quad_is_kept(string address) => IsKept(IocType.IpAddress, IocAction.Equals, address);

    [Fact]
    public void Ipv4_surrounded_by_whitespace_is_trimmed() =>
        NormalizesTo("1.2.3.4", IocType.IpAddress, IocAction.Equals, " \t1.2.3.4\r\n");

    [Theory]
    [InlineData("10.1")]
    [InlineData("10")]
    [InlineData("167772161")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.")]
    [InlineData(".1.2.3")]
    [InlineData("1..3.4")]
    [InlineData("010.0.0.1")]
    [InlineData("1.2.3.04")]
    [InlineData("1.2.3.0004")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.256")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("0xa000001")]
    [InlineData("1.2.3.-4")]
    [InlineData("+1.2.3.4")]
    [InlineData("1.2. 3.4")]
    [InlineData("1.2.3.4:80")]
    [InlineData("\u0661.\u0662.\u0663.\u0664")]
    public void Ipv4_that_is_not_a_strict_dotted_quad_is_rejected(string value) =>
        Rejects(IocType.IpAddress, IocAction.Equals, value);

    [Theory]
    [InlineData("2001:DB8:0:0::1", "2001:db8::1")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    [InlineData("FE80::1", "fe80::1")]
    [InlineData("0:0:0:0:0:0:0:1", "::1")]
    [InlineData("0:0:0:0:0:0:0:0", "::")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:FFFF", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff")]
    [InlineData(" 2001:db8::1 ", "2001:db8::1")]
    public void Ipv6_is_written_compressed_and_lower_case(string value, string expected) =>
        NormalizesTo(expected, IocType.IpAddress, IocAction.Equals, value);

    [Theory]
    [InlineData("::ffff:1.2.3.4", "1.2.3.4")]
    [InlineData("::FFFF:1.2.3.4", "1.2.3.4")]
    [InlineData("0:0:0:0:0:ffff:1.2.3.4", "1.2.3.4")]
    [InlineData("::ffff:0102:0304", "1.2.3.4")]
    [InlineData("::ffff:a00:1", "10.0.0.1")]
    public void Ipv4_mapped_ipv6_address_becomes_ipv4(string value, string expected) =>
        NormalizesTo(expected, IocType.IpAddress, IocAction.Equals, value);

    [Theory]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%1")]
    [InlineData("fe80::1%25eth0")]
    public void Ipv6_with_a_zone_id_is_rejected(string value) => Rejects(IocType.IpAddress, IocAction.Equals, value);

    [Theory]
    [InlineData("2001:db8:::1")]
    [InlineData("2001:db8::1::2")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("2001:db8::g")]
    [InlineData("2001:db8::1:")]
    [InlineData("[2001:db8::1]")]
    [InlineData("[2001:db8::1]:80")]
    [InlineData("2001:db8::1]")]
    [InlineData("::ffff:010.0.0.1")]
    [InlineData("::ffff:256.0.0.1")]
    public void Malformed_ipv6_is_rejected(string value) => Rejects(IocType.IpAddress, IocAction.Equals, value);

    [Theory]
    [InlineData("evil.com")]
    [InlineData("localhost")]
    [InlineData("http://1.2.3.4/")]
    public void Value_that_is_not_an_address_is_rejected(string value) =>
        Rejects(IocType.IpAddress, IocAction.Equals, value);

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("1.2.3.4/32")]
    [InlineData("2001:db8::/32")]
    [InlineData("2001:db8::1/128")]
    public void Cidr_range_is_rejected_for_equals(string value) => Rejects(IocType.IpAddress, IocAction.Equals, value);

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("192.168.1.0/24", "192.168.1.0/24")]
    [InlineData("172.16.0.0/12", "172.16.0.0/12")]
    [InlineData("1.2.3.4/32", "1.2.3.4/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("2001:DB8:0:0::/48", "2001:db8::/48")]
    [InlineData("2001:db8::1/128", "2001:db8::1/128")]
    [InlineData("::/0", "::/0")]
    [InlineData(" 10.0.0.0/8 ", "10.0.0.0/8")]
    public void Cidr_range_without_host_bits_is_accepted_for_in_range(string value, string expected) =>
        NormalizesTo(expected, IocType.IpAddress, IocAction.InRange, value);

    [Theory]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.1.0.0/8")]
    [InlineData("192.168.1.1/24")]
    [InlineData("1.2.3.5/31")]
    [InlineData("2001:db8::1/32")]
    [InlineData("2001:db8::/16")]
    [InlineData("2001:db8::1/127")]
    public void Cidr_range_with_host_bits_set_is_rejected(string value) =>
        Rejects(IocType.IpAddress, IocAction.InRange, value);

    [Fact]
    public void Host_bits_error_names_the_network_of_the_range() =>
        Assert.Contains("10.0.0.0/8", Rejects(IocType.IpAddress, IocAction.InRange, "10.0.0.1/8"), StringComparison.Ordinal);

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/1000")]
    [InlineData("2001:db8::/129")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("10.0.0.0/a")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10.0.0.0/\u0668")]
    public void Cidr_range_with_an_invalid_prefix_length_is_rejected(string value) =>
        Rejects(IocType.IpAddress, IocAction.InRange, value);

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("1.2.3.4")]
    [InlineData("2001:db8::")]
    public void Address_without_prefix_length_is_rejected_for_in_range(string value) =>
        Rejects(IocType.IpAddress, IocAction.InRange, value);

    [Theory]
    [InlineData("/8")]
    [InlineData("10.1/8")]
    [InlineData("010.0.0.0/8")]
    [InlineData("0x0a.0.0.0/8")]
    [InlineData("fe80::%eth0/64")]
    [InlineData("evil.com/8")]
    public void Cidr_range_with_a_malformed_address_is_rejected(string value) =>
        Rejects(IocType.IpAddress, IocAction.InRange, value);

    [Theory]
    [InlineData("::ffff:10.0.0.0/104", "10.0.0.0/8")]
    [InlineData("::FFFF:192.168.1.0/120", "192.168.1.0/24")]
    [InlineData("::ffff:1.2.3.4/128", "1.2.3.4/32")]
    [InlineData("::ffff:0:0/96", "0.0.0.0/0")]
    public void Ipv4_mapped_ipv6_cidr_range_becomes_an_ipv4_range(string value, string expected) =>
        NormalizesTo(expected, IocType.IpAddress, IocAction.InRange, value);

    [Fact]
    public void Ipv4_mapped_ipv6_cidr_range_with_host_bits_set_is_rejected() =>
        Rejects(IocType.IpAddress, IocAction.InRange, "::ffff:10.0.0.1/104");
}
