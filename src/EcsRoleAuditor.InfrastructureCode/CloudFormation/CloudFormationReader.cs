using System.Collections.Immutable;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.InfrastructureCode.Declared;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.InfrastructureCode.CloudFormation;

/// <summary>
/// Reads a CloudFormation or SAM template (YAML with short-form tags, or JSON; a CDK app's synthesized
/// <c>cdk.out/*.template.json</c>) into <see cref="DeclaredResources"/>: <c>AWS::ECS::TaskDefinition</c>,
/// <c>AWS::IAM::Role</c> (inline <c>Policies</c>, <c>ManagedPolicyArns</c>, <c>PermissionsBoundary</c>, trust policy),
/// <c>AWS::IAM::Policy</c> and <c>AWS::IAM::RolePolicy</c> (inline policies of the roles they name) and
/// <c>AWS::IAM::ManagedPolicy</c> (attached to its <c>Roles</c>). Other resources are read only when these refer to them.
/// </summary>
public static class CloudFormationReader
{
    private static readonly ImmutableHashSet<string> PolicyAttachments = ["AWS::IAM::Policy", "AWS::IAM::RolePolicy"];

    /// <summary>
    /// Reads the template <paramref name="text"/>, and the templates of the stacks it nests when
    /// <see cref="CloudFormationOptions.ReadNested"/> reads them; throws <see cref="InputException"/> with one line naming
    /// <paramref name="source"/> (or the nested template) and the line.
    /// </summary>
    public static DeclaredResources Read(string text, string source, CloudFormationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (declared, _, pending) = Read(text, source, options, [source], new NestingBudget());
        return pending.IsEmpty ? declared : declared with { Notes = declared.Notes.AddRange(pending.Select(p => p.Note)) };
    }

    /// <summary>A policy for a role the template does not declare: a template that nests it, or one it nests, may.</summary>
    private sealed record PendingAttachment(string RoleName, DeclaredInlinePolicy? Inline, string? ManagedArn, string Note);

