using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.ApiKeys;
using ThreatIntel.Core.Auditing;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Infrastructure.Auditing;

/// <summary>
/// Records who did what. On every save it stamps <c>CreatedBy</c>/<c>UpdatedBy</c> with the caller and adds an audit
/// entry for every created, changed or deleted definition, IOC, API key and webhook to the same <c>SaveChanges</c>, so the
/// record of a change commits or rolls back with the change itself.
/// </summary>
internal sealed class AuditInterceptor(ICurrentActor actor, TimeProvider timeProvider) : SaveChangesInterceptor
{
    private static readonly Dictionary<Type, HashSet<string>> SkippedPropertiesByAuditedType = new()
    {
        // Derived or secret values: the readable field beside them is audited instead.
        [typeof(AlertDefinition)] = [nameof(AlertDefinition.NormalizedName), nameof(AlertDefinition.Version)],
        [typeof(Ioc)] = [nameof(Ioc.ValueHash), nameof(Ioc.Version)],
        [typeof(ApiKey)] = [nameof(ApiKey.SecretHash)],
        [typeof(Webhook)] = [nameof(Webhook.Version)],
    };

    /// <summary>Secrets whose every change is recorded, but never their values: a rotation must show in the audit log.</summary>
    private static readonly HashSet<(Type, string)> RedactedProperties = [(typeof(Webhook), nameof(Webhook.Secret))];

    private const string Redacted = "[redacted]";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context)
        {
            foreach (var children in UnloadedCascadedChildren(context))
            {
                children.Load();
            }

            AddAuditEntries(context);
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            foreach (var children in UnloadedCascadedChildren(context))
            {
                await children.LoadAsync(cancellationToken);
            }

            AddAuditEntries(context);
        }

        return result;
    }

    /// <summary>
    /// The audited children that a deleted object takes with it but that were not loaded (a definition's IOCs): the
    /// database's cascade would remove them without an entry each, so they are loaded to be deleted and recorded here.
    /// </summary>
    private static List<CollectionEntry> UnloadedCascadedChildren(DbContext context) =>
        context.ChangeTracker.Entries()
            .Where(entry => entry.State == EntityState.Deleted && SkippedPropertiesByAuditedType.ContainsKey(entry.Metadata.ClrType))
            .SelectMany(entry => entry.Collections)
            .Where(children => !children.IsLoaded
                && children.Metadata is INavigation { ForeignKey.DeleteBehavior: DeleteBehavior.Cascade } navigation
                && SkippedPropertiesByAuditedType.ContainsKey(navigation.TargetEntityType.ClrType))
            .ToList();

    private void AddAuditEntries(DbContext context)
    {
        context.ChangeTracker.DetectChanges();

        // Marks the children loaded above as deleted, so that each gets its own entry.
        context.ChangeTracker.CascadeChanges();
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var changed = context.ChangeTracker.Entries()
            .Where(entry => SkippedPropertiesByAuditedType.ContainsKey(entry.Metadata.ClrType)
                && entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();
        foreach (var entry in changed)
        {
            StampActor(entry);
        }

        context.AddRange(changed.Select(entry => ToAuditEntry(entry, now)).OfType<AuditEntry>());
    }

    private void StampActor(EntityEntry entry)
    {
        if (entry.State == EntityState.Added && entry.Metadata.FindProperty("CreatedBy") is not null)
        {
            entry.Property("CreatedBy").CurrentValue = actor.Name;
        }

        if (entry.State is EntityState.Added or EntityState.Modified && entry.Metadata.FindProperty("UpdatedBy") is not null)
        {
            entry.Property("UpdatedBy").CurrentValue = actor.Name;
        }
    }

    private AuditEntry? ToAuditEntry(EntityEntry entry, DateTime now)
    {
        var skipped = SkippedPropertiesByAuditedType[entry.Metadata.ClrType];
        var changes = new Dictionary<string, FieldChange>();
        foreach (var property in entry.Properties.Where(p => !skipped.Contains(p.Metadata.Name)))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Metadata.Name);
            var redacted = RedactedProperties.Contains((entry.Metadata.ClrType, property.Metadata.Name));
            object? Shown(object? value) => redacted && value is not null ? Redacted : value;
            switch (entry.State)
            {
                case EntityState.Added:
                    changes[name] = new FieldChange(null, Shown(property.CurrentValue));
                    break;
                case EntityState.Deleted:
                    changes[name] = new FieldChange(Shown(property.OriginalValue), null);
                    break;
                case EntityState.Modified when property.IsModified && !Equals(Json(property.OriginalValue), Json(property.CurrentValue)):
                    changes[name] = new FieldChange(Shown(property.OriginalValue), Shown(property.CurrentValue));
                    break;
            }
        }

        if (entry.State == EntityState.Modified && changes.Keys.All(key => key is "updatedAt" or "updatedBy"))
        {
            return null;
        }

        return new AuditEntry
        {
            Timestamp = now,
            Actor = actor.Name,
            Action = entry.State switch
            {
                EntityState.Added => AuditAction.Created,
                EntityState.Deleted => AuditAction.Deleted,
                _ => AuditAction.Updated,
            },
            EntityType = entry.Metadata.ClrType.Name,
            EntityId = (Guid)entry.Property("Id").CurrentValue!,
            Changes = JsonSerializer.Serialize(changes, JsonOptions),
        };
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value, JsonOptions);

    private sealed record FieldChange(
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? Before,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? After);
}
