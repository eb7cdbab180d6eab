using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ThreatIntel.Core.Feeds;
using ThreatIntel.Core.Iocs;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Api.Observability;

/// <summary>
/// The service's own instruments, on the <c>ThreatIntel</c> meter. Each record method costs a few tag look-ups and no
/// allocation, so callers on the evaluation path may call it per request and per match.
/// </summary>
public sealed class ThreatIntelMetrics
{
    /// <summary>The meter every instrument of the service belongs to.</summary>
    public const string MeterName = "ThreatIntel";

    // Enum.ToString would box and look the name up on every match; these are computed once.
    private static readonly FrozenDictionary<IocType, string> IocTypeNames =
        Enum.GetValues<IocType>().ToFrozenDictionary(type => type, type => type.ToString());

    private readonly Counter<long> _eventsEvaluated;
    private readonly Counter<long> _matches;
    private readonly Counter<long> _alertsRaised;
    private readonly Histogram<double> _evaluationDuration;
    private readonly Histogram<double> _indexBuildDuration;
    private readonly Histogram<double> _feedPushDuration;
    private readonly Counter<long> _feedPushRows;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Counter<long> _webhookAttempts;
    private readonly Histogram<double> _webhookDeliveryDuration;

    /// <summary>Creates the instruments; the index gauges read <paramref name="indexHolder"/> when scraped.</summary>
    public ThreatIntelMetrics(IMeterFactory meterFactory, MatchingIndexHolder indexHolder)
    {
        var meter = meterFactory.Create(MeterName);
        _eventsEvaluated = meter.CreateCounter<long>(
            "threatintel.events.evaluated", "{event}", "Events evaluated against the matching index, dry runs included.");
        _matches = meter.CreateCounter<long>(
            "threatintel.matches", "{match}", "Observables that matched an IOC of an existing definition, by IOC type.");
        _alertsRaised = meter.CreateCounter<long>(
            "threatintel.alerts.raised", "{alert}", "Alerts opened (kind=raised) or repeats added to an open alert (kind=aggregated).");
        _evaluationDuration = meter.CreateHistogram<double>(
            "threatintel.events.evaluation.duration", "s", "Time to evaluate one request's events, alerts included.",
            advice: Buckets(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10));
        meter.CreateObservableGauge(
            "threatintel.index.iocs", () => ObserveIndex(indexHolder, index => index.Count), "{ioc}",
            "IOCs in the matching index currently serving.");
        meter.CreateObservableGauge(
            "threatintel.index.version", () => ObserveIndex(indexHolder, index => index.Version), unit: null,
            "Version of the matching index currently serving; it moves on with every rebuild.");
        _indexBuildDuration = meter.CreateHistogram<double>(
            "threatintel.index.build.duration", "s", "Time to load the IOCs and build the matching index.",
            advice: Buckets(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120));
        _feedPushDuration = meter.CreateHistogram<double>(
            "threatintel.feed.push.duration", "s", "Time to read, validate and apply one feed push.",
            advice: Buckets(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300));
        _feedPushRows = meter.CreateCounter<long>(
            "threatintel.feed.push.rows", "{row}", "IOC rows of feed pushes (dry runs excluded), by what the push did with them.");
        _webhookDeliveries = meter.CreateCounter<long>(
            "threatintel.webhook.deliveries", "{delivery}", "Webhook deliveries, by outcome.");
        _webhookAttempts = meter.CreateCounter<long>(
            "threatintel.webhook.attempts", "{attempt}", "HTTP attempts to deliver a webhook, by success.");
        _webhookDeliveryDuration = meter.CreateHistogram<double>(
            "threatintel.webhook.delivery.duration", "s", "Time a webhook delivery took, by outcome.",
            advice: Buckets(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60));
    }

