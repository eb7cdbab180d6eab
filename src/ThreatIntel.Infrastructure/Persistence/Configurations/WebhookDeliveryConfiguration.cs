using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ThreatIntel.Core;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.Webhooks;

namespace ThreatIntel.Infrastructure.Persistence.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedOnAdd();
        builder.Ignore(d => d.MessageId);
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(FieldLimits.EnumMaxLength);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(FieldLimits.EnumMaxLength);
        builder.OwnsMany(d => d.Attempts, attempts => attempts.ToJson());

        builder.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AlertChange>().WithMany().HasForeignKey(d => d.AlertChangeSequence).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.WebhookId, d.AlertChangeSequence }).IsUnique();
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
    }
}
