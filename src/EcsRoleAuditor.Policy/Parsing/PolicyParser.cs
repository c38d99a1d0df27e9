using System.Text.Json;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Parsing;

/// <summary>Parses IAM policy documents given as JSON text, URL-encoded JSON text (as IAM's API returns them) or parsed JSON (as the AWS CLI prints them).</summary>
public static class PolicyParser
{
    /// <summary>Parses text that is JSON or URL-encoded JSON. Throws <see cref="PolicyParseException"/> and nothing else.</summary>
    /// <param name="text">The document: JSON, URL-encoded JSON, or a JSON string holding either; a UTF-8 BOM and surrounding whitespace are ignored.</param>
    /// <param name="name">Where the document came from; errors and findings name it.</param>
    /// <param name="kind">The grammar the document must follow.</param>
    public static PolicyDocument Parse(string text, string name, PolicyKind kind = PolicyKind.Identity) =>
        new PolicyDocumentReader(name, kind).ReadText(text, insideJsonString: false);

    /// <summary>Parses an already parsed JSON value (a JSON object, or a JSON string holding the document). Throws <see cref="PolicyParseException"/> and nothing else.</summary>
    /// <param name="document">The JSON value, e.g. the <c>PolicyVersion.Document</c> of <c>aws iam get-policy-version</c> output.</param>
    /// <param name="name">Where the document came from; errors and findings name it.</param>
    /// <param name="kind">The grammar the document must follow.</param>
    public static PolicyDocument Parse(JsonElement document, string name, PolicyKind kind = PolicyKind.Identity) =>
        new PolicyDocumentReader(name, kind).ReadElement(document);

    /// <summary>Like <see cref="Parse(string, string, PolicyKind)"/> but returns the error instead of throwing.</summary>
    /// <returns>True with <paramref name="document"/> set, or false with <paramref name="error"/> set.</returns>
    public static bool TryParse(string text, string name, PolicyKind kind, out PolicyDocument? document, out PolicyParseError? error)
    {
        try
        {
            document = Parse(text, name, kind);
            error = null;
            return true;
        }
        catch (PolicyParseException e)
        {
            document = null;
            error = e.Error;
            return false;
        }
    }
}