    /// <summary>One evaluation request finished.</summary>
    public void EventsEvaluated(int eventCount, bool dryRun, TimeSpan duration)
    {
        _eventsEvaluated.Add(eventCount);
        _evaluationDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("dry_run", dryRun ? "true" : "false"));
    }

    /// <summary>An observable matched an IOC of <paramref name="iocType"/>.</summary>
    public void Matched(IocType iocType) =>
        _matches.Add(1, new KeyValuePair<string, object?>("ioc_type", IocTypeNames[iocType]));

    /// <summary>Alerts opened by matches, and matches added to an alert that was already open.</summary>
    public void AlertsRaised(int created, int aggregated)
    {
        if (created > 0)
        {
            _alertsRaised.Add(created, new KeyValuePair<string, object?>("kind", "raised"));
        }

        if (aggregated > 0)
        {
            _alertsRaised.Add(aggregated, new KeyValuePair<string, object?>("kind", "aggregated"));
        }
    }

    /// <summary>A matching index was built.</summary>
    public void IndexBuilt(TimeSpan duration) => _indexBuildDuration.Record(duration.TotalSeconds);

    /// <summary>
    /// A push was read and planned: applied, a dry run, or refused for invalid rows. Rows are counted only when the push
    /// was meant to write, so a pipeline's dry run followed by its real push counts the rows once.
    /// </summary>
    public void FeedPushed(FeedPushMode mode, FeedFormat format, bool dryRun, FeedPushResult result, TimeSpan duration)
    {
        var outcome = result.Refused ? "rejected" : result.Applied ? "applied" : "dry_run";
        RecordFeedPush(mode, format, outcome, duration);
        if (dryRun)
        {
            return;
        }

        if (result.Applied)
        {
            var changes = result.Changes;
            AddRows("added", changes.IocsCreated);
            AddRows("updated", changes.IocsUpdated);
            AddRows("removed", changes.IocsRemoved);
            AddRows("unchanged", changes.IocsUnchanged);
        }

        AddRows("rejected", result.RejectedCount);
    }

    /// <summary>The body could not be read as its format at all (HTTP 400).</summary>
    public void FeedPushUnreadable(FeedPushMode mode, FeedFormat format, TimeSpan duration) =>
        RecordFeedPush(mode, format, "rejected", duration);

    /// <summary>Another push to the same feed was applied first (HTTP 409).</summary>
    public void FeedPushConflicted(FeedPushMode mode, FeedFormat format, TimeSpan duration) =>
        RecordFeedPush(mode, format, "conflict", duration);

    /// <summary>One HTTP attempt to deliver a webhook finished.</summary>
    public void WebhookAttempt(bool success) =>
        _webhookAttempts.Add(1, new KeyValuePair<string, object?>("outcome", success ? "success" : "failure"));

    /// <summary>A webhook delivery reached <paramref name="outcome"/> after <paramref name="duration"/>.</summary>
    public void WebhookDelivery(WebhookDeliveryOutcome outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome switch
        {
            WebhookDeliveryOutcome.Delivered => "delivered",
            WebhookDeliveryOutcome.Failed => "failed",
            WebhookDeliveryOutcome.RetryScheduled => "retry_scheduled",
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
        });
        _webhookDeliveries.Add(1, tag);
        _webhookDeliveryDuration.Record(duration.TotalSeconds, tag);
    }

    private void RecordFeedPush(FeedPushMode mode, FeedFormat format, string outcome, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "mode", mode == FeedPushMode.Sync ? "sync" : "merge" },
            { "format", FormatName(format) },
            { "outcome", outcome },
        };
        _feedPushDuration.Record(duration.TotalSeconds, tags);
    }

    private void AddRows(string change, int count)
    {
        if (count > 0)
        {
            _feedPushRows.Add(count, new KeyValuePair<string, object?>("change", change));
        }
    }

    private static string FormatName(FeedFormat format) => format switch
    {
        FeedFormat.Json => "json",
        FeedFormat.Csv => "csv",
        FeedFormat.Stix => "stix",
        FeedFormat.PlainList => "plain_list",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>No measurement until the first index is built, so a dashboard shows a gap rather than a false zero.</summary>
    private static IEnumerable<Measurement<long>> ObserveIndex(MatchingIndexHolder holder, Func<IocIndex, long> read) =>
        holder.Current is { } state ? [new Measurement<long>(read(state.Index))] : [];

    // The SDK's default buckets (0 to 10,000) are meant for milliseconds; these fit durations in seconds.
    private static InstrumentAdvice<double> Buckets(params double[] boundaries) => new() { HistogramBucketBoundaries = boundaries };
}

/// <summary>Where a webhook delivery ended up.</summary>
public enum WebhookDeliveryOutcome
{
    /// <summary>The receiver accepted it.</summary>
    Delivered,

    /// <summary>It was given up: retries exhausted or a response that retrying cannot fix.</summary>
    Failed,

    /// <summary>The attempt failed and another is scheduled.</summary>
    RetryScheduled,
}
