using EcsRoleAuditor.EventAudit.Handling;
using System.Text;
using EcsRoleAuditor.Lambda.Hosting;

namespace EcsRoleAuditor.Lambda.Tests.Hosting;

public sealed class PendingInvocationHandlerTests
{
    private static readonly InvocationContext Context = new("req-pending", DateTimeOffset.UtcNow.AddMinutes(1), "arn:aws:lambda:us-east-1:111122223333:function:f", null);

    [Fact]
    public async Task An_invocation_waits_for_the_handler_being_built_then_runs_it()
    {
        using var release = new ManualResetEventSlim();
        var pending = new PendingInvocationHandler(() =>
        {
            release.Wait(LoopHarness.Patience);
            return new DelegateHandler((payload, _, _) => Task.FromResult("built:" + Encoding.UTF8.GetString(payload.Span)));
        });

        var invocation = pending.HandleAsync("{}"u8.ToArray(), Context, CancellationToken.None);
        Assert.False(invocation.IsCompleted);
        release.Set();

        Assert.Equal("built:{}", await invocation.WaitAsync(LoopHarness.Patience));
    }

    [Fact]
    public async Task A_handler_that_could_not_be_built_fails_the_invocation_with_the_cause()
    {
        var pending = new PendingInvocationHandler(() => throw new InvalidDataException("catalog unreadable"));

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => pending.HandleAsync("{}"u8.ToArray(), Context, CancellationToken.None));

        Assert.Equal("catalog unreadable", failure.Message);
    }
}
