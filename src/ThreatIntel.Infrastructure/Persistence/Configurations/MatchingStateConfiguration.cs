using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ThreatIntel.Infrastructure.Matching;

namespace ThreatIntel.Infrastructure.Persistence.Configurations;

internal sealed class MatchingStateConfiguration : IEntityTypeConfiguration<MatchingState>
{
    public void Configure(EntityTypeBuilder<MatchingState> builder)
    {
        builder.ToTable("MatchingState");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();

        // The row exists from the first migration on, so every change can update it without reading it first.
        builder.HasData(new MatchingState { Id = MatchingState.SingletonId, ChangeStamp = Guid.Empty });
    }
}
