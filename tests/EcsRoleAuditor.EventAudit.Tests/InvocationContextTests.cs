using EcsRoleAuditor.EventAudit.Handling;

namespace EcsRoleAuditor.EventAudit.Tests;

public sealed class InvocationContextTests
{
    [Fact]
    public void Remaining_time_is_the_deadline_minus_now()
    {
        var now = new DateTimeOffset(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);
        var context = new InvocationContext("req-1", now.AddSeconds(30), "arn:aws:lambda:eu-west-1:111122223333:function:auditor", null);

        Assert.Equal(TimeSpan.FromSeconds(30), context.RemainingTime(new FixedTime(now)));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
