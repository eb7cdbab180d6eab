using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ThreatIntel.Core;
using ThreatIntel.Core.Alerts;

namespace ThreatIntel.Infrastructure.Persistence.Configurations;

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.ToTable("Alerts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();

        // No foreign key to the definition: an alert outlives the definition and IOC it snapshots.
        builder.Property(a => a.AlertDefinitionName).HasMaxLength(FieldLimits.DefinitionNameMaxLength).IsRequired();
        builder.Property(a => a.IocType).HasConversion<string>().HasMaxLength(FieldLimits.EnumMaxLength);
        builder.Property(a => a.IocAction).HasConversion<string>().HasMaxLength(FieldLimits.EnumMaxLength);
        builder.Property(a => a.IocValue).HasMaxLength(FieldLimits.IocValueMaxLength).IsRequired();
        builder.Property(a => a.ObservedValue).HasMaxLength(FieldLimits.ObservedValueMaxLength).IsRequired();
        builder.Property(a => a.DeviceId).HasMaxLength(FieldLimits.DeviceIdMaxLength).IsRequired();
        builder.Property(a => a.EventId).HasMaxLength(FieldLimits.EventIdMaxLength);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(FieldLimits.EnumMaxLength);
        builder.Property(a => a.AssignedTo).HasMaxLength(FieldLimits.ActorMaxLength);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.OwnsMany(a => a.Comments, comments => comments.ToJson());

        builder.HasIndex(a => new { a.AlertDefinitionId, a.IocId, a.DeviceId, a.OpenSlot })
            .IsUnique()
            .HasDatabaseName("UX_Alerts_OneOpenPerDefinitionIocDevice");
        builder.HasIndex(a => a.LastSeen);
        builder.HasIndex(a => new { a.Status, a.LastSeen });
    }
}
