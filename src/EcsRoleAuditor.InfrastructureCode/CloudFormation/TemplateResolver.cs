using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.InfrastructureCode.Declared;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.InfrastructureCode.CloudFormation;

/// <summary>
/// Evaluates a template's values the way CloudFormation would at deployment, as far as the template, the parameter
/// values given and the stack's account and region settle them: <c>Ref</c> and <c>Fn::GetAtt</c> to parameters,
/// pseudo parameters and the template's own resources, <c>Fn::Sub</c>, <c>Fn::Join</c>, <c>Fn::Select</c>,
/// <c>Fn::Split</c>, <c>Fn::If</c> with the conditions, <c>Fn::FindInMap</c>, <c>Fn::ToJsonString</c>, <c>Fn::Length</c>.
/// What deployment alone knows (a generated name, an import, a parameter without a value) becomes an
/// <see cref="UnresolvedValue"/> marker, never a guess.
/// </summary>
internal sealed class TemplateResolver
{
    private readonly TemplateMapping _template;
    private readonly string _source;
    private readonly CloudFormationOptions _options;
    private readonly Dictionary<string, JsonNode?> _parameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool?> _conditions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evaluating = new(StringComparer.Ordinal);
    private readonly HashSet<(string, string)> _reading = [];
    private readonly TemplateMapping? _resources;
    private readonly TemplateMapping? _mappings;
    private readonly TemplateMapping? _conditionDefinitions;

    private readonly Func<string, string, TemplateNode, JsonNode?>? _nestedOutput;

    /// <param name="template">The template.</param>
    /// <param name="source">Its file, for messages.</param>
    /// <param name="options">The stack's account, region, name, parameters and, for a nested stack, its scope.</param>
    /// <param name="nestedOutput">An output of a nested stack (logical ID, output name, where it is asked for), or null when the stack's template is not read.</param>
    public TemplateResolver(TemplateMapping template, string source, CloudFormationOptions options, Func<string, string, TemplateNode, JsonNode?>? nestedOutput = null)
    {
        _nestedOutput = nestedOutput;
        _template = template;
        _source = source;
        _options = options;
        _resources = template["Resources"] as TemplateMapping;
        _mappings = template["Mappings"] as TemplateMapping;
        _conditionDefinitions = template["Conditions"] as TemplateMapping;
        Partition = Aws.Connection.AwsConnection.PartitionOf(options.Region);
        if (template["Parameters"] is TemplateMapping parameters)
        {
            foreach (var parameter in parameters.Entries)
            {
                _parameters[parameter.Key] = ParameterValue(parameter);
            }
        }
        foreach (var given in options.Parameters.Keys.Where(k => !_parameters.ContainsKey(k)))
        {
            throw new InputException($"{source}: {options.ParametersFrom} {given}: the template declares no such parameter");
        }
    }

    /// <summary>The partition the stack's region is in.</summary>
    public string Partition { get; }

    /// <summary>The template's resources.</summary>
    public TemplateMapping Resources => _resources ?? throw new InputException($"{_source}:{_template.Line}: the template has no Resources");

    /// <summary>An IAM role's name: its <c>RoleName</c>, else its logical ID standing for the name CloudFormation generates.</summary>
    public string RoleName(string logicalId) => NameProperty(logicalId, "RoleName") ?? StandInName(logicalId);

    /// <summary>A managed policy's name: its <c>ManagedPolicyName</c>, else its logical ID.</summary>
    public string ManagedPolicyName(string logicalId) => NameProperty(logicalId, "ManagedPolicyName") ?? StandInName(logicalId);

    /// <summary>A task definition's family: its <c>Family</c>, else its logical ID.</summary>
    public string Family(string logicalId) => NameProperty(logicalId, "Family") ?? StandInName(logicalId);

    // What stands for a name CloudFormation generates: the logical ID, after the nested stacks' logical IDs in a nested
    // stack's template, so that two templates' resources of one logical ID are two resources.
    private string StandInName(string logicalId) => _options.Scope is { } scope ? $"{scope.Replace('.', '-')}-{logicalId}" : logicalId;

