using System.Diagnostics;
using ThreatIntel.Api.Observability;
using ThreatIntel.Core.AlertDefinitions;
using ThreatIntel.Core.Alerts;
using ThreatIntel.Core.Matching;

namespace ThreatIntel.Api.Features.Events;

/// <summary>
/// Matches each observable of each event against the current index and, unless it is a dry run, raises or adds to
/// the alerts. Events that match nothing cost no database round trip.
/// </summary>
public sealed class EventEvaluator(
    MatchingIndexHolder holder,
    IAlertDefinitionRepository definitions,
    IAlertRepository alerts,
    TimeProvider timeProvider,
    ThreatIntelMetrics metrics)
{
    /// <summary>The evaluation, or null while the first index is still being built.</summary>
    public async Task<EvaluateEventsResponse?> EvaluateAsync(
        IReadOnlyList<EventRequest> events, bool dryRun, CancellationToken cancellationToken)
    {
        if (holder.Current is not { } state)
        {
            return null;
        }

        var started = Stopwatch.GetTimestamp();
        var response = await EvaluateAsync(state.Index, events, dryRun, cancellationToken);
        metrics.EventsEvaluated(events.Count, dryRun, Stopwatch.GetElapsedTime(started));
        return response;
    }

    private async Task<EvaluateEventsResponse> EvaluateAsync(
        IocIndex index, IReadOnlyList<EventRequest> events, bool dryRun, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var hits = FindHits(index, events, now);
        if (hits.Count == 0)
        {
            return new EvaluateEventsResponse { Evaluated = events.Count, Matched = 0, Results = [] };
        }

        // A definition deleted since the index was built raises nothing.
        var known = await definitions.FindManyAsync([.. hits.Select(h => h.Ioc.AlertDefinitionId).Distinct()], cancellationToken);
        var matches = hits
            .Where(hit => known.ContainsKey(hit.Ioc.AlertDefinitionId))
            .Select(hit => (hit.EventIndex, Match: ToAlertMatch(hit, known[hit.Ioc.AlertDefinitionId], events[hit.EventIndex])))
            .ToList();
        foreach (var (_, match) in matches)
        {
            metrics.Matched(match.IocType);
        }

        IReadOnlyList<Guid?> alertIds = dryRun
            ? [.. matches.Select(_ => (Guid?)null)]
            : [.. (await RaiseAsync([.. matches.Select(m => m.Match)], now, cancellationToken)).Select(id => (Guid?)id)];

        var results = matches
            .Select((m, i) => (m.EventIndex, Match: ToEventMatch(m.Match, alertIds[i])))
            .GroupBy(m => m.EventIndex)
            .OrderBy(group => group.Key)
            .Select(group => new EventResult
            {
                EventIndex = group.Key,
                EventId = events[group.Key].Id,
                Matches = [.. group.Select(m => m.Match)],
            })
            .ToList();
        return new EvaluateEventsResponse { Evaluated = events.Count, Matched = results.Count, Results = results };
    }

    private async Task<IReadOnlyList<Guid>> RaiseAsync(IReadOnlyList<AlertMatch> matches, DateTime now, CancellationToken cancellationToken)
    {
        var raised = await alerts.RaiseAsync(matches, now, cancellationToken);
        metrics.AlertsRaised(raised.Created, raised.Aggregated);
        return raised.AlertIds;
    }

    private static List<Hit> FindHits(IocIndex index, IReadOnlyList<EventRequest> events, DateTime now)
    {
        var hits = new List<Hit>();
        var matched = new List<MatchableIoc>();
        for (var eventIndex = 0; eventIndex < events.Count; eventIndex++)
        {
            foreach (var observable in events[eventIndex].Observables ?? [])
            {
                var type = observable!.Type!.Value;
                var normalized = ObservableNormalizer.Normalize(type, observable.Value);
                if (!normalized.IsValid)
                {
                    continue;
                }

                matched.Clear();
                index.Match(type, normalized.Value, now, matched);
                foreach (var ioc in matched)
                {
                    hits.Add(new Hit(eventIndex, ioc, normalized.Value));
                }
            }
        }

        return hits;
    }

    private static AlertMatch ToAlertMatch(Hit hit, AlertDefinition definition, EventRequest @event) => new(
        definition.Id,
        definition.Name,
        definition.Severity,
        hit.Ioc.IocId,
        hit.Ioc.Type,
        hit.Ioc.Action,
        hit.Ioc.Value,
        hit.ObservedValue,
        @event.DeviceId?.Trim() ?? string.Empty,
        @event.Id,
        Occurrences: 1);

    private static EventMatch ToEventMatch(AlertMatch match, Guid? alertId) => new()
    {
        AlertDefinitionId = match.AlertDefinitionId,
        AlertDefinitionName = match.AlertDefinitionName,
        Severity = match.Severity,
        IocId = match.IocId,
        IocType = match.IocType,
        IocAction = match.IocAction,
        IocValue = match.IocValue,
        ObservedValue = match.ObservedValue,
        AlertId = alertId,
    };

    private sealed record Hit(int EventIndex, MatchableIoc Ioc, string ObservedValue);
}
