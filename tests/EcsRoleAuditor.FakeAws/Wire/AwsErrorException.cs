namespace EcsRoleAuditor.FakeAws.Wire;

/// <summary>An error answer: the wire error code, HTTP status and message, written in the service's protocol.</summary>
internal sealed class AwsErrorException : Exception
{
    public AwsErrorException(string code, int statusCode, string message)
        : base(message)
    {
        Code = code;
        StatusCode = statusCode;
    }

    public string Code { get; }

    public int StatusCode { get; }

    /// <summary>Query protocol's <c>Type</c>: Receiver for server faults, Sender otherwise.</summary>
    public string FaultType => StatusCode >= 500 ? "Receiver" : "Sender";
}