    /// <summary>The marker for <paramref name="expression"/> in this template: in a nested stack's, after the nested stacks' logical IDs.</summary>
    public string Marker(string expression) => UnresolvedValue.For(_options.Scope is { } scope ? $"{scope}.{expression}" : expression);

    /// <summary>The task definition's ARN: the stack's region and account, its family, and the revision ECS will assign (unresolved).</summary>
    public string TaskDefinitionArn(string logicalId) => RegionalArn("ecs", $"task-definition/{Family(logicalId)}:{Marker(logicalId + ".Revision")}");

    /// <summary>An IAM path property's value, '/' when absent.</summary>
    public string PathOf(string logicalId) => NameProperty(logicalId, "Path") ?? "/";

    /// <summary>The role's ARN as IAM will write it.</summary>
    public string RoleArn(string logicalId) =>
        Arn.Create(Partition, "iam", "", _options.Account, $"role{PathOf(logicalId)}{RoleName(logicalId)}").ToString();

    /// <summary>The managed policy's ARN as IAM will write it.</summary>
    public string ManagedPolicyArn(string logicalId) =>
        Arn.Create(Partition, "iam", "", _options.Account, $"policy{PathOf(logicalId)}{ManagedPolicyName(logicalId)}").ToString();

    /// <summary>True when the resource's <c>Condition</c> is not known to be false (unknown conditions keep the resource, with a note by the caller).</summary>
    public bool? Exists(TemplateMapping resource) =>
        resource["Condition"] is TemplateScalar { Text: var name } ? Condition(name, resource.Line) : true;

