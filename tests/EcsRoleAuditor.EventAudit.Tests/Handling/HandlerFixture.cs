using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Suppressions;
using EcsRoleAuditor.EventAudit.Configuration;
using EcsRoleAuditor.EventAudit.Handling;
using EcsRoleAuditor.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>A handler bound to in-memory AWS over the demo account, with everything it did recorded.</summary>
internal sealed class HandlerFixture
{
    public HandlerFixture(Severity minSeverity = Severity.Medium, ImmutableArray<Suppression> suppressions = default, bool unreachableSns = false, bool sweepAllRevisions = false, Func<TimeProvider, State.IFindingStore>? findings = null, int? remindAfterDays = null)
    {
        Sns = new RecordingSns { Unreachable = unreachableSns };
        Settings = new AuditorSettings(DemoAccount.TopicArn, minSeverity, suppressions.IsDefault ? [] : suppressions, sweepAllRevisions, LogLevel.Info) { RemindAfterDays = remindAfterDays };
        var recorded = DemoAccount.Recorded();
        Iam = new FaultyIam(recorded);
        Handler = new AuditInvocationHandler(Settings,
            new AuditDependencies(new AuditSources(Ecs, Iam, recorded.DirectoryOptions), Sns, Observability, Observability, Time) { Findings = findings?.Invoke(Time) });
    }

    /// <summary>Stands still unless a test advances it: deadlines fire exactly when a test says, however loaded the machine.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public InMemoryEcs Ecs { get; } = InMemoryEcs.Demo();

    /// <summary>IAM over the demo account's recording; deny a role to make it unreadable.</summary>
    public FaultyIam Iam { get; }

    public RecordingSns Sns { get; }

    public RecordingObservability Observability { get; } = new();

    public AuditorSettings Settings { get; }

    public AuditInvocationHandler Handler { get; }

    public InvocationContext Context(TimeSpan? remaining = null) =>
        new("request-1", Time.GetUtcNow() + (remaining ?? TimeSpan.FromMinutes(5)), DemoAccount.FunctionArn, "Root=1-5759e988-bd862e3fe1be46a994272793");

    public Task<string> InvokeAsync(byte[] payload, TimeSpan? remaining = null, CancellationToken cancellationToken = default) =>
        Handler.HandleAsync(payload, Context(remaining), cancellationToken);

    public Task<string> InvokeAsync(string sampleEvent) => InvokeAsync(DemoAccount.Event(sampleEvent));

    /// <summary>The three bodies of a published message.</summary>
    public static (JsonElement Default, string Email, JsonElement Https) Bodies(Aws.Api.SnsMessage message)
    {
        using var document = JsonDocument.Parse(message.Message);
        var root = document.RootElement;
        Assert.Equal(["default", "email", "https"], root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        return (JsonDocument.Parse(root.GetProperty("default").GetString()!).RootElement.Clone(),
            root.GetProperty("email").GetString()!,
            JsonDocument.Parse(root.GetProperty("https").GetString()!).RootElement.Clone());
    }
}
