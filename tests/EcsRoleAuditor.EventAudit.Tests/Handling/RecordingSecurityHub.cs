using System.Text.Json.Nodes;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>Security Hub in memory: what was imported and updated, what GetFindings answers (two pages), and a failure to throw.</summary>
internal sealed class RecordingSecurityHub : ISecurityHubApi
{
    public List<JsonObject> Imported { get; } = [];
    public List<SecurityHubFindingsUpdate> Updates { get; } = [];
    public List<SecurityHubFinding> Held { get; } = [];
    public Exception? Failure { get; set; }
    public int Calls { get; private set; }

    public Task<SecurityHubImportResult> BatchImportFindingsAsync(IReadOnlyList<ReadOnlyMemory<byte>> findings, CancellationToken cancellationToken)
    {
        Calls++;
        if (Failure is not null)
        {
            throw Failure;
        }
        Imported.AddRange(findings.Select(f => JsonNode.Parse(f.Span)!.AsObject()));
        return Task.FromResult(new SecurityHubImportResult(findings.Count, []));
    }

    public Task<SecurityHubUpdateResult> BatchUpdateFindingsAsync(SecurityHubFindingsUpdate update, CancellationToken cancellationToken)
    {
        Updates.Add(update);
        return Task.FromResult(new SecurityHubUpdateResult(update.Findings, []));
    }

    public Task<SecurityHubFindingsPage> GetFindingsAsync(SecurityHubFindingsQuery query, string? nextToken, CancellationToken cancellationToken) =>
        Task.FromResult(nextToken is null
            ? new SecurityHubFindingsPage(Held.Take(1).ToList(), Held.Count > 1 ? "page-2" : null)
            : new SecurityHubFindingsPage(Held.Skip(1).ToList(), null));
}