    /// <summary>Evaluates <paramref name="node"/>; a removed value (<c>AWS::NoValue</c>) is null.</summary>
    public JsonNode? Resolve(TemplateNode node)
    {
        switch (node)
        {
            case TemplateScalar scalar:
                return Scalar(scalar);
            case TemplateSequence sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Items)
                {
                    if (Resolve(item) is var value && !IsNoValue(item))
                    {
                        array.Add(value);
                    }
                }
                return array;
            case TemplateMapping { Function: { } function }:
                return Call(function);
            case TemplateMapping mapping:
                var obj = new JsonObject();
                foreach (var entry in mapping.Entries)
                {
                    if (!IsNoValue(entry.Value))
                    {
                        obj[entry.Key] = Resolve(entry.Value);
                    }
                }
                return obj;
            default:
                throw new InvalidOperationException("Unknown template node.");
        }
    }

    /// <summary>True for <c>{"Ref": "AWS::NoValue"}</c> (and an <c>Fn::If</c> known to choose it): the property is left out.</summary>
    public bool IsNoValue(TemplateNode node) => node switch
    {
        TemplateMapping { Function: { Key: "Ref", Value: TemplateScalar { Text: "AWS::NoValue" } } } => true,
        TemplateMapping { Function: { Key: "Fn::If", Value: TemplateSequence { Items.Length: 3 } branches } } =>
            Condition(Text(branches.Items[0]), branches.Line) is { } chosen && IsNoValue(branches.Items[chosen ? 1 : 2]),
        _ => false,
    };

    private static JsonValue? Scalar(TemplateScalar scalar)
    {
        if (!scalar.Plain)
        {
            return JsonValue.Create(scalar.Text);
        }
        return scalar.Text switch
        {
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            "null" or "Null" or "NULL" or "~" or "" => null,
            _ when long.TryParse(scalar.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ => JsonValue.Create(scalar.Text),
        };
    }

    private JsonNode? Call(TemplateEntry function)
    {
        var argument = function.Value;
        return function.Key switch
        {
            "Ref" => Ref(Text(argument), argument.Line),
            "Fn::GetAtt" => GetAtt(argument),
            "Fn::Sub" => Sub(argument),
            "Fn::Join" => Join(argument),
            "Fn::Select" => Select(argument),
            "Fn::Split" => Split(argument),
            "Fn::If" => If(argument),
            "Fn::FindInMap" => FindInMap(argument),
            "Fn::ToJsonString" => Resolve(argument) is { } value && !HasMarker(value) ? JsonValue.Create(value.ToJsonString()) : Unknown("Fn::ToJsonString", argument),
            "Fn::Length" => Resolve(argument) is JsonArray list ? JsonValue.Create(list.Count) : Unknown("Fn::Length", argument),
            "Fn::ImportValue" => Unresolved($"ImportValue:{TextOrUnknown(argument)}"),
            "Condition" or "Fn::Equals" or "Fn::Not" or "Fn::And" or "Fn::Or" =>
                ConditionValue(new TemplateMapping([function], argument.Line)) is { } known ? JsonValue.Create(known) : Unknown(function.Key, argument),
            _ => Unknown(function.Key, argument), // Fn::Base64, Fn::GetAZs, Fn::Cidr, Fn::Transform: nothing the audit reads
        };
    }

    private JsonNode? Ref(string name, int line)
    {
        switch (name)
        {
            case "AWS::AccountId":
                return JsonValue.Create(_options.Account);
            case "AWS::Region":
                return JsonValue.Create(_options.Region);
            case "AWS::Partition":
                return JsonValue.Create(Partition);
            case "AWS::URLSuffix":
                return JsonValue.Create(Partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com");
            case "AWS::StackName":
                return _options.StackName is { } stack ? JsonValue.Create(stack) : Unresolved("AWS::StackName");
            case "AWS::NoValue":
                return null;
        }
        if (name.StartsWith("AWS::", StringComparison.Ordinal))
        {
            return Unresolved(name); // AWS::StackId, AWS::NotificationARNs
        }
        if (_parameters.TryGetValue(name, out var parameter))
        {
            return parameter?.DeepClone() ?? Unresolved(name);
        }
        if (_resources?[name] is TemplateMapping resource)
        {
            return ResourceRef(name, resource);
        }
        throw new InputException($"{_source}:{line}: Ref {name}: no such parameter or resource in the template");
    }

    /// <summary>What <c>!Ref</c> of the template's resource <paramref name="logicalId"/> gives, as a task definition would name it.</summary>
    public string ResourceRefText(string logicalId) =>
        _resources?[logicalId] is TemplateMapping resource ? ResourceRef(logicalId, resource).ToString()
            : throw new ArgumentException($"no resource {logicalId} in the template", nameof(logicalId));

    private JsonValue ResourceRef(string logicalId, TemplateMapping resource) => TypeOf(resource) switch
    {
        "AWS::IAM::Role" => JsonValue.Create(RoleName(logicalId)),
        "AWS::IAM::ManagedPolicy" => JsonValue.Create(ManagedPolicyArn(logicalId)),
        "AWS::S3::Bucket" => Name(logicalId, "BucketName"),
        "AWS::SSM::Parameter" => Name(logicalId, "Name"),
        "AWS::Logs::LogGroup" => Name(logicalId, "LogGroupName"),
        "AWS::ECR::Repository" => Name(logicalId, "RepositoryName"),
        "AWS::DynamoDB::Table" => Name(logicalId, "TableName"),
        "AWS::ECS::Cluster" => Name(logicalId, "ClusterName"),
        "AWS::SNS::Topic" => JsonValue.Create(RegionalArn("sns", NameText(logicalId, "TopicName"))),
        "AWS::SQS::Queue" => JsonValue.Create($"https://sqs.{_options.Region}.{(Partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com")}/{_options.Account}/{NameText(logicalId, "QueueName")}"),
        // A secret's ARN ends in "-" and six characters Secrets Manager generates: XXXXXX stands for them, so the ARN
        // matches what the real one would (NAME-??????, NAME*, the same Ref); a task definition's in a revision ECS assigns.
        "AWS::SecretsManager::Secret" => JsonValue.Create(RegionalArn("secretsmanager", $"secret:{NameText(logicalId, "Name")}-{UnresolvedValue.SecretSuffix}")),
        "AWS::ECS::TaskDefinition" => JsonValue.Create(TaskDefinitionArn(logicalId)),
        _ => Unresolved(logicalId),
    };

    private JsonNode? GetAtt(TemplateNode argument)
    {
        var parts = argument switch
        {
            TemplateSequence { Items.Length: 2 } pair => (Resolve(pair.Items[0])?.ToString(), Resolve(pair.Items[1])?.ToString()),
            TemplateScalar scalar when scalar.Text.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 => (scalar.Text[..dot], scalar.Text[(dot + 1)..]),
            _ => throw new InputException($"{_source}:{argument.Line}: Fn::GetAtt takes [LogicalId, Attribute]"),
        };
        var (logicalId, attribute) = parts;
        if (logicalId is null || attribute is null || _resources?[logicalId] is not TemplateMapping resource)
        {
            throw new InputException($"{_source}:{argument.Line}: Fn::GetAtt {logicalId}.{attribute}: no such resource in the template");
        }
        var type = TypeOf(resource);
        return (type, attribute) switch
        {
            ("AWS::IAM::Role", "Arn") => JsonValue.Create(RoleArn(logicalId)),
            ("AWS::IAM::ManagedPolicy", "PolicyArn") => JsonValue.Create(ManagedPolicyArn(logicalId)),
            ("AWS::S3::Bucket", "Arn") => JsonValue.Create(Arn.Create(Partition, "s3", "", "", NameText(logicalId, "BucketName")).ToString()),
            ("AWS::Logs::LogGroup", "Arn") => JsonValue.Create(RegionalArn("logs", $"log-group:{NameText(logicalId, "LogGroupName")}:*")),
            ("AWS::ECR::Repository", "Arn") => JsonValue.Create(RegionalArn("ecr", $"repository/{NameText(logicalId, "RepositoryName")}")),
            ("AWS::ECR::Repository", "RepositoryUri") => JsonValue.Create(
                $"{_options.Account}.dkr.ecr.{_options.Region}.{(Partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com")}/{NameText(logicalId, "RepositoryName")}"),
            ("AWS::DynamoDB::Table", "Arn") => JsonValue.Create(RegionalArn("dynamodb", $"table/{NameText(logicalId, "TableName")}")),
            ("AWS::SQS::Queue", "Arn") => JsonValue.Create(RegionalArn("sqs", NameText(logicalId, "QueueName"))),
            ("AWS::SQS::Queue", "QueueName") => Name(logicalId, "QueueName"),
            ("AWS::SNS::Topic", "TopicArn") => JsonValue.Create(RegionalArn("sns", NameText(logicalId, "TopicName"))),
            ("AWS::ECS::Cluster", "Arn") => JsonValue.Create(RegionalArn("ecs", $"cluster/{NameText(logicalId, "ClusterName")}")),
            ("AWS::KMS::Key" or "AWS::KMS::ReplicaKey", "Arn") => JsonValue.Create(RegionalArn("kms", "key/" + Marker(logicalId))),
            ("AWS::KMS::Key" or "AWS::KMS::ReplicaKey", "KeyId") => Unresolved(logicalId),
            ("AWS::SSM::Parameter", "Value") when resource["Properties"] is TemplateMapping { } parameter && parameter["Value"] is { } value =>
                ResolveProperty(logicalId, "Value", value),
            ("AWS::CloudFormation::Stack" or "AWS::Serverless::Application", _) when attribute.StartsWith(OutputsPrefix, StringComparison.Ordinal) && _nestedOutput is not null =>
                _nestedOutput(logicalId, attribute[OutputsPrefix.Length..], argument) ?? Unresolved($"{logicalId}.{attribute}"),
            _ => Unresolved($"{logicalId}.{attribute}"),
        };
    }

    private string RegionalArn(string service, string resource) =>
        Arn.Create(Partition, service, _options.Region, _options.Account, resource).ToString();

    private JsonValue Name(string logicalId, string property) => JsonValue.Create(NameText(logicalId, property));

    // The resource's name property when the template settles it, else a marker for the name CloudFormation generates.
    private string NameText(string logicalId, string property) => NameProperty(logicalId, property) ?? Marker(logicalId);

    private string? NameProperty(string logicalId, string property)
    {
        if (_resources?[logicalId] is TemplateMapping { } resource && resource["Properties"] is TemplateMapping properties
            && properties[property] is { } node && !IsNoValue(node))
        {
            return ResolveProperty(logicalId, property, node) is JsonValue value && value.TryGetValue<string>(out var text) ? text : Marker($"{logicalId}.{property}");
        }
        return null;
    }

    // A resource's property read on behalf of another value (its name, a parameter's Value): one that comes back to
    // itself (RoleName: !GetAtt Role.Arn) is a circular reference CloudFormation refuses too.
    private JsonNode? ResolveProperty(string logicalId, string property, TemplateNode node)
    {
        if (!_reading.Add((logicalId, property)))
        {
            throw new InputException($"{_source}:{node.Line}: {logicalId}.{property} depends on itself (a circular reference)");
        }
        try
        {
            return Resolve(node);
        }
        finally
        {
            _reading.Remove((logicalId, property));
        }
    }

    private static string? TypeOf(TemplateMapping resource) => (resource["Type"] as TemplateScalar)?.Text;

    private JsonValue Sub(TemplateNode argument)
    {
        var (format, variables) = argument switch
        {
            TemplateSequence { Items: [var first, TemplateMapping map] } => (first, map),
            TemplateSequence { Items: [var only] } => (only, (TemplateMapping?)null),
            _ => (argument, null),
        };
        if (Resolve(format) is not JsonValue formatValue || !formatValue.TryGetValue<string>(out var text))
        {
            return Unknown("Fn::Sub", argument);
        }
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var open = text.IndexOf("${", i, StringComparison.Ordinal);
            if (open < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }
            result.Append(text, i, open - i);
            var close = text.IndexOf('}', open + 2);
            if (close < 0)
            {
                result.Append(text, open, text.Length - open);
                break;
            }
            var name = text[(open + 2)..close];
            i = close + 1;
            if (name.StartsWith('!'))
            {
                result.Append("${").Append(name, 1, name.Length - 1).Append('}'); // ${!Literal} writes ${Literal}
                continue;
            }
            name = name.Trim();
            JsonNode? value;
            if (variables?[name] is { } variable)
            {
                value = Resolve(variable);
            }
            else if (name.Contains('.', StringComparison.Ordinal) && !name.StartsWith("AWS::", StringComparison.Ordinal))
            {
                var dot = name.IndexOf('.', StringComparison.Ordinal);
                value = GetAtt(new TemplateSequence([new TemplateScalar(name[..dot], false, argument.Line), new TemplateScalar(name[(dot + 1)..], false, argument.Line)], argument.Line));
            }
            else
            {
                value = Ref(name, argument.Line);
            }
            result.Append(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value is JsonValue other ? other.ToJsonString() : Marker(name));
        }
        return JsonValue.Create(result.ToString());
    }

    private JsonValue Join(TemplateNode argument)
    {
        if (argument is not TemplateSequence { Items: [var delimiterNode, var listNode] })
        {
            throw new InputException($"{_source}:{argument.Line}: Fn::Join takes [delimiter, [values]]");
        }
        var delimiter = Text(delimiterNode);
        return Resolve(listNode) is JsonArray list && list.All(i => i is JsonValue)
            ? JsonValue.Create(string.Join(delimiter, list.Select(i => i is JsonValue v && v.TryGetValue<string>(out var s) ? s : i!.ToJsonString())))
            : Unknown("Fn::Join", argument);
    }

    private JsonNode? Select(TemplateNode argument)
    {
        if (argument is not TemplateSequence { Items: [var indexNode, var listNode] })
        {
            throw new InputException($"{_source}:{argument.Line}: Fn::Select takes [index, [values]]");
        }
        return Resolve(indexNode)?.ToString() is { } indexText && int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && Resolve(listNode) is JsonArray list && index < list.Count
            ? list[index]?.DeepClone()
            : Unknown("Fn::Select", argument);
    }

    private JsonNode? Split(TemplateNode argument)
    {
        if (argument is not TemplateSequence { Items: [var delimiterNode, var textNode] })
        {
            throw new InputException($"{_source}:{argument.Line}: Fn::Split takes [delimiter, text]");
        }
        var delimiter = Text(delimiterNode);
        return Resolve(textNode) is JsonValue value && value.TryGetValue<string>(out var text) && !UnresolvedValue.IsIn(text) && delimiter.Length > 0
            ? new JsonArray([.. text.Split(delimiter).Select(p => (JsonNode)JsonValue.Create(p))])
            : Unknown("Fn::Split", argument);
    }

    private JsonNode? If(TemplateNode argument)
    {
        if (argument is not TemplateSequence { Items: [var conditionNode, var whenTrue, var whenFalse] })
        {
            throw new InputException($"{_source}:{argument.Line}: Fn::If takes [condition, value if true, value if false]");
        }
        var name = Text(conditionNode);
        return Condition(name, argument.Line) switch
        {
            true => Resolve(whenTrue),
            false => Resolve(whenFalse),
            null => Unknown($"If:{name}", argument),
        };
    }

    private JsonNode? FindInMap(TemplateNode argument)
    {
        if (argument is not TemplateSequence { Items.Length: >= 3 } keys)
        {
            throw new InputException($"{_source}:{argument.Line}: Fn::FindInMap takes [map, top-level key, second-level key]");
        }
        var map = Resolve(keys.Items[0])?.ToString();
        var top = Resolve(keys.Items[1])?.ToString();
        var second = Resolve(keys.Items[2])?.ToString();
        if (map is null || top is null || second is null || UnresolvedValue.IsIn(top) || UnresolvedValue.IsIn(second))
        {
            return Unknown("Fn::FindInMap", argument);
        }
        return _mappings?[map] is TemplateMapping topLevel && topLevel[top] is TemplateMapping secondLevel && secondLevel[second] is { } value
            ? Resolve(value)
            : throw new InputException($"{_source}:{argument.Line}: Fn::FindInMap {map}.{top}.{second}: no such entry in Mappings");
    }

    /// <summary>A named condition's value, or null when it depends on something unknown.</summary>
    public bool? Condition(string name, int line)
    {
        if (_conditions.TryGetValue(name, out var known))
        {
            return known;
        }
        if (_conditionDefinitions?[name] is not { } definition)
        {
            throw new InputException($"{_source}:{line}: condition {name} is not defined in Conditions");
        }
        if (!_evaluating.Add(name))
        {
            throw new InputException($"{_source}:{line}: condition {name} depends on itself");
        }
        var value = ConditionValue(definition);
        _evaluating.Remove(name);
        _conditions[name] = value;
        return value;
    }

    private bool? ConditionValue(TemplateNode node)
    {
        if (node is not TemplateMapping { Function: { } function })
        {
            return Resolve(node) is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;
        }
        var arguments = function.Value as TemplateSequence;
        switch (function.Key)
        {
            case "Condition":
                return Condition(Text(function.Value), function.Line);
            case "Fn::Equals" when arguments is { Items: [var left, var right] }:
                var a = Comparable(Resolve(left));
                var b = Comparable(Resolve(right));
                return a is null || b is null ? null : a == b;
            case "Fn::Not" when arguments is { Items: [var operand] }:
                return !ConditionValue(operand);
            case "Fn::And" when arguments is { Items.Length: >= 2 }:
                var all = arguments.Items.Select(ConditionValue).ToList();
                return all.Any(v => v == false) ? false : all.All(v => v == true) ? true : null;
            case "Fn::Or" when arguments is { Items.Length: >= 2 }:
                var any = arguments.Items.Select(ConditionValue).ToList();
                return any.Any(v => v == true) ? true : any.All(v => v == false) ? false : null;
            default:
                throw new InputException($"{_source}:{function.Line}: {function.Key} is not a condition function with its arguments");
        }
    }

    // Fn::Equals compares strings: a value with a marker in it is unknown.
    private static string? Comparable(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => UnresolvedValue.IsIn(text) ? null : text,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };

    private JsonNode? ParameterValue(TemplateEntry parameter)
    {
        var definition = parameter.Value as TemplateMapping;
        var type = (definition?["Type"] as TemplateScalar)?.Text ?? "String";
        string? text = _options.Parameters.TryGetValue(parameter.Key, out var given) ? given
            : definition?["Default"] is TemplateScalar { } fallback ? fallback.Text
            : null;
        // An SSM parameter type's value is read from Parameter Store at deployment.
        if (text is null || type.StartsWith("AWS::SSM::Parameter::Value", StringComparison.Ordinal))
        {
            return null;
        }
        return type.StartsWith("List<", StringComparison.Ordinal) || type == "CommaDelimitedList"
            ? new JsonArray([.. text.Split(',').Select(p => (JsonNode)JsonValue.Create(p.Trim()))])
            : JsonValue.Create(text);
    }

    private string Text(TemplateNode node) =>
        Resolve(node) is JsonValue value && value.TryGetValue<string>(out var text) ? text
        : throw new InputException($"{_source}:{node.Line}: expected text here");

    private string TextOrUnknown(TemplateNode node) =>
        Resolve(node) is JsonValue value && value.TryGetValue<string>(out var text) ? text : "?";

    private JsonValue Unresolved(string expression) => JsonValue.Create(Marker(expression));

    private const string OutputsPrefix = "Outputs.";

    /// <summary>The value of the template's output <paramref name="name"/>, as a stack that nests this one reads it; false when it has none.</summary>
    public bool TryOutput(string name, out JsonNode? value)
    {
        if (_template["Outputs"] is TemplateMapping outputs && outputs[name] is TemplateMapping output && output["Value"] is { } node)
        {
            value = ResolveProperty("Outputs", name, node);
            return true;
        }
        value = null;
        return false;
    }

    // The marker of a function whose value only deployment knows. Two such values are the same only when they are the same
    // expression in the same template: the marker names the function and a digest of its arguments as written, so that
    // !If [IsProd, A, B] and !If [IsProd, C, D] are never taken for one resource (a grant on one is no grant on the other).
    private JsonValue Unknown(string function, TemplateNode argument)
    {
        var written = new StringBuilder(_source).Append('\n');
        Write(written, argument);
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(written.ToString())), 0, 4);
        return Unresolved($"{function}:{digest}");
    }

    private static void Write(StringBuilder text, TemplateNode node)
    {
        switch (node)
        {
            case TemplateScalar scalar:
                text.Append(scalar.Plain ? 'p' : 'q').Append(scalar.Text.Length).Append(':').Append(scalar.Text);
                break;
            case TemplateSequence sequence:
                text.Append('[');
                foreach (var item in sequence.Items)
                {
                    Write(text, item);
                    text.Append(',');
                }
                text.Append(']');
                break;
            case TemplateMapping mapping:
                text.Append('{');
                foreach (var entry in mapping.Entries)
                {
                    text.Append(entry.Key.Length).Append(':').Append(entry.Key).Append('=');
                    Write(text, entry.Value);
                    text.Append(',');
                }
                text.Append('}');
                break;
        }
    }

    /// <summary>True when a marker appears anywhere in <paramref name="node"/>.</summary>
    public static bool HasMarker(JsonNode? node) => node switch
    {
        JsonValue value => value.TryGetValue<string>(out var text) && UnresolvedValue.IsIn(text),
        JsonArray array => array.Any(HasMarker),
        JsonObject obj => obj.Any(p => UnresolvedValue.IsIn(p.Key) || HasMarker(p.Value)),
        _ => false,
    };

}

