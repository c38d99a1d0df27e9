using System.Collections.Immutable;
using System.Text.Json;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Policy.Parsing;

/// <summary>Reads one policy document from JSON into the model, checking the IAM grammar; every problem becomes a <see cref="PolicyParseException"/>.</summary>
/// <remarks>One instance per document: it holds the document's name and kind and the scratch sets used to find duplicate keys.</remarks>
internal sealed partial class PolicyDocumentReader(string? name, PolicyKind kind)
{
    private static readonly string[] DocumentElements = ["Version", "Id", "Statement"];

    private static readonly string[] StatementElements =
        ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"];

    private readonly string _name = name ?? "";

    /// <summary>Sids seen so far and where, for the uniqueness check.</summary>
    private readonly Dictionary<string, string> _sids = new(StringComparer.Ordinal);

    /// <summary>Reads a document given as text (JSON or URL-encoded JSON).</summary>
    /// <param name="text">The text.</param>
    /// <param name="insideJsonString">True when the text came out of a JSON string; such text may not be another JSON string.</param>
    public PolicyDocument ReadText(string? text, bool insideJsonString)
    {
        if (text is null)
        {
            throw Fail(null, "there is no document text (null)");
        }
        var json = PolicyText.Decode(text, out var urlDecoded);
        var context = (urlDecoded, insideJsonString) switch
        {
            (true, true) => "in the URL-decoded text of the JSON string",
            (true, false) => "in the URL-decoded text",
            (false, true) => "in the text of the JSON string",
            _ => null,
        };
        using var document = PolicyText.Parse(json, error => new PolicyParseException(error with { PolicyName = _name }), context);
        return ReadRoot(document.RootElement, insideJsonString);
    }

    /// <summary>Reads a document given as a parsed JSON value.</summary>
    public PolicyDocument ReadElement(JsonElement element)
    {
        try
        {
            return ReadRoot(element, insideJsonString: false);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            // A caller's JsonElement can outlive its JsonDocument or hold text that is not valid UTF-8; both are input problems.
            throw Fail(JsonPaths.Root, $"the JSON value cannot be read ({e.Message})");
        }
    }

    private PolicyDocument ReadRoot(JsonElement root, bool insideJsonString)
    {
        switch (root.ValueKind)
        {
            case JsonValueKind.Object:
                return ReadDocument(root);
            case JsonValueKind.String when !insideJsonString:
                // The AWS CLI and CloudFormation sometimes hand over the document as a JSON string (possibly URL-encoded).
                return ReadText(root.GetString(), insideJsonString: true);
            case JsonValueKind.String:
                throw Fail(JsonPaths.Root, "the JSON string holds another JSON string; expected a policy document (a JSON object)");
            case JsonValueKind.Undefined:
                throw Fail(JsonPaths.Root, "there is no JSON value (an empty JsonElement)");
            default:
                throw Fail(JsonPaths.Root, $"a policy document must be a JSON object, found {JsonText.KindOf(root)}");
        }
    }

    private PolicyDocument ReadDocument(JsonElement document)
    {
        string? version = null, id = null;
        JsonElement? statements = null;
        var seen = new SeenKeys(JsonPaths.Root, "a policy document", "element");
        foreach (var element in document.EnumerateObject())
        {
            var key = element.Name;
            seen.Add(key, DocumentElements, this);
            var path = JsonPaths.Property(JsonPaths.Root, key);
            switch (key)
            {
                case "Version":
                    version = ReadVersion(element.Value, path);
                    break;
                case "Id":
                    id = ReadString(element.Value, path, "Id");
                    break;
                default:
                    statements = element.Value;
                    break;
            }
        }
        if (statements is not { } list)
        {
            throw Fail(JsonPaths.Root, "the policy has no Statement element (it is required)");
        }
        return new PolicyDocument(_name, version, id, ReadStatements(list));
    }

    private string ReadVersion(JsonElement value, string path)
    {
        var version = ReadString(value, path, "Version");
        return version is PolicyDocument.CurrentVersion or PolicyDocument.LegacyVersion
            ? version
            : throw Fail(path, $"Version must be \"{PolicyDocument.CurrentVersion}\" or \"{PolicyDocument.LegacyVersion}\" (or absent), not {JsonText.Quote(version)}");
    }

