using ThreatIntel.Core.Auditing;
using Microsoft.Extensions.DependencyInjection;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Persistence;

namespace ThreatIntel.Infrastructure.Tests;

/// <summary><see cref="IAlertDefinitionRepository"/> against a migrated SQLite file; each call runs in its own scope.</summary>
public sealed class AlertDefinitionRepositoryTests(InitializedSqliteDatabase fixture) : IClassFixture<InitializedSqliteDatabase>
{
    private readonly SqliteTestDatabase _database = fixture.Database;

    [Fact]
    public async Task Add_NameDifferingOnlyInCaseAndSpaces_ConflictsWithTheExistingDefinition()
    {
        var name = TestData.UniqueName("Cobalt Strike Beacon");
        var existing = await AddAsync(TestData.Definition(name));

        var duplicate = TestData.Definition($"  {name.ToLowerInvariant()} ");
        var result = await WithDefinitions(repository => repository.AddAsync(duplicate, CancellationToken.None));

        Assert.Equal(StoreOutcome.Conflict, result.Outcome);
        Assert.Equal(existing.Id, result.ConflictingId);
        Assert.Null(await WithDefinitions(repository => repository.FindAsync(duplicate.Id, CancellationToken.None)));
    }

    [Fact]
    public async Task UpdateMetadata_RenamingToAnotherDefinitionsNameInAnyCase_ConflictsAndKeepsTheName()
    {
        var taken = await AddAsync(TestData.Definition(TestData.UniqueName("Emotet")));
        var renamed = await AddAsync(TestData.Definition(TestData.UniqueName("Qakbot")));

        var result = await WithDefinitions(repository => repository.UpdateMetadataAsync(
            renamed.Id, renamed.Version, TestData.Metadata(taken.Name.ToUpperInvariant()), CancellationToken.None));

        Assert.Equal(StoreOutcome.Conflict, result.Outcome);
        Assert.Equal(taken.Id, result.ConflictingId);
        var stored = await FindAsync(renamed.Id);
        Assert.Equal(renamed.Name, stored.Definition.Name);
        Assert.Equal(renamed.Version, stored.Definition.Version);
    }

    [Fact]
    public async Task UpdateMetadata_WithAStaleExpectedVersion_IsPreconditionFailed_AndChangesNothing()
    {
        var definition = await AddAsync(TestData.Definition(TestData.UniqueName("Lazarus")));
        var firstVersion = definition.Version;

        var firstEdit = TestData.Metadata(TestData.UniqueName("Lazarus Group"), "First analyst's edit.");
        var accepted = await WithDefinitions(repository => repository.UpdateMetadataAsync(
            definition.Id, firstVersion, firstEdit, CancellationToken.None));
        Assert.Equal(StoreOutcome.Succeeded, accepted.Outcome);
        var currentVersion = accepted.Value!.Definition.Version;
        Assert.NotEqual(firstVersion, currentVersion);

        // A second analyst still holds the ETag read before the first edit.
        var rejected = await WithDefinitions(repository => repository.UpdateMetadataAsync(
            definition.Id,
            firstVersion,
            TestData.Metadata(TestData.UniqueName("Overwritten"), "Second analyst's edit."),
            CancellationToken.None));

        Assert.Equal(StoreOutcome.PreconditionFailed, rejected.Outcome);
        var stored = (await FindAsync(definition.Id)).Definition;
        Assert.Equal(firstEdit.Name, stored.Name);
        Assert.Equal("First analyst's edit.", stored.Description);
        Assert.Equal(ICurrentActor.System, stored.UpdatedBy);
        Assert.Equal(currentVersion, stored.Version);
    }

    [Fact]
    public async Task Delete_WithAStaleExpectedVersion_IsPreconditionFailed_AndKeepsTheDefinitionAndItsIocs()
    {
        var definition = TestData.Definition(TestData.UniqueName("APT29"));
        var ioc = definition.AddIoc(TestData.Ioc(IocType.DomainName, IocAction.Equals, "apt29.example"), DateTime.UtcNow);
        await AddAsync(definition);
        var staleVersion = definition.Version;
        var updated = await WithDefinitions(repository => repository.UpdateMetadataAsync(
            definition.Id, staleVersion, TestData.Metadata(definition.Name, "Edited."), CancellationToken.None));

        var outcome = await WithDefinitions(repository => repository.DeleteAsync(definition.Id, staleVersion, CancellationToken.None));

        Assert.Equal(StoreOutcome.PreconditionFailed, outcome);
        Assert.Equal(1, (await FindAsync(definition.Id)).IocCount);

        // With the current version the delete goes through, and the database removes the IOCs with it.
        var currentVersion = updated.Value!.Definition.Version;
        Assert.Equal(
            StoreOutcome.Succeeded,
            await WithDefinitions(repository => repository.DeleteAsync(definition.Id, currentVersion, CancellationToken.None)));
        Assert.Null(await WithDefinitions(repository => repository.FindAsync(definition.Id, CancellationToken.None)));
        Assert.Null(await WithIocs(repository => repository.FindAsync(ioc.Id, CancellationToken.None)));
    }

    [Fact]
    public async Task Delete_UnknownDefinition_IsNotFound()
    {
        var outcome = await WithDefinitions(repository => repository.DeleteAsync(Guid.NewGuid(), null, CancellationToken.None));

        Assert.Equal(StoreOutcome.NotFound, outcome);
    }

    private async Task<AlertDefinition> AddAsync(AlertDefinition definition)
    {
        var result = await WithDefinitions(repository => repository.AddAsync(definition, CancellationToken.None));
        Assert.Equal(StoreOutcome.Succeeded, result.Outcome);
        return definition;
    }

    private async Task<AlertDefinitionWithCount> FindAsync(Guid id) =>
        Assert.IsType<AlertDefinitionWithCount>(
            await WithDefinitions(repository => repository.FindAsync(id, CancellationToken.None)));

    private async Task<T> WithDefinitions<T>(Func<IAlertDefinitionRepository, Task<T>> action)
    {
        await using var scope = _database.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<IAlertDefinitionRepository>());
    }

    private async Task<T> WithIocs<T>(Func<IIocRepository, Task<T>> action)
    {
        await using var scope = _database.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<IIocRepository>());
    }
}
