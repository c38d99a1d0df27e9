using EcsRoleAuditor.Lambda.Observability;

namespace EcsRoleAuditor.Lambda.Tests.Observability;

public sealed class ColdStartTimelineTests
{
    /// <summary>A clock whose timestamps advance only when told (one tick is one millisecond).</summary>
    private sealed class SteppedClock : TimeProvider
    {
        public long Now { get; set; }

        public override long TimestampFrequency => 1000;

        public override long GetTimestamp() => Now;
    }

    [Fact]
    public void Phases_are_measured_from_the_origin_and_listed_in_the_order_they_began()
    {
        var clock = new SteppedClock { Now = 100 };
        var timeline = new ColdStartTimeline(clock);
        clock.Now = 102;
        var background = timeline.Start();
        clock.Now = 105;
        var composed = timeline.Measure("compose", () =>
        {
            clock.Now = 112;
            return "handler";
        });
        clock.Now = 120;
        timeline.Record("catalogLoad", background);

        Assert.Equal("handler", composed);
        Assert.Equal([new ColdStartPhase("catalogLoad", 2, 18), new ColdStartPhase("compose", 5, 7)], timeline.Phases);
    }

    [Fact]
    public async Task A_phase_that_throws_is_still_recorded()
    {
        var clock = new SteppedClock();
        var timeline = new ColdStartTimeline(clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => timeline.MeasureAsync<int>("firstInvocation", () =>
        {
            clock.Now = 30;
            throw new InvalidOperationException("handler failed");
        }));

        Assert.Equal([new ColdStartPhase("firstInvocation", 0, 30)], timeline.Phases);
    }
}
