using System.Net;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.EventAudit.Tests.Handling;

/// <summary>SNS that records each published message, or fails like an unreachable endpoint when <see cref="Unreachable"/>.</summary>
internal sealed class RecordingSns : ISnsApi
{
    public List<SnsMessage> Published { get; } = [];

    public bool Unreachable { get; set; }

    /// <summary>Messages refused as an unreachable endpoint refuses them (e.g. only those about one account).</summary>
    public Func<SnsMessage, bool>? FailWhen { get; set; }

    public Task<string> PublishAsync(SnsMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Unreachable || FailWhen?.Invoke(message) == true)
        {
            throw new AmazonServiceException("Service Unavailable", null, ErrorType.Receiver, "ServiceUnavailable", "request-1", HttpStatusCode.ServiceUnavailable);
        }
        Published.Add(message);
        return Task.FromResult($"message-{Published.Count}");
    }
}
