using Microsoft.Extensions.DependencyInjection;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;
using ThreatIntel.Core.Persistence;
using ThreatIntel.Infrastructure.Persistence;
using ThreatIntel.Infrastructure.Persistence.Repositories;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary><see cref="IIocRepository"/> against a migrated SQLite file; each call runs in its own scope.</summary>
public sealed class IocRepositoryTests(InitializedSqliteDatabase fixture) : IClassFixture<InitializedSqliteDatabase>
{
    private readonly SqliteTestDatabase _database = fixture.Database;

    [Fact]
    public async Task AddBatch_ReportsCreatedOrDuplicatePerEntry_IncludingDuplicatesWithinTheBatch()
    {
        var definition = await AddDefinitionAsync("Batch");
        var stored = await WithIocs(repository => repository.AddAsync(
            definition.Id, TestData.Ioc(IocType.FileName, IocAction.Equals, "psexec.exe"), CancellationToken.None));
        Assert.Equal(StoreOutcome.Succeeded, stored.Outcome);

        // Indexes are positions in the request; item 1 failed validation and never reached the repository.
        IocBatchEntry[] entries =
        [
            new(0, TestData.Ioc(IocType.FileName, IocAction.Equals, "mimikatz.exe")),
            new(2, TestData.Ioc(IocType.FileName, IocAction.Equals, "PsExec.exe")),
            new(3, TestData.Ioc(IocType.FileName, IocAction.Equals, "rubeus.exe")),
            new(4, TestData.Ioc(IocType.FileName, IocAction.Equals, "MIMIKATZ.EXE")),
            new(5, TestData.Ioc(IocType.FileName, IocAction.Contains, "mimikatz.exe")),
        ];
        var result = await WithIocs(repository => repository.AddBatchAsync(definition.Id, entries, CancellationToken.None));

        Assert.Equal(StoreOutcome.Succeeded, result.Outcome);
        var outcomes = result.Value!;
        Assert.Equal([0, 2, 3, 4, 5], outcomes.Select(o => o.Index));
        Assert.Equal([true, false, true, false, true], outcomes.Select(o => o.Created));
        Assert.Equal(stored.Value!.Id, outcomes[1].IocId);
        Assert.Equal(outcomes[0].IocId, outcomes[3].IocId);

        var listed = await WithIocs(repository => repository.ListForDefinitionAsync(
            definition.Id, new IocQuery(null, null, null, new PageRequest(1, 50)), CancellationToken.None));
        Assert.Equal(4, listed!.TotalCount);
        Assert.Equal(
            new[] { stored.Value.Id, outcomes[0].IocId, outcomes[2].IocId, outcomes[4].IocId }.Order(),
            listed.Items.Select(i => i.Id).Order());
    }

    [Fact]
    public async Task AddBatch_ForAnUnknownDefinition_IsNotFound_AndStoresNothing()
    {
        var unknownId = Guid.NewGuid();

        var result = await WithIocs(repository => repository.AddBatchAsync(
            unknownId,
            [new IocBatchEntry(0, TestData.Ioc(IocType.IpAddress, IocAction.Equals, "192.0.2.1"))],
            CancellationToken.None));

        Assert.Equal(StoreOutcome.NotFound, result.Outcome);
        Assert.Null(await WithIocs(repository => repository.ListForDefinitionAsync(
            unknownId, new IocQuery(null, null, null, new PageRequest(1, 50)), CancellationToken.None)));
    }

    [Fact]
    public async Task Add_SameTypeActionAndValueTwice_ConflictsWithTheStoredIoc()
    {
        var definition = await AddDefinitionAsync("Single add");
        var specification = TestData.Ioc(IocType.IpAddress, IocAction.Equals, "198.51.100.7");
        var first = await WithIocs(repository => repository.AddAsync(definition.Id, specification, CancellationToken.None));

        var second = await WithIocs(repository => repository.AddAsync(definition.Id, specification, CancellationToken.None));

        Assert.Equal(StoreOutcome.Conflict, second.Outcome);
        Assert.Equal(first.Value!.Id, second.ConflictingId);
    }

    [Fact]
    public async Task Search_ByValueKeys_FindsTheIocInEveryDefinitionHoldingIt()
    {
        var domain = $"c2-{Guid.NewGuid():N}.example";
        var first = await AddDefinitionAsync("Search A");
        var second = await AddDefinitionAsync("Search B");
        var inFirst = await WithIocs(repository => repository.AddAsync(
            first.Id, TestData.Ioc(IocType.DomainName, IocAction.EndsWith, domain), CancellationToken.None));
        var inSecond = await WithIocs(repository => repository.AddAsync(
            second.Id, TestData.Ioc(IocType.DomainName, IocAction.Equals, domain), CancellationToken.None));

        // A user looks up the value as they saw it, in another case and with the trailing dot of a FQDN.
        var found = await SearchAsync(IocType.DomainName, $"{domain.ToUpperInvariant()}.");

        Assert.Equal(2, found.TotalCount);
        Assert.Equal(
            new[] { inFirst.Value!.Id, inSecond.Value!.Id }.Order(),
            found.Items.Select(i => i.Id).Order());
        Assert.Equal(0, (await SearchAsync(IocType.DomainName, $"other-{domain}")).TotalCount);
        Assert.Equal(0, (await SearchAsync(IocType.Url, $"https://{domain}/")).TotalCount);
    }

    [Fact]
    public async Task Search_ByValueKeys_FindsAFileNameRegardlessOfCase()
    {
        var fileName = $"Loader-{Guid.NewGuid():N}.exe";
        var definition = await AddDefinitionAsync("Search file name");
        var stored = await WithIocs(repository => repository.AddAsync(
            definition.Id, TestData.Ioc(IocType.FileName, IocAction.Equals, fileName), CancellationToken.None));

        var found = await SearchAsync(IocType.FileName, fileName.ToUpperInvariant());

        Assert.Equal(stored.Value!.Id, Assert.Single(found.Items).Id);
        Assert.Equal(fileName, found.Items[0].Value);
    }

