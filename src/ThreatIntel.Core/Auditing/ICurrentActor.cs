namespace ThreatIntel.Core.Auditing;

/// <summary>Who is making the current change: the name of the API key of the request.</summary>
public interface ICurrentActor
{
    public const string System = "system";

    /// <summary>The key's name; <see cref="System"/> when no request is involved (start-up, background work).</summary>
    string Name { get; }
}
