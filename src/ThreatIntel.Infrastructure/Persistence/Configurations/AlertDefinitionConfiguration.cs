using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ThreatIntel.Core;
using ThreatIntel.Core.AlertDefinitions;

namespace ThreatIntel.Infrastructure.Persistence.Configurations;

internal sealed class AlertDefinitionConfiguration : IEntityTypeConfiguration<AlertDefinition>
{
    public void Configure(EntityTypeBuilder<AlertDefinition> builder)
    {
        builder.ToTable("AlertDefinitions");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();

        builder.Property(d => d.Name).HasMaxLength(FieldLimits.DefinitionNameMaxLength).IsRequired();
        builder.Property(d => d.NormalizedName).HasMaxLength(FieldLimits.DefinitionNameMaxLength).IsRequired();
        builder.HasIndex(d => d.NormalizedName).IsUnique();

        builder.Property(d => d.Description).HasMaxLength(FieldLimits.DefinitionDescriptionMaxLength);
        builder.Property(d => d.Category).HasMaxLength(FieldLimits.CategoryMaxLength);
        builder.Property(d => d.RecommendedActions).HasMaxLength(FieldLimits.RecommendedActionsMaxLength);
        builder.PrimitiveCollection(d => d.MitreTechniques).IsRequired()
            .ElementType().HasMaxLength(FieldLimits.MitreTechniqueMaxLength);
        builder.PrimitiveCollection(d => d.Tags).IsRequired()
            .ElementType().HasMaxLength(FieldLimits.TagMaxLength);

        // Stored as its number so that ordering by severity follows Informational < ... < Critical.
        builder.Property(d => d.Severity);
        builder.Property(d => d.Source).HasMaxLength(FieldLimits.SourceMaxLength);
        builder.Property(d => d.CreatedBy).HasMaxLength(FieldLimits.ActorMaxLength);
        builder.Property(d => d.UpdatedBy).HasMaxLength(FieldLimits.ActorMaxLength);
        builder.Property(d => d.Version).IsConcurrencyToken();

        builder.HasIndex(d => d.Source);
        builder.HasIndex(d => d.UpdatedAt);

        builder.HasMany(d => d.Iocs)
            .WithOne()
            .HasForeignKey(i => i.AlertDefinitionId)
            .OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(d => d.Iocs).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
