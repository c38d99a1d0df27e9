using System.Globalization;
using System.Text.Json;

namespace EcsRoleAuditor.FakeAws.Wire;

/// <summary>The protocols the fake speaks.</summary>
internal enum WireProtocol
{
    /// <summary>Form-encoded <c>Action</c>/<c>Version</c> POST, XML answers (IAM, SNS, STS).</summary>
    Query,
    /// <summary><c>X-Amz-Target</c> with a JSON body (ECS).</summary>
    Json,
    /// <summary>restJson1: the method and path name the operation, the body is JSON (Security Hub).</summary>
    RestJson,
}

/// <summary>A request as a handler sees it: the operation and its parameters, whatever the protocol.</summary>
internal sealed class AwsRequest
{
    private readonly ServiceErrors _errors;

    public AwsRequest(string operation, IReadOnlyDictionary<string, string> parameters, JsonElement json, SigV4Scope? scope, string? securityToken, ServiceErrors errors)
    {
        Operation = operation;
        Parameters = parameters;
        Json = json;
        Scope = scope;
        SecurityToken = securityToken;
        _errors = errors;
    }

    public string Operation { get; }

    /// <summary>Query parameters by name; for JSON requests the top-level members (strings as is, other values as JSON text).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The JSON body (JSON protocol), else an undefined element.</summary>
    public JsonElement Json { get; }

    public SigV4Scope? Scope { get; }

    public string? SecurityToken { get; }

    public string? Optional(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    public string Required(string name) =>
        Optional(name) is { Length: > 0 } value
            ? value
            : throw _errors.Validation($"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null");

    /// <summary>An integer parameter within [min, max], or null when absent.</summary>
    public int? Integer(string name, int min, int max)
    {
        if (Optional(name) is not { } text)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw _errors.Validation($"Value '{text}' at '{name}' is not an integer");
        }
        return value < min || value > max
            ? throw _errors.Validation($"1 validation error detected: Value '{value}' at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must have value {(value < min ? $"greater than or equal to {min}" : $"less than or equal to {max}")}")
            : value;
    }

    /// <summary>The values of a query list parameter (<c>Name.member.1</c>, <c>Name.member.2</c>, ...).</summary>
    public IReadOnlyList<string> Members(string name)
    {
        var values = new List<string>();
        for (var i = 1; Optional($"{name}.member.{i}") is { } value; i++)
        {
            values.Add(value);
        }
        return values;
    }
}
