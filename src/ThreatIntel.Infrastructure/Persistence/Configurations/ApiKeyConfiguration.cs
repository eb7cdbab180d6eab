using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ThreatIntel.Core;
using ThreatIntel.Core.ApiKeys;

namespace ThreatIntel.Infrastructure.Persistence.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.Name).HasMaxLength(FieldLimits.ActorMaxLength).IsRequired();
        builder.HasIndex(k => k.Name).IsUnique();
        builder.Property(k => k.Prefix).HasMaxLength(ApiKeySecret.PrefixLength).IsRequired();
        builder.HasIndex(k => k.Prefix);
        builder.Property(k => k.SecretHash).HasMaxLength(FieldLimits.ValueHashLength).IsFixedLength().IsRequired();
        builder.PrimitiveCollection(k => k.Scopes).IsRequired().ElementType().HasMaxLength(FieldLimits.EnumMaxLength);
        builder.Property(k => k.CreatedBy).HasMaxLength(FieldLimits.ActorMaxLength);
        builder.Property(k => k.RevokedBy).HasMaxLength(FieldLimits.ActorMaxLength);
    }
}
