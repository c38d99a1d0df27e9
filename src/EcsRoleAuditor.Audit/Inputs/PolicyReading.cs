using System.Text.Json;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Audit.Inputs;

/// <summary>Reads a role's policy document from an input file; a document that does not parse becomes a recorded problem, not an error that stops the audit.</summary>
internal static class PolicyReading
{
    /// <summary>Parses <paramref name="document"/>; on a parse error records a <see cref="ReadProblemKind.Malformed"/> problem naming the file, the document's path in it and the parser's location, and returns null.</summary>
    public static RolePolicy? ParseOrRecord(FindingSource source, JsonElement document, PolicyKind kind, string fileSource, string documentPath, ICollection<ReadProblem> problems)
    {
        try
        {
            return new RolePolicy(source, PolicyParser.Parse(document, source.ToString(), kind));
        }
        catch (PolicyParseException e)
        {
            problems.Add(new ReadProblem(ReadProblemKind.Malformed, source, $"{fileSource}: {documentPath}: {e.Error.Location}: {e.Error.Message}"));
            return null;
        }
    }
}
