using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ThreatIntel.Core;
using ThreatIntel.Core.Auditing;

namespace ThreatIntel.Infrastructure.Persistence.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditLog");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.Actor).HasMaxLength(FieldLimits.ActorMaxLength).IsRequired();
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(FieldLimits.EnumMaxLength);
        builder.Property(e => e.EntityType).HasMaxLength(FieldLimits.EnumMaxLength).IsRequired();
        builder.Property(e => e.Changes).IsRequired();
        builder.HasIndex(e => new { e.EntityType, e.EntityId });
        builder.HasIndex(e => e.Timestamp);
        builder.HasIndex(e => e.Actor);
    }
}