    [Fact]
    public async Task Search_ByValueKeys_PagesInCreationOrder_CountsEveryMatch_AndHonoursTheActionFilter()
    {
        var domain = $"pages-{Guid.NewGuid():N}.example";
        var stored = new List<Guid>();
        foreach (var (name, action) in new[] { ("P1", IocAction.Equals), ("P2", IocAction.EndsWith), ("P3", IocAction.Equals),
                     ("P4", IocAction.Contains), ("P5", IocAction.Equals) })
        {
            var definition = await AddDefinitionAsync($"Search pages {name}");
            var added = await WithIocs(repository => repository.AddAsync(
                definition.Id, TestData.Ioc(IocType.DomainName, action, domain), CancellationToken.None));
            stored.Add(added.Value!.Id);
        }

        var first = await SearchAsync(IocType.DomainName, domain, page: new PageRequest(1, 2));
        var second = await SearchAsync(IocType.DomainName, domain, page: new PageRequest(2, 2));
        var third = await SearchAsync(IocType.DomainName, domain, page: new PageRequest(3, 2));
        var equalsOnly = await SearchAsync(IocType.DomainName, domain, IocAction.Equals, new PageRequest(1, 2));

        Assert.Equal([5, 5, 5], new[] { first.TotalCount, second.TotalCount, third.TotalCount });
        Assert.Equal(stored, first.Items.Concat(second.Items).Concat(third.Items).Select(i => i.Id));
        Assert.Equal(3, equalsOnly.TotalCount);
        Assert.All(equalsOnly.Items, ioc => Assert.Equal(IocAction.Equals, ioc.Action));
    }

    [Fact]
    public async Task Search_ByValueKeys_OnSqlite_ReadsEveryPropertyAsEfCoreReadsIt()
    {
        var domain = $"differential-{Guid.NewGuid():N}.example";
        var expiry = new DateTime(2031, 5, 6, 7, 8, 9, 123, DateTimeKind.Utc).AddTicks(4567);
        var specifications = new[]
        {
            new IocSpecification(IocType.DomainName, IocAction.Equals, domain, "seen in the phishing wave", Enabled: true, ExpiresAt: expiry),
            new IocSpecification(IocType.DomainName, IocAction.EndsWith, domain, Description: null, Enabled: false, ExpiresAt: null),
            new IocSpecification(IocType.DomainName, IocAction.Contains, domain, "ünïcode déscription", Enabled: true, ExpiresAt: null),
        };
        foreach (var (specification, index) in specifications.Select((s, i) => (s, i)))
        {
            var definition = await AddDefinitionAsync($"Differential {index}");
            Assert.Equal(StoreOutcome.Succeeded, (await WithIocs(repository => repository.AddAsync(definition.Id, specification, CancellationToken.None))).Outcome);
        }

        var keys = LookupKeys(IocType.DomainName, domain);
        foreach (var page in new[] { new PageRequest(1, 50), new PageRequest(1, 2), new PageRequest(2, 2), new PageRequest(3, 2) })
        {
            await using var scope = _database.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ThreatIntelDbContext>();
            var prepared = scope.ServiceProvider.GetRequiredService<SqliteIocLookup>().ReadPage(db, IocType.DomainName, keys, page);
            var efCore = await IocLookupQuery.PageAsync(db, IocType.DomainName, keys, page, CancellationToken.None);

            Assert.Equal(efCore.TotalCount, prepared.TotalCount);
            Assert.Equal(efCore.Items.Select(Snapshot), prepared.Items.Select(Snapshot));
            Assert.All(prepared.Items, ioc => Assert.Equal(DateTimeKind.Utc, ioc.CreatedAt.Kind));
        }

        var all = await SearchAsync(IocType.DomainName, domain);
        Assert.Equal(3, all.TotalCount);
        Assert.Contains(all.Items, ioc => ioc.ExpiresAt == expiry && ioc.Description == "seen in the phishing wave");
    }

    private static string Snapshot(Ioc ioc) => System.Text.Json.JsonSerializer.Serialize(ioc);

    /// <summary>Looks a value up the way <c>GET /api/v1/iocs?type=&amp;value=</c> does: one key per allowed action.</summary>
    private Task<Page<Ioc>> SearchAsync(IocType type, string value, IocAction? action = null, PageRequest? page = null) =>
        WithIocs(repository => repository.SearchAsync(
            new IocSearch(type, action, LookupKeys(type, value), page ?? new PageRequest(1, 50)), CancellationToken.None));

    private static List<IocLookupKey> LookupKeys(IocType type, string value)
    {
        var keys = IocTypeRules.AllowedActions(type)
            .Select(action => (Action: action, Result: IocValueNormalizer.Normalize(type, action, value)))
            .Where(reading => reading.Result.IsValid)
            .Select(reading => new IocLookupKey(reading.Action, IocValueKey.Compute(type, reading.Action, reading.Result.Value!)))
            .ToList();
        Assert.NotEmpty(keys);
        return keys;
    }

    private async Task<AlertDefinition> AddDefinitionAsync(string name)
    {
        var definition = TestData.Definition(TestData.UniqueName(name));
        await using var scope = _database.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<IAlertDefinitionRepository>()
            .AddAsync(definition, CancellationToken.None);
        Assert.Equal(StoreOutcome.Succeeded, result.Outcome);
        return definition;
    }

    private async Task<T> WithIocs<T>(Func<IIocRepository, Task<T>> action)
    {
        await using var scope = _database.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<IIocRepository>());
    }
}
