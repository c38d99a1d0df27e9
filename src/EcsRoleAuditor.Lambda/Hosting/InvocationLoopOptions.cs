namespace EcsRoleAuditor.Lambda.Hosting;

/// <summary>How the invocation loop treats the deadline.</summary>
public sealed record InvocationLoopOptions
{
    /// <summary>The margin used when nothing else is configured.</summary>
    public static readonly TimeSpan DefaultDeadlineSafetyMargin = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// How long before Lambda's deadline the handler's cancellation token fires: the time the handler keeps for
    /// publishing an "audit incomplete" alert and for the loop to post the response before Lambda kills the process.
    /// </summary>
    public TimeSpan DeadlineSafetyMargin { get; init; } = DefaultDeadlineSafetyMargin;
}
