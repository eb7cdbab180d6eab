using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ThreatIntel.Core;
using ThreatIntel.Core.Iocs;

namespace ThreatIntel.Infrastructure.Persistence.Configurations;

internal sealed class IocConfiguration : IEntityTypeConfiguration<Ioc>
{
    public void Configure(EntityTypeBuilder<Ioc> builder)
    {
        builder.ToTable("Iocs");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).ValueGeneratedNever();

        builder.Property(i => i.Type).HasConversion<string>().HasMaxLength(FieldLimits.EnumMaxLength);
        builder.Property(i => i.Action).HasConversion<string>().HasMaxLength(FieldLimits.EnumMaxLength);
        builder.Property(i => i.Value).HasMaxLength(FieldLimits.IocValueMaxLength).IsRequired();
        builder.Property(i => i.ValueHash).HasMaxLength(FieldLimits.ValueHashLength).IsFixedLength().IsRequired();
        builder.Property(i => i.Description).HasMaxLength(FieldLimits.IocDescriptionMaxLength);
        builder.Property(i => i.Source).HasMaxLength(FieldLimits.SourceMaxLength);
        builder.Property(i => i.CreatedBy).HasMaxLength(FieldLimits.ActorMaxLength);
        builder.Property(i => i.UpdatedBy).HasMaxLength(FieldLimits.ActorMaxLength);
        builder.Property(i => i.Version).IsConcurrencyToken();

        builder.HasIndex(i => new { i.AlertDefinitionId, i.Type, i.Action, i.ValueHash })
            .IsUnique()
            .HasDatabaseName("UX_Iocs_AlertDefinitionId_Type_Action_ValueHash");
        builder.HasIndex(i => new { i.Type, i.ValueHash }).HasDatabaseName("IX_Iocs_Type_ValueHash");
    }
}