/// <summary>What the template alone does not say: the stack's account, region and name, and parameter values.</summary>
/// <param name="Account">The account the stack deploys to (the CLI's <c>--account</c>, else a stand-in it names).</param>
/// <param name="Region">The region it deploys to.</param>
/// <param name="StackName">The stack name, when given.</param>
/// <param name="Parameters">Parameter values (<c>--parameter Key=Value</c>), over the template's defaults.</param>
public sealed record CloudFormationOptions(string Account, string Region, string? StackName, ImmutableDictionary<string, string> Parameters)
{
    /// <summary>
    /// Reads the template a nested stack names by a local path (<c>AWS::CloudFormation::Stack</c>'s <c>TemplateURL</c>
    /// before packaging, SAM's <c>Location</c>, a CDK asset): the nesting template's source and the path as written give the
    /// text and the name messages give it. Null: nested stacks are not followed (a note says so).
    /// </summary>
    public Func<string, string, (string Text, string Source)>? ReadNested { get; init; }

    /// <summary>In a nested stack's template, the logical IDs of the stacks that nest it, outermost first, joined by '.'.</summary>
    internal string? Scope { get; init; }

    /// <summary>Where the parameter values come from, for messages: <c>--parameter</c>, or the nested stack resource that passes them.</summary>
    internal string ParametersFrom { get; init; } = "--parameter";
}
