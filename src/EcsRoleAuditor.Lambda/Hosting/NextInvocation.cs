using EcsRoleAuditor.EventAudit.Handling;

namespace EcsRoleAuditor.Lambda.Hosting;

/// <summary>One event delivered by the Runtime API's <c>next</c> call: what Lambda says about it and its payload.</summary>
/// <param name="Context">Request id, deadline, function ARN and trace id from the response headers.</param>
/// <param name="Payload">The event body (UTF-8 JSON).</param>
internal sealed record NextInvocation(InvocationContext Context, ReadOnlyMemory<byte> Payload);
