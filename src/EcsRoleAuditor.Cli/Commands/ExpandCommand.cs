using System.CommandLine;
using System.Text.Json;
using EcsRoleAuditor.Audit.Reporting;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary><c>expand PATTERN...</c>: the concrete catalog actions that action patterns match, with access level and resource types.</summary>
internal static class ExpandCommand
{
    public static Command Create(TextWriter stdout)
    {
        var patterns = new Argument<string[]>("pattern")
        {
            Description = "Action patterns as written in a policy, e.g. 's3:Get*', 'iam:*Role*', '*'.",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Write JSON instead of a table." };
        var command = new Command("expand", "List the AWS actions that action patterns match.") { patterns, json };
        command.SetAction(result =>
        {
            var catalog = ActionCatalog.Default;
            var given = result.GetRequiredValue(patterns);
            var matched = new ActionSet(catalog);
            var unmatched = new List<string>();
            foreach (var pattern in given)
            {
                var expanded = catalog.Expand(pattern);
                if (expanded.Count == 0)
                {
                    unmatched.Add(pattern);
                }
                matched.UnionWith(expanded);
            }
            var actions = matched.Ids.Select(id => catalog.Actions[id]).ToList();
            if (result.GetValue(json))
            {
                WriteJson(stdout, actions, unmatched);
            }
            else
            {
                WriteTable(stdout, actions, unmatched);
            }
            return CommandLineApp.ExitSuccess;
        });
        return command;
    }

    private static void WriteTable(TextWriter stdout, List<CatalogAction> actions, List<string> unmatched)
    {
        var rows = actions.Select(a => (a.FullName, Level: AccessLevelNames.Of(a.AccessLevel), Resources: ResourceTypesText(a))).ToList();
        var actionWidth = Math.Max("ACTION".Length, rows.Count == 0 ? 0 : rows.Max(r => r.FullName.Length));
        var levelWidth = Math.Max("ACCESS LEVEL".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Level.Length));
        stdout.WriteLine($"{"ACTION".PadRight(actionWidth)}  {"ACCESS LEVEL".PadRight(levelWidth)}  RESOURCE TYPES");
        foreach (var (name, level, resources) in rows)
        {
            stdout.WriteLine($"{name.PadRight(actionWidth)}  {level.PadRight(levelWidth)}  {resources}");
        }
        stdout.WriteLine(FindingFactory.Count(actions.Count, "action"));
        foreach (var pattern in unmatched)
        {
            stdout.WriteLine($"no catalog action matches '{TerminalText.Escape(pattern)}'");
        }
    }

    private static string ResourceTypesText(CatalogAction action) =>
        action.IsWildcardOnly ? "* (wildcard only)" : string.Join(", ", action.ResourceTypes.Select(r => r.Required ? r.Name + "*" : r.Name));

    private static void WriteJson(TextWriter stdout, List<CatalogAction> actions, List<string> unmatched)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.Options(indented: true)))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("actions");
            foreach (var action in actions)
            {
                writer.WriteStartObject();
                writer.WriteString("action", action.FullName);
                writer.WriteString("accessLevel", AccessLevelNames.Of(action.AccessLevel));
                writer.WriteBoolean("wildcardOnly", action.IsWildcardOnly);
                writer.WriteStartArray("resourceTypes");
                foreach (var type in action.ResourceTypes)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", type.Name);
                    writer.WriteBoolean("required", type.Required);
                    if (type.ArnTemplate is not null)
                    {
                        writer.WriteString("arn", type.ArnTemplate);
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("unmatched");
            foreach (var pattern in unmatched)
            {
                writer.WriteStringValue(pattern);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        stdout.WriteLine(TerminalText.EscapeJson(System.Text.Encoding.UTF8.GetString(buffer.ToArray())));
    }
}

/// <summary>The access level names AWS's Service Authorization Reference uses.</summary>
internal static class AccessLevelNames
{
    public static string Of(AccessLevel level) => level switch
    {
        AccessLevel.PermissionsManagement => "Permissions management",
        _ => level.ToString(),
    };
}
