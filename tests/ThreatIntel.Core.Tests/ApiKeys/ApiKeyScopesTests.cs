using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Core.Tests.ApiKeys;

public class ApiKeyScopesTests
{
    [Fact]
    public void Admin_allows_every_scope() =>
        Assert.All(ApiKeyScopes.All, scope => Assert.True(ApiKeyScopes.Allows([ApiKeyScopes.Admin], scope)));

    [Fact]
    public void A_scope_allows_only_itself()
    {
        foreach (var granted in ApiKeyScopes.All.Where(scope => scope != ApiKeyScopes.Admin))
        {
            foreach (var required in ApiKeyScopes.All)
            {
                Assert.Equal(granted == required, ApiKeyScopes.Allows([granted], required));
            }
        }
    }

    [Theory]
    [InlineData("definitions:read", true)]
    [InlineData("Definitions:Read", false)]
    [InlineData("definitions:*", false)]
    [InlineData("root", false)]
    public void Only_the_contract_scopes_are_known(string scope, bool known) =>
        Assert.Equal(known, ApiKeyScopes.IsKnown(scope));
}
