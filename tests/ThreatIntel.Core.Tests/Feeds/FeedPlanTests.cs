using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Iocs.Normalization;

namespace ThreatIntel.Core.Tests.Feeds;

public class FeedPlanTests
{
    private const string Sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string Md5 = "d41d8cd98f00b204e9800998ecf8427e";

    private static readonly DateTime Now = new(2026, 1, 15, 10, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Expiry = new(2026, 12, 31, 23, 59, 59, DateTimeKind.Utc);

    [Theory]
    [InlineData(FeedPushMode.Sync)]
    [InlineData(FeedPushMode.Merge)]
    public void A_new_definition_is_created_with_all_of_its_iocs_counted_as_created(FeedPushMode mode)
    {
        var emotet = Pushed(
            Metadata("Emotet"),
            Ioc(IocType.FileSha256, Sha256),
            Ioc(IocType.DomainName, "evil.com"),
            Ioc(IocType.Url, "http://evil.com/payload"));
        var qakbot = Pushed(Metadata("Qakbot"), Ioc(IocType.FileMd5, Md5));

        var plan = FeedPlan.Create([], [], [emotet, qakbot], mode);

        Assert.Equal([emotet, qakbot], plan.DefinitionsToCreate);
        Assert.Empty(plan.IocsToCreate);
        Assert.Empty(plan.DefinitionsToUpdate);
        Assert.Empty(plan.DefinitionsToRemove);
        Assert.Equal(new FeedChangeCounts(2, 0, 0, 0, 4, 0, 0, 0), plan.Counts);
    }

    [Theory]
    [InlineData(FeedPushMode.Sync)]
    [InlineData(FeedPushMode.Merge)]
    public void A_new_definition_next_to_a_stored_one_is_created_and_the_stored_one_left_alone(FeedPushMode mode)
    {
        var stored = Stored(Metadata("Emotet"));
        var storedIoc = StoredIoc(stored, IocType.FileSha256, IocAction.Equals, Sha256);
        var qakbot = Pushed(Metadata("Qakbot"), Ioc(IocType.FileMd5, Md5), Ioc(IocType.DomainName, "qak.example"));

        var plan = FeedPlan.Create(
            [stored],
            [storedIoc],
            [Pushed(Metadata("Emotet"), Ioc(IocType.FileSha256, Sha256)), qakbot],
            mode);

        Assert.Same(qakbot, Assert.Single(plan.DefinitionsToCreate));
        Assert.Equal(new FeedChangeCounts(1, 0, 0, 1, 2, 0, 1, 0), plan.Counts);
    }

    [Theory]
    [InlineData(FeedPushMode.Sync)]
    [InlineData(FeedPushMode.Merge)]
    public void Pushing_the_stored_content_again_plans_no_write_and_counts_everything_unchanged(FeedPushMode mode)
    {
        var emotet = Stored(Metadata("Emotet"));
        var qakbot = Stored(Metadata("Qakbot", Severity.Critical));
        var storedIocs = new[]
        {
            StoredIoc(emotet, IocType.FileSha256, IocAction.Equals, Sha256, "dropper"),
            StoredIoc(emotet, IocType.DomainName, IocAction.EndsWith, "evil.com", expiresAt: Expiry),
            StoredIoc(qakbot, IocType.FileMd5, IocAction.Equals, Md5, enabled: false),
        };

        var plan = FeedPlan.Create(
            [emotet, qakbot],
            storedIocs,
            [
                Pushed(
                    Metadata("Emotet"),
                    Ioc(IocType.FileSha256, Sha256, description: "dropper"),
                    Ioc(IocType.DomainName, "evil.com", expiresAt: Expiry)),
                Pushed(Metadata("Qakbot", Severity.Critical), Ioc(IocType.FileMd5, Md5, enabled: false)),
            ],
            mode);

        AssertNoWrites(plan);
        Assert.Equal(new FeedChangeCounts(0, 0, 0, 2, 0, 0, 3, 0), plan.Counts);
        Assert.True(plan.Counts.IsEmpty);
    }

    [Fact]
    public void Metadata_that_differs_only_in_ways_canonicalisation_removes_is_unchanged()
    {
        var stored = Stored(Metadata("Emotet", mitre: ["T1059", "T1566.001"], tags: ["emotet", "Banking"]));
        var pushedMetadata = Metadata(
            "  Emotet  ",
            mitre: ["t1059", " T1566.001 ", "T1059"],
            tags: [" emotet", "Banking", "EMOTET", "banking"]);

        var plan = FeedPlan.Create([stored], [], [Pushed(pushedMetadata)], FeedPushMode.Sync);

        Assert.Empty(plan.DefinitionsToUpdate);
        Assert.Equal(1, plan.DefinitionsUnchanged);
        Assert.True(plan.Counts.IsEmpty);
    }

    [Fact]
    public void A_mitre_id_pushed_in_lower_case_is_not_a_change_because_ids_are_stored_upper_case()
    {
        var stored = Stored(Metadata("Emotet", mitre: ["t1059.001"]));
        Assert.Equal(["T1059.001"], stored.MitreTechniques);

        var plan = FeedPlan.Create([stored], [], [Pushed(Metadata("Emotet", mitre: ["T1059.001"]))], FeedPushMode.Sync);

        Assert.Empty(plan.DefinitionsToUpdate);
        Assert.Equal(1, plan.DefinitionsUnchanged);
    }

    [Theory]
    [InlineData("severity")]
    [InlineData("description")]
    [InlineData("description removed")]
    [InlineData("category")]
    [InlineData("recommended actions")]
    [InlineData("enabled")]
    [InlineData("mitre id added")]
    [InlineData("mitre ids reordered")]
    [InlineData("tag added")]
    [InlineData("tags reordered")]
    [InlineData("tag case")]
    public void A_metadata_change_plans_an_update_of_the_stored_definition(string change)
    {
        var original = Metadata("Emotet", mitre: ["T1059", "T1566"], tags: ["emotet", "banking"]);
        var changed = change switch
        {
            "severity" => original with { Severity = Severity.Critical },
            "description" => original with { Description = "Another description" },
            "description removed" => original with { Description = null },
            "category" => original with { Category = "Ransomware" },
            "recommended actions" => original with { RecommendedActions = "Isolate the host" },
            "enabled" => original with { Enabled = false },
            "mitre id added" => original with { MitreTechniques = ["T1059", "T1566", "T1204"] },
            "mitre ids reordered" => original with { MitreTechniques = ["T1566", "T1059"] },
            "tag added" => original with { Tags = ["emotet", "banking", "loader"] },
            "tags reordered" => original with { Tags = ["banking", "emotet"] },
            "tag case" => original with { Tags = ["Emotet", "banking"] },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var stored = Stored(original);
        var storedIoc = StoredIoc(stored, IocType.FileSha256, IocAction.Equals, Sha256);

        var plan = FeedPlan.Create(
            [stored],
            [storedIoc],
            [Pushed(changed, Ioc(IocType.FileSha256, Sha256))],
            FeedPushMode.Sync);

        var (updated, metadata) = Assert.Single(plan.DefinitionsToUpdate);
        Assert.Same(stored, updated);
        Assert.Same(changed, metadata);
        Assert.Empty(plan.DefinitionsToCreate);
        Assert.Empty(plan.DefinitionsToRemove);
        Assert.Equal(new FeedChangeCounts(0, 1, 0, 0, 0, 0, 1, 0), plan.Counts);
    }

    [Theory]
    [InlineData(FeedPushMode.Sync)]
    [InlineData(FeedPushMode.Merge)]
    public void A_definition_renamed_only_in_case_is_the_same_definition_with_its_name_updated(FeedPushMode mode)
    {
        var stored = Stored(Metadata("Emotet"));
        var storedIoc = StoredIoc(stored, IocType.FileSha256, IocAction.Equals, Sha256);
        var renamed = Metadata("EMOTET");

        var plan = FeedPlan.Create([stored], [storedIoc], [Pushed(renamed, Ioc(IocType.FileSha256, Sha256))], mode);

        var (updated, metadata) = Assert.Single(plan.DefinitionsToUpdate);
        Assert.Same(stored, updated);
        Assert.Equal("EMOTET", metadata.Name);
        Assert.Empty(plan.DefinitionsToCreate);
        Assert.Empty(plan.DefinitionsToRemove);
        Assert.Empty(plan.IocsToCreate);
        Assert.Empty(plan.IocsToRemove);
        Assert.Equal(new FeedChangeCounts(0, 1, 0, 0, 0, 0, 1, 0), plan.Counts);
    }

    [Theory]
    [InlineData("description added")]
    [InlineData("description changed")]
    [InlineData("description removed")]
    [InlineData("disabled")]
    [InlineData("enabled")]
    [InlineData("expiry added")]
    [InlineData("expiry changed")]
    [InlineData("expiry removed")]
    public void An_ioc_content_change_plans_an_update_of_the_stored_ioc(string change)
    {
        var (storedDescription, storedEnabled, storedExpiry, pushedDescription, pushedEnabled, pushedExpiry) = change switch
        {
            "description added" => ((string?)null, true, (DateTime?)null, (string?)"dropper", true, (DateTime?)null),
            "description changed" => ("dropper", true, null, "loader", true, null),
            "description removed" => ("dropper", true, null, null, true, null),
            "disabled" => (null, true, null, null, false, null),
            "enabled" => (null, false, null, null, true, null),
            "expiry added" => (null, true, null, null, true, Expiry),
            "expiry changed" => (null, true, Expiry, null, true, Expiry.AddDays(1)),
            "expiry removed" => (null, true, Expiry, null, true, null),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var stored = Stored(Metadata("Emotet"));
        var storedIoc = StoredIoc(
            stored, IocType.FileSha256, IocAction.Equals, Sha256, storedDescription, storedEnabled, storedExpiry);
        var pushedIoc = Ioc(IocType.FileSha256, Sha256, null, pushedDescription, pushedEnabled, pushedExpiry);

        var plan = FeedPlan.Create([stored], [storedIoc], [Pushed(Metadata("Emotet"), pushedIoc)], FeedPushMode.Sync);

        var (iocId, ioc) = Assert.Single(plan.IocsToUpdate);
        Assert.Equal(storedIoc.Id, iocId);
        Assert.Same(pushedIoc, ioc);
        Assert.Empty(plan.IocsToCreate);
        Assert.Empty(plan.IocsToRemove);
        Assert.Equal(new FeedChangeCounts(0, 0, 0, 1, 0, 1, 0, 0), plan.Counts);
    }

    [Theory]
    [InlineData(FeedPushMode.Sync)]
    [InlineData(FeedPushMode.Merge)]
    public void A_new_ioc_of_a_stored_definition_is_created_under_that_definition(FeedPushMode mode)
    {
        var stored = Stored(Metadata("Emotet"));
        var storedIoc = StoredIoc(stored, IocType.FileSha256, IocAction.Equals, Sha256);
        var newIoc = Ioc(IocType.DomainName, "evil.com");

        var plan = FeedPlan.Create(
            [stored],
            [storedIoc],
            [Pushed(Metadata("Emotet"), Ioc(IocType.FileSha256, Sha256), newIoc)],
            mode);

        var (definition, ioc) = Assert.Single(plan.IocsToCreate);
        Assert.Same(stored, definition);
        Assert.Same(newIoc, ioc);
        Assert.Empty(plan.DefinitionsToCreate);
        Assert.Equal(new FeedChangeCounts(0, 0, 0, 1, 1, 0, 1, 0), plan.Counts);
    }

    [Fact]
    public void Sync_removes_an_ioc_that_is_no_longer_pushed()
    {
        var stored = Stored(Metadata("Emotet"));
        var kept = StoredIoc(stored, IocType.FileSha256, IocAction.Equals, Sha256);
        var dropped = StoredIoc(stored, IocType.DomainName, IocAction.EndsWith, "evil.com");

        var plan = FeedPlan.Create(
            [stored],
            [kept, dropped],
            [Pushed(Metadata("Emotet"), Ioc(IocType.FileSha256, Sha256))],
            FeedPushMode.Sync);

        Assert.Equal([dropped.Id], plan.IocsToRemove);
        Assert.Empty(plan.DefinitionsToRemove);
        Assert.Equal(new FeedChangeCounts(0, 0, 0, 1, 0, 0, 1, 1), plan.Counts);
    }

    [Fact]
    public void Merge_keeps_an_ioc_that_is_not_pushed_and_counts_it_unchanged()
    {
        var stored = Stored(Metadata("Emotet"));
        var kept = StoredIoc(stored, IocType.FileSha256, IocAction.Equals, Sha256);
        var notPushed = StoredIoc(stored, IocType.DomainName, IocAction.EndsWith, "evil.com");

        var plan = FeedPlan.Create(
            [stored],
            [kept, notPushed],
            [Pushed(Metadata("Emotet"), Ioc(IocType.FileSha256, Sha256))],
            FeedPushMode.Merge);

        AssertNoWrites(plan);
        Assert.Equal(new FeedChangeCounts(0, 0, 0, 1, 0, 0, 2, 0), plan.Counts);
    }

    [Fact]
    public void Sync_removes_a_definition_that_is_no_longer_pushed_together_with_its_iocs()
    {
        var emotet = Stored(Metadata("Emotet"));
        var qakbot = Stored(Metadata("Qakbot"));
        var storedIocs = new[]
        {
            StoredIoc(emotet, IocType.FileSha256, IocAction.Equals, Sha256),
            StoredIoc(qakbot, IocType.FileMd5, IocAction.Equals, Md5),
            StoredIoc(qakbot, IocType.DomainName, IocAction.EndsWith, "qak.example"),
            StoredIoc(qakbot, IocType.Url, IocAction.StartsWith, "http://qak.example/"),
        };

        var plan = FeedPlan.Create(
            [emotet, qakbot],
            storedIocs,
            [Pushed(Metadata("Emotet"), Ioc(IocType.FileSha256, Sha256))],
            FeedPushMode.Sync);

        Assert.Same(qakbot, Assert.Single(plan.DefinitionsToRemove));
        Assert.Equal(3, plan.IocsOfRemovedDefinitions);
        Assert.Empty(plan.IocsToRemove);
        Assert.Equal(new FeedChangeCounts(0, 0, 1, 1, 0, 0, 1, 3), plan.Counts);
    }

    [Fact]
    public void Merge_keeps_a_definition_that_is_not_pushed_and_counts_it_and_its_iocs_unchanged()
    {
        var emotet = Stored(Metadata("Emotet"));
        var qakbot = Stored(Metadata("Qakbot"));
        var storedIocs = new[]
        {
            StoredIoc(emotet, IocType.FileSha256, IocAction.Equals, Sha256),
            StoredIoc(qakbot, IocType.FileMd5, IocAction.Equals, Md5),
            StoredIoc(qakbot, IocType.DomainName, IocAction.EndsWith, "qak.example"),
        };

        var plan = FeedPlan.Create(
            [emotet, qakbot],
            storedIocs,
            [Pushed(Metadata("Emotet"), Ioc(IocType.FileSha256, Sha256))],
            FeedPushMode.Merge);

        AssertNoWrites(plan);
        Assert.Equal(new FeedChangeCounts(0, 0, 0, 2, 0, 0, 3, 0), plan.Counts);
    }

    [Fact]
    public void An_empty_sync_push_removes_every_definition_of_the_feed()
    {
        var emotet = Stored(Metadata("Emotet"));
        var qakbot = Stored(Metadata("Qakbot"));
        var storedIocs = new[]
        {
            StoredIoc(emotet, IocType.FileSha256, IocAction.Equals, Sha256),
            StoredIoc(qakbot, IocType.FileMd5, IocAction.Equals, Md5),
        };

        var plan = FeedPlan.Create([emotet, qakbot], storedIocs, [], FeedPushMode.Sync);

        Assert.Equal([emotet, qakbot], plan.DefinitionsToRemove.OrderBy(d => d.Name));
        Assert.Equal(new FeedChangeCounts(0, 0, 2, 0, 0, 0, 0, 2), plan.Counts);
    }

    [Fact]
    public void An_empty_merge_push_changes_nothing()
    {
        var emotet = Stored(Metadata("Emotet"));
        var storedIoc = StoredIoc(emotet, IocType.FileSha256, IocAction.Equals, Sha256);

        var plan = FeedPlan.Create([emotet], [storedIoc], [], FeedPushMode.Merge);

        AssertNoWrites(plan);
        Assert.Equal(new FeedChangeCounts(0, 0, 0, 1, 0, 0, 1, 0), plan.Counts);
    }

    [Fact]
    public void A_stored_definition_without_iocs_that_is_not_pushed_is_removed_with_no_iocs()
    {
        var empty = Stored(Metadata("Empty"));

        var plan = FeedPlan.Create([empty], [], [], FeedPushMode.Sync);

        Assert.Same(empty, Assert.Single(plan.DefinitionsToRemove));
        Assert.Equal(0, plan.IocsOfRemovedDefinitions);
        Assert.Equal(new FeedChangeCounts(0, 0, 1, 0, 0, 0, 0, 0), plan.Counts);
    }

    [Theory]
    [InlineData(IocType.FileSha256, Sha256)]
    [InlineData(IocType.FileMd5, Md5)]
    public void A_hash_pushed_in_upper_case_is_the_same_ioc_as_the_stored_lower_case_hash(IocType type, string hash)
    {
        var stored = Stored(Metadata("Emotet"));
        var storedIoc = StoredIoc(stored, type, IocAction.Equals, hash);

        var plan = FeedPlan.Create(
            [stored],
            [storedIoc],
            [Pushed(Metadata("Emotet"), Ioc(type, hash.ToUpperInvariant()))],
            FeedPushMode.Sync);

        AssertNoWrites(plan);
        Assert.Equal(1, plan.IocsUnchanged);
    }

    [Theory]
    [InlineData(IocType.FileName, "Invoice.exe", "INVOICE.EXE")]
    [InlineData(IocType.ProcessName, "PowerShell.exe", "powershell.EXE")]
    [InlineData(IocType.FilePath, @"C:\Users\Public\evil.dll", @"c:\users\public\EVIL.DLL")]
    public void A_free_text_value_in_another_case_is_the_same_ioc(IocType type, string storedValue, string pushedValue)
    {
        var stored = Stored(Metadata("Emotet"));
        var storedIoc = StoredIoc(stored, type, IocAction.Equals, storedValue);

        var plan = FeedPlan.Create(
            [stored],
            [storedIoc],
            [Pushed(Metadata("Emotet"), Ioc(type, pushedValue, IocAction.Equals))],
            FeedPushMode.Sync);

        AssertNoWrites(plan);
        Assert.Equal(1, plan.IocsUnchanged);
    }

    [Fact]
    public void A_free_text_regex_in_another_case_is_a_different_ioc()
    {
        var stored = Stored(Metadata("Emotet"));
        var storedIoc = StoredIoc(stored, IocType.FileName, IocAction.Regex, "^invoice[0-9]+\\.exe$");

        var plan = FeedPlan.Create(
            [stored],
            [storedIoc],
            [Pushed(Metadata("Emotet"), Ioc(IocType.FileName, "^INVOICE[0-9]+\\.EXE$", IocAction.Regex))],
            FeedPushMode.Sync);

        Assert.Single(plan.IocsToCreate);
        Assert.Equal([storedIoc.Id], plan.IocsToRemove);
    }

    [Theory]
    [InlineData(IocType.FileName, "invoice.exe", IocAction.Equals, IocAction.Contains)]
    [InlineData(IocType.DomainName, "evil.com", IocAction.EndsWith, IocAction.Equals)]
    [InlineData(IocType.Url, "http://evil.com/payload", IocAction.StartsWith, IocAction.Equals)]
    public void The_same_value_with_another_action_is_a_different_ioc(
        IocType type, string value, IocAction storedAction, IocAction pushedAction)
    {
        var stored = Stored(Metadata("Emotet"));
        var storedIoc = StoredIoc(stored, type, storedAction, value);
        var pushedIoc = Ioc(type, value, pushedAction);

        var sync = FeedPlan.Create([stored], [storedIoc], [Pushed(Metadata("Emotet"), pushedIoc)], FeedPushMode.Sync);
        var merge = FeedPlan.Create([stored], [storedIoc], [Pushed(Metadata("Emotet"), pushedIoc)], FeedPushMode.Merge);

        Assert.Same(pushedIoc, Assert.Single(sync.IocsToCreate).Ioc);
        Assert.Equal([storedIoc.Id], sync.IocsToRemove);
        Assert.Equal(new FeedChangeCounts(0, 0, 0, 1, 1, 0, 0, 1), sync.Counts);

        Assert.Same(pushedIoc, Assert.Single(merge.IocsToCreate).Ioc);
        Assert.Empty(merge.IocsToRemove);
        Assert.Equal(new FeedChangeCounts(0, 0, 0, 1, 1, 0, 1, 0), merge.Counts);
    }

    [Fact]
    public void Iocs_are_paired_only_within_their_own_definition()
    {
        var emotet = Stored(Metadata("Emotet"));
        var qakbot = Stored(Metadata("Qakbot"));
        var storedIoc = StoredIoc(emotet, IocType.FileSha256, IocAction.Equals, Sha256);
        var moved = Ioc(IocType.FileSha256, Sha256);

        var plan = FeedPlan.Create(
            [emotet, qakbot],
            [storedIoc],
            [Pushed(Metadata("Emotet")), Pushed(Metadata("Qakbot"), moved)],
            FeedPushMode.Sync);

        var (definition, ioc) = Assert.Single(plan.IocsToCreate);
        Assert.Same(qakbot, definition);
        Assert.Same(moved, ioc);
        Assert.Equal([storedIoc.Id], plan.IocsToRemove);
        Assert.Equal(new FeedChangeCounts(0, 0, 0, 2, 1, 0, 0, 1), plan.Counts);
    }

    [Fact]
    public void A_sync_push_plans_every_kind_of_change_at_once()
    {
        var kept = Stored(Metadata("Kept"));
        var updated = Stored(Metadata("Updated"));
        var removed = Stored(Metadata("Removed"));
        var unchangedIoc = StoredIoc(kept, IocType.FileSha256, IocAction.Equals, Sha256);
        var changedIoc = StoredIoc(kept, IocType.FileMd5, IocAction.Equals, Md5, "old");
        var droppedIoc = StoredIoc(kept, IocType.DomainName, IocAction.EndsWith, "gone.example");
        var iocOfRemoved = StoredIoc(removed, IocType.DomainName, IocAction.EndsWith, "removed.example");
        var created = Pushed(Metadata("Created"), Ioc(IocType.Url, "http://new.example/x"));

        var plan = FeedPlan.Create(
            [kept, updated, removed],
            [unchangedIoc, changedIoc, droppedIoc, iocOfRemoved],
            [
                Pushed(
                    Metadata("Kept"),
                    Ioc(IocType.FileSha256, Sha256),
                    Ioc(IocType.FileMd5, Md5, description: "new"),
                    Ioc(IocType.IpAddress, "10.0.0.0/8")),
                Pushed(Metadata("Updated", Severity.Low)),
                created,
            ],
            FeedPushMode.Sync);

        Assert.Same(created, Assert.Single(plan.DefinitionsToCreate));
        Assert.Same(updated, Assert.Single(plan.DefinitionsToUpdate).Stored);
        Assert.Same(removed, Assert.Single(plan.DefinitionsToRemove));
        Assert.Equal(changedIoc.Id, Assert.Single(plan.IocsToUpdate).IocId);
        Assert.Equal(IocAction.InRange, Assert.Single(plan.IocsToCreate).Ioc.Action);
        Assert.Equal([droppedIoc.Id], plan.IocsToRemove);
        Assert.Equal(new FeedChangeCounts(1, 1, 1, 1, 2, 1, 1, 2), plan.Counts);
    }

    private static AlertDefinitionMetadata Metadata(
        string name,
        Severity severity = Severity.High,
        IReadOnlyList<string>? mitre = null,
        IReadOnlyList<string>? tags = null) =>
        new(name, "Banking trojan", severity, "Malware", mitre ?? ["T1059"], "Block and reimage", tags ?? ["emotet"], true);

    private static AlertDefinition Stored(AlertDefinitionMetadata metadata) =>
        AlertDefinition.Create(metadata, Now, source: "feed");

    private static StoredFeedIoc StoredIoc(
        AlertDefinition definition,
        IocType type,
        IocAction action,
        string normalizedValue,
        string? description = null,
        bool enabled = true,
        DateTime? expiresAt = null) =>
        new(Guid.NewGuid(), definition.Id, IocIdentity.Of(type, action, normalizedValue), description, enabled, expiresAt);

    /// <summary>An IOC as a parser hands it over: normalised, with the default action when none is given.</summary>
    private static FeedIoc Ioc(
        IocType type,
        string value,
        IocAction? action = null,
        string? description = null,
        bool enabled = true,
        DateTime? expiresAt = null)
    {
        var chosen = action ?? IocTypeRules.DefaultAction(type, value);
        var normalized = IocValueNormalizer.Normalize(type, chosen, value);
        Assert.True(normalized.IsValid, normalized.Error);
        return new FeedIoc(IocIdentity.Of(type, chosen, normalized.Value), normalized.Value, description, enabled, expiresAt);
    }

    private static FeedDefinition Pushed(AlertDefinitionMetadata metadata, params FeedIoc[] iocs)
    {
        var definition = new FeedDefinition(metadata);
        definition.Iocs.AddRange(iocs);
        return definition;
    }

    private static void AssertNoWrites(FeedPlan plan)
    {
        Assert.Empty(plan.DefinitionsToCreate);
        Assert.Empty(plan.DefinitionsToUpdate);
        Assert.Empty(plan.DefinitionsToRemove);
        Assert.Empty(plan.IocsToCreate);
        Assert.Empty(plan.IocsToUpdate);
        Assert.Empty(plan.IocsToRemove);
        Assert.Equal(0, plan.IocsOfRemovedDefinitions);
        Assert.True(plan.Counts.IsEmpty);
    }
}
