using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Parsing;

// Action/NotAction, Resource/NotResource and Principal/NotPrincipal: a string or an array of strings, each checked.
internal sealed partial class PolicyDocumentReader
{
    private static readonly string[] PrincipalTypes = ["AWS", "Service", "Federated", "CanonicalUser"];

    /// <summary>Reads a string or a non-empty array of strings, checking each with <paramref name="problem"/> (null when fine, else what is wrong).</summary>
    private ImmutableArray<string> ReadStrings(JsonElement value, string path, string element, Func<string, string?> problem)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var single = value.GetString()!;
                return [problem(single) is { } singleMessage ? throw Fail(path, singleMessage) : single];
            case JsonValueKind.Array:
                var count = value.GetArrayLength();
                if (count == 0)
                {
                    throw Fail(path, $"{element} must not be an empty array");
                }
                var items = ImmutableArray.CreateBuilder<string>(count);
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        throw Fail(JsonPaths.Index(path, items.Count), $"each {element} entry must be a string, found {JsonText.KindOf(item)}");
                    }
                    var text = item.GetString()!;
                    items.Add(problem(text) is { } message ? throw Fail(JsonPaths.Index(path, items.Count), message) : text);
                }
                return items.MoveToImmutable();
            default:
                throw Fail(path, $"{element} must be a string or an array of strings, found {JsonText.KindOf(value)}");
        }
    }

    /// <summary>What is wrong with an action pattern: it must be <c>*</c> or <c>service:action</c>.</summary>
    private static string? ActionProblem(string action)
    {
        if (action == "*")
        {
            return null;
        }
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        return colon switch
        {
            < 0 => $"{JsonText.Quote(action)} is an action without a service prefix; write \"service:action\", e.g. \"s3:GetObject\" (or \"*\")",
            0 => $"{JsonText.Quote(action)} has an empty service prefix; write \"service:action\", e.g. \"s3:GetObject\"",
            _ when colon == action.Length - 1 => $"{JsonText.Quote(action)} has no action name after the service prefix; write e.g. \"{action}*\" for every action of the service",
            _ => null,
        };
    }

    /// <summary>What is wrong with a resource pattern: it must be <c>*</c> or an ARN (wildcards and policy variables allowed).</summary>
    private static string? ResourceProblem(string resource) =>
        resource == "*" || resource.StartsWith("arn:", StringComparison.Ordinal)
            ? null
            : $"{JsonText.Quote(resource)} is neither \"*\" nor an ARN (ARNs start with \"arn:\")";

    private static string? PrincipalProblem(string principal) =>
        principal.Length == 0 ? "a principal must not be an empty string" : null;

    private PrincipalList ReadPrincipals(JsonElement value, string path, string element, bool isNegated)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when value.ValueEquals("*"):
                return new PrincipalList(isNegated, [new PrincipalEntry(PrincipalType.Anyone, "*")]);
            case JsonValueKind.String:
                throw Fail(path, $"{element} must be \"*\" or an object such as {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}, not the string {JsonText.Quote(value.GetString()!)}");
            case JsonValueKind.Object:
                var entries = ImmutableArray.CreateBuilder<PrincipalEntry>();
                var seen = new SeenKeys(path, $"a {element}", "principal type");
                foreach (var principals in value.EnumerateObject())
                {
                    seen.Add(principals.Name, PrincipalTypes, this);
                    var type = principals.Name switch
                    {
                        "AWS" => PrincipalType.Aws,
                        "Service" => PrincipalType.Service,
                        "Federated" => PrincipalType.Federated,
                        _ => PrincipalType.CanonicalUser,
                    };
                    var values = ReadStrings(principals.Value, JsonPaths.Property(path, principals.Name), principals.Name, PrincipalProblem);
                    foreach (var principal in values)
                    {
                        entries.Add(new PrincipalEntry(type, principal));
                    }
                }
                return entries.Count > 0
                    ? new PrincipalList(isNegated, entries.DrainToImmutable())
                    : throw Fail(path, $"{element} must name at least one principal, found an empty object");
            default:
                throw Fail(path, $"{element} must be \"*\" or an object mapping AWS, Service, Federated or CanonicalUser to principals, found {JsonText.KindOf(value)}");
        }
    }
}
