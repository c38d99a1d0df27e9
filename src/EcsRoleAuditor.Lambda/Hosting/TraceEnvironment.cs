namespace EcsRoleAuditor.Lambda.Hosting;

/// <summary>
/// Exports the invocation's X-Ray trace header as <c>_X_AMZN_TRACE_ID</c>, where AWS SDKs and the X-Ray tooling look
/// for it: the Runtime API hands it over as a response header, and a custom runtime has to publish it per invocation.
/// </summary>
internal static class TraceEnvironment
{
    /// <summary>The variable AWS SDKs read the trace header from.</summary>
    public const string Variable = "_X_AMZN_TRACE_ID";

    /// <summary>Sets the variable to <paramref name="traceId"/>, or removes it when the invocation has none (no stale id).</summary>
    public static void Export(string? traceId) =>
        Environment.SetEnvironmentVariable(Variable, string.IsNullOrEmpty(traceId) ? null : traceId);
}
