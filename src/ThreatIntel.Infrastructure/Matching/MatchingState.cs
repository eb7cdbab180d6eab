namespace ThreatIntel.Infrastructure.Matching;

/// <summary>
/// The single row whose stamp changes in the same transaction as every change to definitions or IOCs; instances
/// sharing the database poll it to know when to rebuild their matching index.
/// </summary>
internal sealed class MatchingState
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public Guid ChangeStamp { get; set; }
}
