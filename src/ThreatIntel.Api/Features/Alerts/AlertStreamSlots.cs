using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ThreatIntel.Api.Features.Alerts;

/// <summary>Counts the streams each API key holds open on this instance, up to <see cref="AlertStreamOptions.MaxStreamsPerKey"/>.</summary>
public sealed class AlertStreamSlots(IOptions<AlertStreamOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>Takes a slot for a stream of <paramref name="key"/>; false when it holds all it may.</summary>
    public bool TryTake(string key)
    {
        while (true)
        {
            var open = _open.GetValueOrDefault(key);
            if (open >= options.Value.MaxStreamsPerKey)
            {
                return false;
            }

            if (open == 0 ? _open.TryAdd(key, 1) : _open.TryUpdate(key, open + 1, open))
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryTake"/> when its stream ends.</summary>
    public void Return(string key)
    {
        while (true)
        {
            var open = _open[key];
            if (open == 1 ? _open.TryRemove(new KeyValuePair<string, int>(key, 1)) : _open.TryUpdate(key, open - 1, open))
            {
                return;
            }
        }
    }
}
