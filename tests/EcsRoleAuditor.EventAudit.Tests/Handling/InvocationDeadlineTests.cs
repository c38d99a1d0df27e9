using EcsRoleAuditor.EventAudit.Handling;
using Microsoft.Extensions.Time.Testing;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

public sealed class InvocationDeadlineTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 4, 23, 0, 0, TimeSpan.Zero));

    private InvocationDeadline Start(TimeSpan remaining, CancellationToken stopping = default) =>
        new(new InvocationContext("request-1", time.GetUtcNow() + remaining, "arn:aws:lambda:eu-west-1:111122223333:function:auditor", null),
            time, stopping);

    [Fact]
    public void Auditing_stops_three_seconds_before_the_deadline_as_the_README_promises()
    {
        using var deadline = Start(TimeSpan.FromSeconds(60));

        time.Advance(TimeSpan.FromSeconds(57) - Tick);
        Assert.False(deadline.Audit.IsCancellationRequested);
        time.Advance(Tick);
        Assert.True(deadline.Audit.IsCancellationRequested);
        Assert.False(deadline.Publish.IsCancellationRequested);
    }

    [Fact]
    public void Publishing_stops_when_only_the_time_to_post_the_response_is_left()
    {
        using var deadline = Start(TimeSpan.FromSeconds(60));

        time.Advance(TimeSpan.FromSeconds(60) - InvocationDeadline.ResponseReserve - Tick);
        Assert.False(deadline.Publish.IsCancellationRequested);
        time.Advance(Tick);
        Assert.True(deadline.Publish.IsCancellationRequested);
    }

    [Fact]
    public void With_less_than_the_reserves_left_auditing_stops_at_once_and_publishing_keeps_what_remains()
    {
        using var deadline = Start(InvocationDeadline.PublishReserve);

        Assert.True(deadline.Audit.IsCancellationRequested);
        Assert.False(deadline.Publish.IsCancellationRequested);
        time.Advance(InvocationDeadline.PublishReserve - InvocationDeadline.ResponseReserve);
        Assert.True(deadline.Publish.IsCancellationRequested);
    }

    [Fact]
    public void Past_the_deadline_nothing_may_start()
    {
        using var deadline = Start(TimeSpan.FromSeconds(-1));

        Assert.True(deadline.Audit.IsCancellationRequested);
        Assert.True(deadline.Publish.IsCancellationRequested);
    }

    [Fact]
    public void The_host_stopping_ends_auditing_but_not_publishing_what_is_known()
    {
        using var stopping = new CancellationTokenSource();
        using var deadline = Start(TimeSpan.FromMinutes(15), stopping.Token);

        stopping.Cancel();

        Assert.True(deadline.Audit.IsCancellationRequested);
        Assert.False(deadline.Publish.IsCancellationRequested);
    }

    [Fact]
    public void A_deadline_days_away_is_accepted()
    {
        using var deadline = Start(TimeSpan.FromDays(400));

        time.Advance(TimeSpan.FromHours(23));
        Assert.False(deadline.Audit.IsCancellationRequested);
    }
}
