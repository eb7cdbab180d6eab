using ThreatIntel.Core.Matching;

namespace ThreatIntel.Core.Tests.Matching;

public sealed class MatchingRefreshSignalTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_writer_is_released_only_by_a_round_that_began_after_it_started_waiting()
    {
        using var signal = new MatchingRefreshSignal();
        var roundUnderWay = signal.BeginRound();

        var waiting = signal.WaitForRefreshAsync(Long, CancellationToken.None);
        signal.RoundCompleted(roundUnderWay);
        Assert.False(waiting.IsCompleted);

        Assert.True(await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));
        signal.RoundCompleted(signal.BeginRound());
        Assert.True(await waiting);
    }

    [Fact]
    public async Task A_change_is_noted_by_the_flow_that_tracks_it_and_by_no_other()
    {
        using var signal = new MatchingRefreshSignal();
        var request = signal.TrackChanges();
        var otherRequest = await Task.Run(signal.TrackChanges);
        Assert.False(request.ContentChanged);

        await Task.Run(signal.ContentChanged);

        Assert.True(request.ContentChanged);
        Assert.False(otherRequest.ContentChanged);
    }

    [Fact]
    public async Task A_writer_gives_up_after_its_timeout_when_no_round_completes()
    {
        using var signal = new MatchingRefreshSignal();

        Assert.False(await signal.WaitForRefreshAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));

        var next = signal.WaitForRefreshAsync(Long, CancellationToken.None);
        signal.RoundCompleted(signal.BeginRound());
        Assert.True(await next);
    }
}
