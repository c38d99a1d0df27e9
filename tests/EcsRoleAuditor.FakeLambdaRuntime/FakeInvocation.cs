namespace EcsRoleAuditor.FakeLambdaRuntime;

/// <summary>What the fake Runtime API sends with a queued event (the headers of the 'next' response).</summary>
/// <param name="RequestId">Lambda-Runtime-Aws-Request-Id; a fresh GUID when null.</param>
/// <param name="Deadline">Lambda-Runtime-Deadline-Ms; 15 minutes from queueing when null.</param>
/// <param name="FunctionArn">Lambda-Runtime-Invoked-Function-Arn.</param>
/// <param name="TraceId">Lambda-Runtime-Trace-Id; the header is left out when null.</param>
public sealed record FakeInvocation(
    string? RequestId = null,
    DateTimeOffset? Deadline = null,
    string FunctionArn = FakeInvocation.DefaultFunctionArn,
    string? TraceId = null)
{
    /// <summary>The function ARN used when a test does not choose one.</summary>
    public const string DefaultFunctionArn = "arn:aws:lambda:eu-west-1:111122223333:function:ecs-role-auditor";
}
