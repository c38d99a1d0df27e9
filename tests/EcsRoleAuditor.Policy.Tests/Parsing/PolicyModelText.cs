using System.Text;
using System.Text.Json;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Tests.Parsing;

/// <summary>A canonical text of a parsed document, so two models compare by content (records with ImmutableArray compare arrays by reference).</summary>
internal static class PolicyModelText
{
    public static string Describe(PolicyDocument document, bool withPaths = true)
    {
        var text = new StringBuilder();
        text.Append("version ").Append(Quote(document.Version)).Append(" id ").Append(Quote(document.Id)).AppendLine();
        foreach (var statement in document.Statements)
        {
            text.Append("statement ").Append(statement.Index).Append(' ').Append(Quote(statement.Sid)).Append(' ').Append(statement.Effect);
            AppendPath(text, statement.Path, withPaths);
            if (statement.Actions is { } actions)
            {
                text.Append("  ").Append(actions.ElementName).Append(' ').AppendJoin(',', actions.Patterns.Select(Quote)).AppendLine();
            }
            if (statement.Resources is { } resources)
            {
                text.Append("  ").Append(resources.ElementName).Append(' ').AppendJoin(',', resources.Patterns.Select(Quote)).AppendLine();
            }
            if (statement.Principals is { } principals)
            {
                text.Append("  ").Append(principals.ElementName).Append(' ')
                    .AppendJoin(',', principals.Entries.Select(e => $"{e.Type}={Quote(e.Value)}")).AppendLine();
            }
            foreach (var clause in statement.Conditions)
            {
                text.Append("  condition ").Append(Quote(clause.OperatorText)).Append(' ').Append(clause.Qualifier).Append(' ')
                    .Append(clause.Operator).Append(clause.IfExists ? " IfExists " : " ").Append(Quote(clause.Key)).Append(' ')
                    .AppendJoin(',', clause.Values.Select(Quote));
                AppendPath(text, clause.Path, withPaths);
            }
        }
        return text.ToString();
    }

    private static void AppendPath(StringBuilder text, string path, bool withPaths)
    {
        if (withPaths)
        {
            text.Append(" at ").Append(path);
        }
        text.AppendLine();
    }

    private static string Quote(string? value) => value is null ? "null" : $"\"{JsonEncodedText.Encode(value)}\"";
}
