namespace EcsRoleAuditor.Policy.Parsing;

/// <summary>The only exception the parser throws: the document is not valid JSON or not a valid IAM policy.</summary>
public sealed class PolicyParseException(PolicyParseError error) : Exception(error.ToString())
{
    /// <summary>The error, with its location.</summary>
    public PolicyParseError Error { get; } = error;
}
