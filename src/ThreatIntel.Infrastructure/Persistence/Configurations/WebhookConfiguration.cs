using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ThreatIntel.Core;
using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Infrastructure.Persistence.Configurations;

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.ToTable("Webhooks");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.Name).HasMaxLength(FieldLimits.WebhookNameMaxLength).IsRequired();
        builder.Property(w => w.Url).HasMaxLength(FieldLimits.WebhookUrlMaxLength).IsRequired();
        builder.Property(w => w.Secret).HasMaxLength(FieldLimits.WebhookSecretMaxLength).IsRequired();
        builder.Property(w => w.CreatedBy).HasMaxLength(FieldLimits.ActorMaxLength).IsRequired();
        builder.Property(w => w.UpdatedBy).HasMaxLength(FieldLimits.ActorMaxLength).IsRequired();
        builder.Property(w => w.Version).IsConcurrencyToken();
    }
}
