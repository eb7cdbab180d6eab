using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ThreatIntel.Core;
using ThreatIntel.Core.Alerts;

namespace ThreatIntel.Infrastructure.Persistence.Configurations;

internal sealed class AlertChangeConfiguration : IEntityTypeConfiguration<AlertChange>
{
    public void Configure(EntityTypeBuilder<AlertChange> builder)
    {
        builder.ToTable("AlertChanges");
        builder.HasKey(c => c.Sequence);
        builder.Property(c => c.Sequence).ValueGeneratedOnAdd();
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(FieldLimits.EnumMaxLength);
        builder.Property(c => c.Message).IsRequired();
        builder.HasIndex(c => c.At);
    }
}