    private ImmutableArray<Statement> ReadStatements(JsonElement value)
    {
        var path = JsonPaths.Property(JsonPaths.Root, "Statement");
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                return [ReadStatement(value, 0, path)];
            case JsonValueKind.Array:
                var count = value.GetArrayLength();
                // AWS documents Statement as required and its grammar as one or more statements; IAM rejects an empty list,
                // and a policy without statements is almost always a templating mistake, so it is an error here too.
                if (count == 0)
                {
                    throw Fail(path, "Statement must hold at least one statement, found an empty array");
                }
                var statements = ImmutableArray.CreateBuilder<Statement>(count);
                foreach (var item in value.EnumerateArray())
                {
                    var itemPath = JsonPaths.Index(path, statements.Count);
                    statements.Add(item.ValueKind == JsonValueKind.Object
                        ? ReadStatement(item, statements.Count, itemPath)
                        : throw Fail(itemPath, $"each statement must be a JSON object, found {JsonText.KindOf(item)}"));
                }
                return statements.MoveToImmutable();
            default:
                throw Fail(path, $"Statement must be an object or an array of objects, found {JsonText.KindOf(value)}");
        }
    }

    private Statement ReadStatement(JsonElement statement, int index, string path)
    {
        string? sid = null;
        Effect? effect = null;
        ActionList? actions = null;
        ResourceList? resources = null;
        PrincipalList? principals = null;
        var conditions = ImmutableArray<ConditionClause>.Empty;
        var seen = new SeenKeys(path, "a statement", "element");
        foreach (var element in statement.EnumerateObject())
        {
            var key = element.Name;
            var value = element.Value;
            seen.Add(key, StatementElements, this);
            var elementPath = JsonPaths.Property(path, key);
            switch (key)
            {
                case "Sid":
                    sid = ReadSid(value, elementPath);
                    break;
                case "Effect":
                    effect = ReadEffect(value, elementPath);
                    break;
                case "Action" or "NotAction":
                    EnsureOnlyOne(actions?.ElementName, key, elementPath);
                    actions = new ActionList(key == "NotAction", ReadStrings(value, elementPath, key, ActionProblem));
                    break;
                case "Resource" or "NotResource":
                    EnsureOnlyOne(resources?.ElementName, key, elementPath);
                    resources = new ResourceList(key == "NotResource", ReadStrings(value, elementPath, key, ResourceProblem));
                    break;
                case "Principal" or "NotPrincipal":
                    if (kind == PolicyKind.Identity)
                    {
                        throw Fail(elementPath, $"{key} is not allowed in an identity policy or permission boundary (only resource-based and trust policies name principals)");
                    }
                    EnsureOnlyOne(principals?.ElementName, key, elementPath);
                    principals = ReadPrincipals(value, elementPath, key, isNegated: key == "NotPrincipal");
                    break;
                default:
                    conditions = ReadConditions(value, elementPath);
                    break;
            }
        }
        if (effect is not { } knownEffect)
        {
            throw Fail(path, "the statement has no Effect element (it is required: \"Allow\" or \"Deny\")");
        }
        if (actions is null)
        {
            throw Fail(path, "the statement has neither Action nor NotAction (one of them is required)");
        }
        if (resources is null && kind == PolicyKind.Identity)
        {
            throw Fail(path, "the statement has neither Resource nor NotResource (one of them is required in an identity policy)");
        }
        if (principals is null && kind == PolicyKind.Resource)
        {
            throw Fail(path, "the statement has neither Principal nor NotPrincipal (one of them is required in a resource-based or trust policy)");
        }
        return new Statement(index, sid, knownEffect, actions, resources, principals, conditions) { Path = path };
    }

    private string ReadSid(JsonElement value, string path)
    {
        var sid = ReadString(value, path, "Sid");
        // IAM requires Sids to be unique within a policy; other services' resource policies are not documented to, so only
        // identity policies are held to it.
        if (kind == PolicyKind.Identity && sid.Length > 0 && !_sids.TryAdd(sid, path))
        {
            throw Fail(path, $"duplicate Sid {JsonText.Quote(sid)} (also at {_sids[sid]}); Sids must be unique within a policy");
        }
        return sid;
    }

    private Effect ReadEffect(JsonElement value, string path)
    {
        var text = ReadString(value, path, "Effect");
        return text switch
        {
            "Allow" => Effect.Allow,
            "Deny" => Effect.Deny,
            _ => throw Fail(path, $"Effect must be \"Allow\" or \"Deny\" (case-sensitive), not {JsonText.Quote(text)}"),
        };
    }

    private void EnsureOnlyOne(string? present, string key, string path)
    {
        if (present is not null)
        {
            throw Fail(path, $"a statement may have {present} or {key}, not both");
        }
    }

    private string ReadString(JsonElement value, string path, string element) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Fail(path, $"{element} must be a string, found {JsonText.KindOf(value)}");

    /// <summary>An error at a JSON path (or, when <paramref name="path"/> is null, without a place), named after the document.</summary>
    private PolicyParseException Fail(string? path, string message) =>
        new(new PolicyParseError(message, path, null, null) { PolicyName = _name });

    /// <summary>Tracks the keys of one object with a fixed set of allowed keys, rejecting unknown and repeated keys.</summary>
    /// <param name="objectPath">The object's JSON path.</param>
    /// <param name="objectDescription">What the object is, for messages: "a statement".</param>
    /// <param name="keyNoun">What its keys are, for messages: "element".</param>
    private struct SeenKeys(string objectPath, string objectDescription, string keyNoun)
    {
        private int _seen;

        /// <summary>Records <paramref name="key"/>; throws when it is not one of <paramref name="allowed"/> or was seen before.</summary>
        public void Add(string key, string[] allowed, PolicyDocumentReader reader)
        {
            var index = Array.IndexOf(allowed, key);
            if (index < 0)
            {
                var intended = Array.Find(allowed, name => string.Equals(name, key.Trim(), StringComparison.OrdinalIgnoreCase));
                throw reader.Fail(JsonPaths.Property(objectPath, key), intended is not null
                    ? $"unknown {keyNoun} {JsonText.Quote(key)} in {objectDescription} (names are case-sensitive: did you mean \"{intended}\"?)"
                    : $"unknown {keyNoun} {JsonText.Quote(key)} in {objectDescription}; allowed: {string.Join(", ", allowed)}");
            }
            if ((_seen & (1 << index)) != 0)
            {
                throw reader.Fail(JsonPaths.Property(objectPath, key), $"duplicate key {JsonText.Quote(key)} (JSON objects in a policy may not repeat a key)");
            }
            _seen |= 1 << index;
        }
    }
}
