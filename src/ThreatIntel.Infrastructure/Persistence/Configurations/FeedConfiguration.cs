using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ThreatIntel.Core;
using ThreatIntel.Core.Feeds;

namespace ThreatIntel.Infrastructure.Persistence.Configurations;

internal sealed class FeedConfiguration : IEntityTypeConfiguration<Feed>
{
    public void Configure(EntityTypeBuilder<Feed> builder)
    {
        builder.ToTable("Feeds");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.Name).HasMaxLength(FieldLimits.SourceMaxLength).IsRequired();
        builder.HasIndex(f => f.Name).IsUnique();
        builder.Property(f => f.CreatedBy).HasMaxLength(FieldLimits.ActorMaxLength);
        builder.Property(f => f.LastPushBy).HasMaxLength(FieldLimits.ActorMaxLength);
        builder.Property(f => f.Version).IsConcurrencyToken();
    }
}
