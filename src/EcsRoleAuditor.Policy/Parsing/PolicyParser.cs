using System.Text.Json;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Parsing;

// CONTRACT ONLY: the parser helper replaces the bodies with the real implementation.

/// <summary>Which grammar a document must follow.</summary>
public enum PolicyKind
{
    /// <summary>Identity policies and permission boundaries: Action/NotAction and Resource/NotResource required, no Principal.</summary>
    Identity,
    /// <summary>Trust policies and other resource-based policies: Principal/NotPrincipal required, Resource optional.</summary>
    Resource,
}

/// <summary>Parses IAM policy documents given as JSON text, URL-encoded JSON text (as IAM's API returns them) or parsed JSON (as the AWS CLI prints them).</summary>
public static class PolicyParser
{
    /// <summary>Parses text that is JSON or URL-encoded JSON. Throws <see cref="PolicyParseException"/> and nothing else.</summary>
    public static PolicyDocument Parse(string text, string name, PolicyKind kind = PolicyKind.Identity) => throw new NotImplementedException();

    /// <summary>Parses an already parsed JSON value (a JSON object, or a JSON string holding the document). Throws <see cref="PolicyParseException"/> and nothing else.</summary>
    public static PolicyDocument Parse(JsonElement document, string name, PolicyKind kind = PolicyKind.Identity) => throw new NotImplementedException();

    /// <summary>Like <see cref="Parse(string, string, PolicyKind)"/> but returns the error instead of throwing.</summary>
    public static bool TryParse(string text, string name, PolicyKind kind, out PolicyDocument? document, out PolicyParseError? error) => throw new NotImplementedException();
}

/// <summary>What went wrong and where.</summary>
/// <param name="Message">A sentence a person understands, e.g. <c>Effect must be "Allow" or "Deny", not "allow " (trailing space)</c>.</param>
/// <param name="JsonPath">The JSON path of the offending element (<c>$.Statement[1].Effect</c>), for structural errors.</param>
/// <param name="Line">1-based line, for JSON syntax errors.</param>
/// <param name="Column">1-based column, for JSON syntax errors.</param>
public sealed record PolicyParseError(string Message, string? JsonPath, long? Line, long? Column)
{
    /// <inheritdoc/>
    public override string ToString() => throw new NotImplementedException();
}

/// <summary>The only exception the parser throws: the document is not valid JSON or not a valid IAM policy.</summary>
public sealed class PolicyParseException(PolicyParseError error) : Exception(error.ToString())
{
    /// <summary>The error, with its location.</summary>
    public PolicyParseError Error { get; } = error;
}