    // Each attachment goes to the role of that name among the roles given; the others stay pending.
    private static (ImmutableArray<DeclaredRole> Roles, ImmutableArray<PendingAttachment> Pending) Place(ImmutableArray<DeclaredRole> roles, IEnumerable<PendingAttachment> pending)
    {
        // Two roles of one name are refused when the account is built (DeclaredAccount.Build names both); until then the first stands.
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < roles.Length; i++)
        {
            byName.TryAdd(roles[i].Name, i);
        }
        var placed = roles.ToBuilder();
        var left = ImmutableArray.CreateBuilder<PendingAttachment>();
        foreach (var attachment in pending)
        {
            if (!byName.TryGetValue(attachment.RoleName, out var index))
            {
                left.Add(attachment);
                continue;
            }
            var role = placed[index];
            placed[index] = attachment.Inline is { } inline
                ? role with { InlinePolicies = role.InlinePolicies.Add(inline) }
                : role with { ManagedPolicyArns = role.ManagedPolicyArns.Add(attachment.ManagedArn!) };
        }
        return (placed.ToImmutable(), left.ToImmutable());
    }

    /// <summary>
    /// <see cref="CloudFormationOptions.ReadNested"/> from the file system: the path relative to the nesting template's
    /// directory, read with the size cap and strict UTF-8 every input gets. A template is input from whoever wrote it (a
    /// pull request, in CI), so the path must stay inside the current directory or the top template's directory, through
    /// no symbolic link, to a regular file: no template makes the tool read, or wait on, anything else. Throws
    /// <see cref="IOException"/> when it cannot or may not read it.
    /// </summary>
    public static (string Text, string Source) ReadNestedFile(string topSource, string nestingSource, string path)
    {
        ArgumentNullException.ThrowIfNull(topSource);
        ArgumentNullException.ThrowIfNull(nestingSource);
        ArgumentNullException.ThrowIfNull(path);
        if (Path.IsPathRooted(path))
        {
            throw new IOException("an absolute path; a nested template is named relative to the template that nests it");
        }
        var file = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(nestingSource) ?? "", path));
        var current = Path.GetFullPath(Directory.GetCurrentDirectory());
        var root = new[] { current, Path.GetFullPath(Path.GetDirectoryName(Path.GetFullPath(topSource)) ?? current) }
            .FirstOrDefault(r => file.StartsWith(Path.TrimEndingDirectorySeparator(r) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            ?? throw new IOException("outside the current directory and the top template's directory");
        for (var part = file; part.Length > Path.TrimEndingDirectorySeparator(root).Length; part = Path.GetDirectoryName(part)!)
        {
            if ((File.Exists(part) ? new FileInfo(part).LinkTarget : Directory.Exists(part) ? new DirectoryInfo(part).LinkTarget : null) is not null)
            {
                throw new IOException($"{Path.GetFileName(part)} is a symbolic link");
            }
        }
        if (Directory.Exists(file))
        {
            throw new IOException("a directory, not a template");
        }
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
        var shown = file.StartsWith(Path.TrimEndingDirectorySeparator(current) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? Path.GetRelativePath(current, file) : file;
        return (JsonInput.Text(JsonInput.ReadCapped(stream, shown, "the nested CloudFormation template"), shown), shown);
    }

    /// <summary>How many nested templates one top template may bring in, however they fan out: ten stacks each nesting ten more grows past any real deployment fast.</summary>
    private sealed class NestingBudget
    {
        public const int MaxTemplates = 200;

        public int Read { get; set; }
    }

    private static (DeclaredResources Declared, TemplateResolver Resolver, ImmutableArray<PendingAttachment> Pending) Read(
        string text, string source, CloudFormationOptions options, ImmutableArray<string> nesting, NestingBudget budget)
    {
        var template = TemplateText.Parse(text, source);
        var nested = new NestedStacks(source, options, nesting, budget);
        var resolver = new TemplateResolver(template, source, options, nested.Output);
        nested.Resolver = resolver;
        var notes = ImmutableArray.CreateBuilder<string>();
        var resources = Present(resolver, source, options.Scope, notes).ToList();
        nested.Resources = resources.Where(r => NestedStacks.Types.Contains(r.Type)).ToDictionary(r => r.LogicalId, StringComparer.Ordinal);
        var roles = resources.Where(r => r.Type == "AWS::IAM::Role").ToList();
        var roleNames = new Dictionary<string, Resource>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in roles)
        {
            // IAM role names are unique in an account, ignoring case: a second would fail to deploy, and would hide the first here.
            if (!roleNames.TryAdd(resolver.RoleName(role.LogicalId), role))
            {
                var first = roleNames[resolver.RoleName(role.LogicalId)];
                throw new InputException($"{source}:{role.Line}: {role.LogicalId} has the role name of {first.LogicalId} (line {first.Line}); IAM role names are unique in an account, ignoring case");
            }
        }
        var attached = new Dictionary<string, List<DeclaredInlinePolicy>>(StringComparer.Ordinal);
        var managedOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var managed = ImmutableArray.CreateBuilder<DeclaredManagedPolicy>();
        var pending = new List<PendingAttachment>();
        var nestedFiles = ImmutableArray.CreateBuilder<string>();
        foreach (var resource in resources)
        {
            if (PolicyAttachments.Contains(resource.Type))
            {
                var name = resolver.Resolve(resource.Properties["PolicyName"] ?? Missing(source, resource, "PolicyName"))?.ToString() ?? resource.LogicalId;
                var policy = new DeclaredInlinePolicy(name, Document(resolver, resource, "PolicyDocument", source));
                foreach (var role in TargetRoles(resolver, resource, resource.Type == "AWS::IAM::RolePolicy" ? "RoleName" : "Roles", roleNames, source,
                    (name, note) => pending.Add(new PendingAttachment(name, policy, null, note))))
                {
                    Add(attached, role, policy);
                }
            }
            else if (resource.Type == "AWS::IAM::ManagedPolicy")
            {
                var arn = resolver.ManagedPolicyArn(resource.LogicalId);
                managed.Add(new DeclaredManagedPolicy(resolver.ManagedPolicyName(resource.LogicalId), arn, resolver.PathOf(resource.LogicalId),
                    Document(resolver, resource, "PolicyDocument", source), Location(source, resource)));
                foreach (var role in TargetRoles(resolver, resource, "Roles", roleNames, source, (name, note) => pending.Add(new PendingAttachment(name, null, arn, note))))
                {
                    Add(managedOf, role, arn);
                }
            }
        }
        var declaredRoles = roles.Select(r => Role(resolver, r, source, notes,
            attached.GetValueOrDefault(r.LogicalId) ?? [], managedOf.GetValueOrDefault(r.LogicalId) ?? [])).ToImmutableArray();
        var definitions = resources.Where(r => r.Type == "AWS::ECS::TaskDefinition")
            .Select(r => TaskDefinitionProperties.Declare(resolver, r.LogicalId, r.Properties, Location(source, r)))
            .ToImmutableArray();
        var keys = EncryptionKeys(resolver, resources, source);
        // What the nested stacks declare is part of this deployment: their task definitions, roles and policies are audited
        // with this template's, each where its own template writes it.
        foreach (var stack in nested.Resources.Keys)
        {
            if (nested.Read(stack) is { } child)
            {
                nestedFiles.Add(child.Declared.Source);
                nestedFiles.AddRange(child.Declared.NestedFiles);
                definitions = definitions.AddRange(child.Declared.TaskDefinitions);
                declaredRoles = declaredRoles.AddRange(child.Declared.Roles);
                managed.AddRange(child.Declared.ManagedPolicies);
                notes.AddRange(child.Declared.Notes);
                keys = keys.AddRange(child.Declared.EncryptionKeys);
                pending.AddRange(child.Pending);
            }
        }
        notes.AddRange(nested.Notes);
        // A policy in one template may name a role another template of the nesting declares (its name passed as a
        // parameter or read from an output): it is that role's, wherever it is written.
        var (placedRoles, left) = Place(declaredRoles, pending);
        return (new DeclaredResources(source, definitions, placedRoles, managed.ToImmutable(), notes.ToImmutable()) { EncryptionKeys = keys, NestedFiles = nestedFiles.ToImmutable() },
            resolver, left);
    }

    /// <summary>
    /// The stacks a template nests (<c>AWS::CloudFormation::Stack</c>; SAM's <c>AWS::Serverless::Application</c>), each read
    /// once, when first a value asks for one of its outputs or when the template is done: its template from the local path
    /// that names it, its parameters as this template passes them, its names and unknowns kept apart from this template's.
    /// </summary>
    private sealed class NestedStacks(string source, CloudFormationOptions options, ImmutableArray<string> nesting, NestingBudget budget)
    {
        public static readonly ImmutableHashSet<string> Types = ["AWS::CloudFormation::Stack", "AWS::Serverless::Application"];

        // This tool's own limit (AWS documents none for nesting depth): a chain this long is a loop by another name.
        private const int MaxDepth = 8;

        private readonly Dictionary<string, (DeclaredResources Declared, TemplateResolver Resolver, ImmutableArray<PendingAttachment> Pending)?> _read = new(StringComparer.Ordinal);
        private readonly HashSet<string> _reading = new(StringComparer.Ordinal);

        public TemplateResolver Resolver { get; set; } = null!;

        public Dictionary<string, Resource> Resources { get; set; } = new(StringComparer.Ordinal);

        public ImmutableArray<string>.Builder Notes { get; } = ImmutableArray.CreateBuilder<string>();

        /// <summary>The output <paramref name="name"/> of the nested stack <paramref name="logicalId"/>; null when its template is not read.</summary>
        public JsonNode? Output(string logicalId, string name, TemplateNode at)
        {
            if (Read(logicalId) is not { } child)
            {
                return null;
            }
            return child.Resolver.TryOutput(name, out var value) ? value
                : throw new InputException($"{source}:{at.Line}: Fn::GetAtt {logicalId}.Outputs.{name}: the template of {logicalId} ({child.Declared.Source}) has no output {name}");
        }

        /// <summary>What the nested stack <paramref name="logicalId"/> declares; null when its template is not read (a note says why).</summary>
        public (DeclaredResources Declared, TemplateResolver Resolver, ImmutableArray<PendingAttachment> Pending)? Read(string logicalId)
        {
            if (_read.TryGetValue(logicalId, out var done))
            {
                return done;
            }
            if (!Resources.TryGetValue(logicalId, out var stack))
            {
                return null; // its Condition is false: CloudFormation does not create it
            }
            if (!_reading.Add(logicalId))
            {
                throw new InputException($"{source}:{stack.Line}: {logicalId}'s parameters depend on its own outputs (a circular reference)");
            }
            try
            {
                var read = ReadNow(stack);
                _read[logicalId] = read;
                return read;
            }
            finally
            {
                _reading.Remove(logicalId);
            }
        }

        private (DeclaredResources Declared, TemplateResolver Resolver, ImmutableArray<PendingAttachment> Pending)? ReadNow(Resource stack)
        {
            var (path, asset) = LocalPath(stack);
            if (path is null || options.ReadNested is null)
            {
                Notes.Add($"{source}:{stack.Line}: the nested stack {stack.LogicalId}'s template is "
                    + (path is null ? "not a local file (an S3 or HTTPS URL, or an application of the Serverless Application Repository)" : "not read here")
                    + ": audit it with its own --cloudformation; values from its outputs are unknown");
                return null;
            }
            if (nesting.Length > MaxDepth)
            {
                throw new InputException($"{source}:{stack.Line}: {stack.LogicalId} nests stacks more than {MaxDepth} deep ({string.Join(" > ", nesting)})");
            }
            if (++budget.Read > NestingBudget.MaxTemplates)
            {
                throw new InputException($"{source}:{stack.Line}: {stack.LogicalId} brings the nested templates read for {nesting[0]} past {NestingBudget.MaxTemplates}; audit the nested templates on their own");
            }
            string text, childSource;
            try
            {
                (text, childSource) = options.ReadNested(nesting[0], source, path);
            }
            catch (FileNotFoundException) when (asset)
            {
                // A CDK app's metadata names the asset; a cdk.out copied without it is an audit without that stack, not an error.
                Notes.Add($"{source}:{stack.Line}: the nested stack {stack.LogicalId}'s template {path} is not beside the template (aws:asset:path): "
                    + "values from its outputs are unknown; run cdk synth and audit the whole cdk.out");
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputException($"{source}:{stack.Line}: cannot read the template of the nested stack {stack.LogicalId} ({path}): {e.Message}");
            }
            if (nesting.Any(n => string.Equals(Path.GetFullPath(n), Path.GetFullPath(childSource), StringComparison.Ordinal)))
            {
                throw new InputException($"{source}:{stack.Line}: {stack.LogicalId} nests {childSource}, which nests it again ({string.Join(" > ", nesting)} > {childSource})");
            }
            var childOptions = options with
            {
                StackName = null, // CloudFormation names a nested stack itself
                Parameters = Parameters(stack),
                Scope = options.Scope is { } scope ? $"{scope}.{stack.LogicalId}" : stack.LogicalId,
                ParametersFrom = $"{stack.LogicalId} (line {stack.Line} of {source}) passes the parameter",
            };
            return CloudFormationReader.Read(text, childSource, childOptions, nesting.Add(childSource), budget);
        }

        // TemplateURL (or SAM's Location) when it is a path, else a CDK nested stack's asset path: the file beside the
        // template (cdk.out), which TemplateURL names only as the S3 object deployment uploads.
        private (string? Path, bool Asset) LocalPath(Resource stack)
        {
            var property = stack.Type == "AWS::Serverless::Application" ? "Location" : "TemplateURL";
            if (stack.Properties[property] is { } node && Resolver.Resolve(node) is JsonValue value && value.TryGetValue<string>(out var url)
                && !UnresolvedValue.IsIn(url) && !url.Contains("://", StringComparison.Ordinal) && !url.StartsWith("s3:", StringComparison.Ordinal) && url.Length > 0)
            {
                return (url, false);
            }
            return stack.Metadata?["aws:asset:path"] is TemplateScalar { Text: { Length: > 0 } asset } ? (asset, true) : (null, false);
        }

        // The parameters as CloudFormation passes them: strings (a list joined by commas); a value removed with AWS::NoValue is not passed.
        private ImmutableDictionary<string, string> Parameters(Resource stack)
        {
            var passed = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            if (stack.Properties["Parameters"] is { } node && Resolver.Resolve(node) is JsonObject values)
            {
                foreach (var (name, value) in values)
                {
                    passed[name] = value switch
                    {
                        null => "",
                        JsonArray list => string.Join(",", list.Select(i => i is JsonValue v && v.TryGetValue<string>(out var text) ? text : i?.ToJsonString() ?? "")),
                        JsonValue v when v.TryGetValue<string>(out var text) => text,
                        _ => value.ToJsonString(),
                    };
                }
            }
            return passed.ToImmutable();
        }
    }

    // A secret's KmsKeyId ("The ARN, key ID, or alias of the KMS key", AWS::SecretsManager::Secret; without it "Secrets
    // Manager uses aws/secretsmanager"), by the ARN its Ref gives, which is how a task definition in the template names
    // it. A wholly unknown value is a key ID only when it is the Ref of a key the template declares (Ref of AWS::KMS::Key
    // gives its key ID); any other is an unknown key (empty: the fix's general note names the secret), never guessed.
    private static ImmutableArray<DeclaredEncryptionKey> EncryptionKeys(TemplateResolver resolver, IReadOnlyCollection<Resource> resources, string source)
    {
        var keyIds = resources.Where(r => r.Type is "AWS::KMS::Key" or "AWS::KMS::ReplicaKey")
            .Select(r => resolver.Marker(r.LogicalId)).ToHashSet(StringComparer.Ordinal);
        return [.. resources.Where(r => r.Type == "AWS::SecretsManager::Secret")
            .Select(r => (Secret: r, Key: r.Properties["KmsKeyId"] is not { } written ? "alias/aws/secretsmanager"
                : resolver.Resolve(written) is JsonValue value && value.TryGetValue<string>(out var text) ? text : null))
            .Select(k => new DeclaredEncryptionKey(resolver.ResourceRefText(k.Secret.LogicalId),
                k.Key is { Length: > 0 } key && (!UnresolvedValue.IsWhole(key) || keyIds.Contains(key)) ? key : "", Location(source, k.Secret)))];
    }

    private static void Add<T>(Dictionary<string, List<T>> map, string key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }
        list.Add(value);
    }

    /// <summary>A resource of the template with its resolved properties' source.</summary>
    private sealed record Resource(string LogicalId, string Type, TemplateMapping Properties, int Line)
    {
        public TemplateMapping? Metadata { get; init; }

        /// <summary>The logical ID, after those of the stacks that nest its template: a place two nestings of one template tell apart.</summary>
        public string Address { get; init; } = LogicalId;
    }

    private static IEnumerable<Resource> Present(TemplateResolver resolver, string source, string? scope, ImmutableArray<string>.Builder notes)
    {
        foreach (var entry in resolver.Resources.Entries)
        {
            if (entry.Value is not TemplateMapping resource || resource["Type"] is not TemplateScalar { Text: var type })
            {
                throw new InputException($"{source}:{entry.Line}: resource {entry.Key} has no Type");
            }
            var properties = resource["Properties"] as TemplateMapping ?? new TemplateMapping([], entry.Line);
            switch (resolver.Exists(resource))
            {
                case false:
                    continue; // its Condition is false with these parameters: CloudFormation does not create it
                case null:
                    if (IsAudited(type))
                    {
                        notes.Add($"{source}:{entry.Line}: {entry.Key}'s condition depends on values known only at deployment; it is audited as if created");
                    }
                    break;
            }
            yield return new Resource(entry.Key, type, properties, entry.Line)
            {
                Metadata = resource["Metadata"] as TemplateMapping,
                Address = scope is null ? entry.Key : $"{scope}.{entry.Key}",
            };
        }
    }

    private static bool IsAudited(string type) =>
        type is "AWS::ECS::TaskDefinition" or "AWS::IAM::Role" or "AWS::IAM::ManagedPolicy" || PolicyAttachments.Contains(type) || NestedStacks.Types.Contains(type);

    private static CodeLocation Location(string source, Resource resource) => new(source, resource.Line, resource.Address);

    private static TemplateNode Missing(string source, Resource resource, string property) =>
        throw new InputException($"{source}:{resource.Line}: {resource.LogicalId} ({resource.Type}) has no {property}");

    // The declared roles a policy resource names (by name or Ref); a role the template does not declare is noted, not guessed at.
    private static IEnumerable<string> TargetRoles(TemplateResolver resolver, Resource resource, string property, Dictionary<string, Resource> roleNames,
        string source, Action<string, string> elsewhere)
    {
        if (resource.Properties[property] is not { } node)
        {
            yield break;
        }
        var value = resolver.Resolve(node);
        IEnumerable<JsonNode?> names = value is JsonArray list ? list : new JsonNode?[] { value };
        foreach (var name in names.Select(n => n?.ToString() ?? ""))
        {
            if (roleNames.TryGetValue(name, out var role))
            {
                yield return role.LogicalId;
            }
            else
            {
                elsewhere(name, $"{source}:{node.Line}: {resource.LogicalId} applies to the role '{name}', which the templates do not declare; that role is audited without it");
            }
        }
    }

    private static DeclaredRole Role(TemplateResolver resolver, Resource resource, string source, ImmutableArray<string>.Builder notes,
        List<DeclaredInlinePolicy> attached, List<string> managedArns)
    {
        var inline = ImmutableArray.CreateBuilder<DeclaredInlinePolicy>();
        if (resource.Properties["Policies"] is TemplateSequence policies)
        {
            foreach (var item in policies.Items.Where(i => !resolver.IsNoValue(i)))
            {
                if (item is not TemplateMapping policy || policy["PolicyName"] is not { } nameNode)
                {
                    throw new InputException($"{source}:{item.Line}: {resource.LogicalId}.Policies: each policy has a PolicyName and a PolicyDocument");
                }
                var name = resolver.Resolve(nameNode)?.ToString() ?? "";
                inline.Add(new DeclaredInlinePolicy(name, Document(resolver, policy["PolicyDocument"], new CodeLocation(source, item.Line, $"{resource.Address}.Policies.{name}"))));
            }
        }
        inline.AddRange(attached);
        var managedPolicies = resource.Properties["ManagedPolicyArns"] is { } arns && resolver.Resolve(arns) is JsonArray arnList
            ? arnList.Select(a => a?.ToString() ?? "").ToList()
            : [];
        managedPolicies.AddRange(managedArns);
        var boundary = resource.Properties["PermissionsBoundary"] is { } boundaryNode ? resolver.Resolve(boundaryNode)?.ToString() : null;
        var tags = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (resource.Properties["Tags"] is { } tagNode && resolver.Resolve(tagNode) is JsonArray tagList)
        {
            foreach (var tag in tagList.OfType<JsonObject>())
            {
                tags[tag["Key"]?.ToString() ?? ""] = tag["Value"]?.ToString() ?? "";
            }
        }
        foreach (var unknown in managedPolicies.Where(UnresolvedValue.IsIn).Concat(boundary is not null && UnresolvedValue.IsIn(boundary) ? [boundary] : []))
        {
            notes.Add($"{source}:{resource.Line}: {resource.LogicalId} attaches a policy known only at deployment ({unknown}); its audit is incomplete");
        }
        return new DeclaredRole(
            resolver.RoleName(resource.LogicalId),
            resolver.RoleArn(resource.LogicalId),
            resolver.PathOf(resource.LogicalId),
            Document(resolver, resource, "AssumeRolePolicyDocument", source),
            inline.ToImmutable(),
            [.. managedPolicies],
            boundary,
            tags.ToImmutable(),
            Location(source, resource))
        {
            NameGenerated = resource.Properties["RoleName"] is not { } roleName || resolver.IsNoValue(roleName),
        };
    }

    private static DeclaredDocument Document(TemplateResolver resolver, Resource resource, string property, string source) =>
        Document(resolver, resource.Properties[property], new CodeLocation(source, resource.Properties[property]?.Line ?? resource.Line, $"{resource.Address}.{property}"));

    private static DeclaredDocument Document(TemplateResolver resolver, TemplateNode? node, CodeLocation location)
    {
        if (node is null)
        {
            return new DeclaredDocument(null, "the template gives no policy document", location);
        }
        var value = resolver.Resolve(node);
        // IAM accepts a document as a JSON string too (CDK and SAM sometimes write it so).
        if (value is JsonValue text && text.TryGetValue<string>(out var json) && !UnresolvedValue.IsIn(json))
        {
            try
            {
                value = JsonNode.Parse(json);
            }
            catch (System.Text.Json.JsonException)
            {
                return new DeclaredDocument(json, null, location); // the policy parser reports it as malformed (ERA047)
            }
        }
        if (value is not JsonObject document)
        {
            return new DeclaredDocument(null, "the policy document is a value known only at deployment", location);
        }
        var reason = PolicyDocuments.WhyUnreadable(document);
        return new DeclaredDocument(reason is null ? document.ToJsonString() : null, reason, location)
        {
            StatementLines = PolicyDocuments.StatementLines(resolver, node),
        };
    }
}
