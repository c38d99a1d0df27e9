namespace EcsRoleAuditor.Lambda.Tests.Observability;

/// <summary>A clock standing still at a chosen instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
