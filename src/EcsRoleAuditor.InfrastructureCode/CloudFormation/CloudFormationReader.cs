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

    /// <summary>Reads the template <paramref name="text"/>; throws <see cref="InputException"/> with one line naming <paramref name="source"/> and the line.</summary>
    public static DeclaredResources Read(string text, string source, CloudFormationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var template = TemplateText.Parse(text, source);
        var resolver = new TemplateResolver(template, source, options);
        var notes = ImmutableArray.CreateBuilder<string>();
        var resources = Present(resolver, source, notes).ToList();
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
        foreach (var resource in resources)
        {
            if (PolicyAttachments.Contains(resource.Type))
            {
                var name = resolver.Resolve(resource.Properties["PolicyName"] ?? Missing(source, resource, "PolicyName"))?.ToString() ?? resource.LogicalId;
                var policy = new DeclaredInlinePolicy(name, Document(resolver, resource, "PolicyDocument", source));
                foreach (var role in TargetRoles(resolver, resource, resource.Type == "AWS::IAM::RolePolicy" ? "RoleName" : "Roles", roleNames, source, notes))
                {
                    Add(attached, role, policy);
                }
            }
            else if (resource.Type == "AWS::IAM::ManagedPolicy")
            {
                var arn = resolver.ManagedPolicyArn(resource.LogicalId);
                managed.Add(new DeclaredManagedPolicy(resolver.ManagedPolicyName(resource.LogicalId), arn, resolver.PathOf(resource.LogicalId),
                    Document(resolver, resource, "PolicyDocument", source), Location(source, resource)));
                foreach (var role in TargetRoles(resolver, resource, "Roles", roleNames, source, notes))
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
        return new DeclaredResources(source, definitions, declaredRoles, managed.ToImmutable(), notes.ToImmutable())
        {
            EncryptionKeys = EncryptionKeys(resolver, resources, source),
        };
    }

    // A secret's KmsKeyId ("The ARN, key ID, or alias of the KMS key", AWS::SecretsManager::Secret; without it "Secrets
    // Manager uses aws/secretsmanager"), by the ARN its Ref gives, which is how a task definition in the template names
    // it. A wholly unknown value is a key ID only when it is the Ref of a key the template declares (Ref of AWS::KMS::Key
    // gives its key ID); any other is an unknown key (empty: the fix's general note names the secret), never guessed.
    private static ImmutableArray<DeclaredEncryptionKey> EncryptionKeys(TemplateResolver resolver, IReadOnlyCollection<Resource> resources, string source)
    {
        var keyIds = resources.Where(r => r.Type is "AWS::KMS::Key" or "AWS::KMS::ReplicaKey")
            .Select(r => UnresolvedValue.For(r.LogicalId)).ToHashSet(StringComparer.Ordinal);
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
    private sealed record Resource(string LogicalId, string Type, TemplateMapping Properties, int Line);

    private static IEnumerable<Resource> Present(TemplateResolver resolver, string source, ImmutableArray<string>.Builder notes)
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
            yield return new Resource(entry.Key, type, properties, entry.Line);
        }
    }

    private static bool IsAudited(string type) =>
        type is "AWS::ECS::TaskDefinition" or "AWS::IAM::Role" or "AWS::IAM::ManagedPolicy" || PolicyAttachments.Contains(type);

    private static CodeLocation Location(string source, Resource resource) => new(source, resource.Line, resource.LogicalId);

    private static TemplateNode Missing(string source, Resource resource, string property) =>
        throw new InputException($"{source}:{resource.Line}: {resource.LogicalId} ({resource.Type}) has no {property}");

    // The declared roles a policy resource names (by name or Ref); a role the template does not declare is noted, not guessed at.
    private static IEnumerable<string> TargetRoles(TemplateResolver resolver, Resource resource, string property, Dictionary<string, Resource> roleNames,
        string source, ImmutableArray<string>.Builder notes)
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
                notes.Add($"{source}:{node.Line}: {resource.LogicalId} applies to the role '{name}', which the template does not declare; that role is audited without it");
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
                inline.Add(new DeclaredInlinePolicy(name, Document(resolver, policy["PolicyDocument"], new CodeLocation(source, item.Line, $"{resource.LogicalId}.Policies.{name}"))));
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
            Location(source, resource));
    }

    private static DeclaredDocument Document(TemplateResolver resolver, Resource resource, string property, string source) =>
        Document(resolver, resource.Properties[property], new CodeLocation(source, resource.Properties[property]?.Line ?? resource.Line, $"{resource.LogicalId}.{property}"));

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
