using System.Diagnostics;
using ThreatIntel.Api.Observability;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Feeds.Formats;

namespace ThreatIntel.Api.Features.Feeds;

/// <summary>Reads a pushed body with the parser its format names and hands the result to the feed repository.</summary>
public sealed class FeedPushService(IEnumerable<IFeedParser> parsers, IFeedRepository feeds, ThreatIntelMetrics metrics)
{
    private readonly Dictionary<FeedFormat, IFeedParser> parsersByFormat = parsers.ToDictionary(p => p.Format);

    /// <exception cref="FeedFormatException">The body cannot be read as its format at all.</exception>
    /// <exception cref="FeedPushConflictException">Another push to the feed was applied meanwhile.</exception>
    /// <exception cref="FeedVersionMismatchException">
    /// The feed is not at <paramref name="expectedVersion"/>, or does not exist while <paramref name="ifMatchGiven"/>.
    /// </exception>
    public async Task<FeedPushResult> PushAsync(
        string feed,
        FeedFormat format,
        Stream body,
        FeedPushParameters parameters,
        FeedPushMode mode,
        Guid? expectedVersion,
        bool ifMatchGiven,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var parsed = await parsersByFormat[format].ParseAsync(
                body, new FeedParseOptions(parameters.Definition, parameters.Severity), cancellationToken);
            var result = await feeds.PushAsync(
                feed, parsed, new FeedPushOptions(mode, parameters.SkipInvalid, parameters.DryRun, expectedVersion, ifMatchGiven), cancellationToken);
            metrics.FeedPushed(mode, format, parameters.DryRun, result, Stopwatch.GetElapsedTime(started));
            return result;
        }
        catch (FeedFormatException)
        {
            metrics.FeedPushUnreadable(mode, format, Stopwatch.GetElapsedTime(started));
            throw;
        }
        catch (FeedPushConflictException)
        {
            metrics.FeedPushConflicted(mode, format, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }
}
