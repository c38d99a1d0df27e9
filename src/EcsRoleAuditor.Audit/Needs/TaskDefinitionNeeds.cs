using System.Collections.Immutable;
using System.Text.RegularExpressions;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;

namespace EcsRoleAuditor.Audit.Needs;

/// <summary>
/// What a task definition needs from its roles (Amazon ECS Developer Guide: task execution IAM role, private registry
/// authentication, environment files, awslogs, FireLens, EFS volumes): the execution role pulls private ECR images,
/// writes awslogs, reads every referenced secret and parameter, the environment files and a FireLens configuration
/// file in S3; the task role mounts EFS volumes that use IAM authorization. Needs do not depend on the launch type:
/// rules that care (ERA003) ask the task definition where it may run.
/// </summary>
public static partial class TaskDefinitionNeeds
{
    // Prefixes AWS documents for ECR pull-through cache rules of well-known upstream registries; a repository under one
    // of them is probably a cache, which also needs ecr:BatchImportUpstreamImage (and CreateRepository on first pull).
    private static readonly string[] PullThroughCachePrefixes =
        ["ecr-public/", "docker-hub/", "quay/", "k8s/", "registry-k8s-io/", "github/", "gitlab/", "azure/", "chainguard/"];

    [GeneratedRegex(@"^(?<account>\d{12})\.dkr\.ecr(-fips)?\.(?<region>[a-z0-9-]+)\.amazonaws\.com(?<china>\.cn)?/(?<repository>[^:@]+)", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateEcrImage();

    /// <summary>
    /// Every action a need of the execution role may have: what the agent may use for a task definition whose containers
    /// are unknown (<see cref="TaskDefinition.UnauditedFields"/>).
    /// </summary>
    public static IReadOnlyList<string> ExecutionActions { get; } =
    [
        "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:BatchImportUpstreamImage",
        "secretsmanager:GetSecretValue", "ssm:GetParameters", "s3:GetObject", "s3:GetBucketLocation",
        "logs:CreateLogStream", "logs:PutLogEvents", "logs:CreateLogGroup",
    ];

    /// <summary>Every need of the task definition, in task definition order.</summary>
    public static ImmutableArray<Need> Derive(TaskDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var scope = Scope.Of(definition);
        var needs = ImmutableArray.CreateBuilder<Need>();
        foreach (var container in definition.Containers)
        {
            AddImage(needs, container, scope);
            AddSecrets(needs, container, container.Secrets, $"{container.Path}.secrets", "secret", scope);
            if (container.RepositoryCredentialsParameter is { } credentials && !UnresolvedValue.IsWhole(credentials))
            {
                needs.Add(SecretNeed(SecretArn(credentials), $"registry credentials of container {container.Name}", $"{container.Path}.repositoryCredentials", container));
            }
            foreach (var (file, i) in container.EnvironmentFiles.Select((f, i) => (f, i)))
            {
                if (file.Type.Equals("s3", StringComparison.OrdinalIgnoreCase))
                {
                    AddS3Object(needs, container, file.Value, $"environment file {file.Value} of container {container.Name}", $"{container.Path}.environmentFiles[{i}]");
                }
            }
            // Fargate supports only config-file-type "file": on a task definition declared for Fargate alone no agent reads an S3
            // configuration, and no permission would make one work.
            if (container.FireLens is { } fireLens
                && fireLens.Options.TryGetValue("config-file-type", out var configType) && configType.Equals("s3", StringComparison.OrdinalIgnoreCase)
                && fireLens.Options.TryGetValue("config-file-value", out var configFile)
                && !(definition.LaunchTypesDeclared && definition.RunsOnlyOn(LaunchType.Fargate)))
            {
                AddS3Object(needs, container, configFile, $"FireLens configuration file {configFile} of container {container.Name}", $"{container.Path}.firelensConfiguration");
            }
            if (container.Logging is { } logging)
            {
                AddLogging(needs, container, logging, scope);
                AddSecrets(needs, container, logging.SecretOptions, $"{container.Path}.logConfiguration.secretOptions", "log secret option", scope);
            }
        }
        foreach (var (volume, i) in definition.Volumes.Select((v, i) => (v, i)))
        {
            if (volume.Efs is { IamAuthorization: true } efs)
            {
                // The mount names its access point in elasticfilesystem:AccessPointArn, or none (Amazon EFS User Guide,
                // "Using IAM to control file system data access"): conditions on it are decided.
                var accessPoint = efs.AccessPointId is { Length: > 0 } id
                    ? KnownContext.None.With(AccessPointKey, scope.ArnOf("elasticfilesystem", $"access-point/{id}"))
                    : KnownContext.None.WithAbsent(AccessPointKey);
                needs.Add(new Need(RoleSlot.Task, "elasticfilesystem:ClientMount", scope.ArnOf("elasticfilesystem", $"file-system/{efs.FileSystemId}"),
                    $"EFS volume {volume.Name} with IAM authorization", $"volumes[{i}].efsVolumeConfiguration", null) { Known = accessPoint });
            }
        }
        return needs.ToImmutable();
    }

    private static void AddImage(ImmutableArray<Need>.Builder needs, ContainerDefinition container, Scope scope)
    {
        if (container.Image is null || PrivateEcrImage().Match(container.Image) is not { Success: true } match)
        {
            return; // public registries need nothing; private non-ECR registries need repositoryCredentials (handled apart)
        }
        var partition = match.Groups["china"].Success ? "aws-cn" : scope.Partition;
        var repository = match.Groups["repository"].Value;
        var arn = Arn.Create(partition, "ecr", match.Groups["region"].Value, match.Groups["account"].Value, $"repository/{repository}").ToString();
        var field = $"{container.Path}.image";
        var reason = $"image {container.Image} of container {container.Name}";
        // The token comes from the registry's region: the request names no resource, its region is known all the same.
        needs.Add(Execution("ecr:GetAuthorizationToken", "*", reason, field, container) with { Region = match.Groups["region"].Value });
        foreach (var action in (string[])["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"])
        {
            needs.Add(Execution(action, arn, reason, field, container));
        }
        if (PullThroughCachePrefixes.Any(p => repository.StartsWith(p, StringComparison.Ordinal)))
        {
            needs.Add(Execution("ecr:BatchImportUpstreamImage", arn, $"{reason} (a pull-through cache repository)", field, container) with { Certain = false });
        }
    }

    private static void AddSecrets(ImmutableArray<Need>.Builder needs, ContainerDefinition container, ImmutableArray<ContainerSecret> secrets, string path, string what, Scope scope)
    {
        foreach (var (secret, i) in secrets.Select((s, i) => (s, i)))
        {
            var field = $"{path}[{i}]";
            var reason = $"{what} {secret.Name} of container {container.Name}";
            if (UnresolvedValue.IsWhole(secret.ValueFrom))
            {
                continue; // infrastructure code leaves it to deployment: not even whether Secrets Manager or Parameter Store holds it is known
            }
            if (IsService(secret.ValueFrom, "secretsmanager"))
            {
                needs.Add(SecretNeed(SecretArn(secret.ValueFrom), reason, field, container));
                continue;
            }
            var parameter = IsService(secret.ValueFrom, "ssm")
                ? secret.ValueFrom
                : scope.ArnOf("ssm", "parameter/" + secret.ValueFrom.TrimStart('/'));
            needs.Add(Execution("ssm:GetParameters", parameter, reason, field, container));
            const string secretsManagerReference = "parameter/aws/reference/secretsmanager/";
            if (parameter.IndexOf(secretsManagerReference, StringComparison.Ordinal) is var at and >= 0)
            {
                // A Parameter Store reference to a Secrets Manager secret reads the secret too.
                var secretName = parameter[(at + secretsManagerReference.Length)..];
                needs.Add(SecretNeed(scope.ArnOf("secretsmanager", $"secret:{secretName}"), reason, field, container));
            }
        }
    }

    /// <summary>The agent downloads an S3 object (environment file, FireLens configuration): s3:GetObject on it, s3:GetBucketLocation on its bucket.</summary>
    private static void AddS3Object(ImmutableArray<Need>.Builder needs, ContainerDefinition container, string objectArn, string reason, string field)
    {
        // An S3 object ARN's resource is bucket/key; anything else names no object the agent could read.
        var slash = Arn.TryParse(objectArn, out var arn) && arn.Service == "s3" ? arn.Resource.IndexOf('/', StringComparison.Ordinal) : -1;
        if (slash <= 0)
        {
            return;
        }
        needs.Add(Execution("s3:GetObject", objectArn, reason, field, container));
        needs.Add(Execution("s3:GetBucketLocation", arn.WithResource(arn.Resource[..slash]).ToString(), reason, field, container));
    }

    private static void AddLogging(ImmutableArray<Need>.Builder needs, ContainerDefinition container, LogConfiguration logging, Scope scope)
    {
        if (!logging.Driver.Equals("awslogs", StringComparison.Ordinal) || !logging.Options.TryGetValue("awslogs-group", out var group))
        {
            return;
        }
        var region = logging.Options.GetValueOrDefault("awslogs-region") ?? scope.Region;
        var groupArn = Arn.Create(scope.Partition, "logs", region, scope.Account, $"log-group:{group}").ToString();
        var field = $"{container.Path}.logConfiguration";
        var reason = $"awslogs group {group} of container {container.Name}";
        // The stream is PREFIX/CONTAINER/TASK-ID with awslogs-stream-prefix, else one the agent names (Amazon ECS Developer
        // Guide, "Using the awslogs log driver"): known only by its shape.
        var stream = logging.Options.TryGetValue("awslogs-stream-prefix", out var prefix) ? $"{prefix}/{container.Name}/*" : "*";
        needs.Add(Execution("logs:CreateLogStream", $"{groupArn}:log-stream:{stream}", reason, field, container) with { ResourceIsShape = true });
        needs.Add(Execution("logs:PutLogEvents", $"{groupArn}:log-stream:{stream}", reason, field, container) with { ResourceIsShape = true });
        if (logging.Options.TryGetValue("awslogs-create-group", out var create) && create.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            needs.Add(Execution("logs:CreateLogGroup", $"{groupArn}:log-stream:", $"{reason} (awslogs-create-group)", field, container));
        }
    }

    /// <summary>A Secrets Manager secret ARN without the <c>:json-key:version-stage:version-id</c> suffix ECS allows.</summary>
    public static string SecretArn(string valueFrom)
    {
        ArgumentNullException.ThrowIfNull(valueFrom);
        // The resource is secret:NAME-AbCdEf, then optionally :json-key:version-stage:version-id.
        return Arn.TryParse(valueFrom, out var arn) && arn.ResourceType == "secret" && arn.ResourceId.IndexOf(':', StringComparison.Ordinal) is > 0 and var suffix
            ? arn.WithResource($"secret:{arn.ResourceId[..suffix]}").ToString()
            : valueFrom;
    }

    private static bool IsService(string text, string service) => Arn.TryParse(text, out var arn) && arn.Service == service;

    // A request reads the secret by its full ARN; a reference without the random suffix names only the shape of that ARN.
    private static Need SecretNeed(string referencedArn, string reason, string field, ContainerDefinition container) =>
        Execution("secretsmanager:GetSecretValue", SecretArns.RequestShape(referencedArn), reason, field, container)
            with { ResourceIsShape = !SecretArns.IsFull(referencedArn) };

    private const string AccessPointKey = "elasticfilesystem:AccessPointArn";

    private static Need Execution(string action, string resource, string reason, string field, ContainerDefinition container) =>
        new(RoleSlot.Execution, action, resource, reason, field, container.Name);

    /// <summary>Partition, region and account to complete names into ARNs: from the task definition ARN, else from the first ARN the task definition references.</summary>
    private sealed record Scope(string Partition, string Region, string Account)
    {
        public string ArnOf(string service, string resource) => Arn.Create(Partition, service, Region, Account, resource).ToString();

        public static Scope Of(TaskDefinition definition)
        {
            if (definition.ArnScope is { } scope)
            {
                return new Scope(scope.Partition, scope.Region, scope.Account);
            }
            foreach (var text in definition.Containers.SelectMany(c => c.Secrets.Select(s => s.ValueFrom).Append(c.RepositoryCredentialsParameter)))
            {
                if (Arn.TryParse(text, out var arn) && arn.Region.Length > 0 && arn.Account.Length > 0)
                {
                    return new Scope(arn.Partition, arn.Region, arn.Account);
                }
            }
            // Unknown region/account: a wildcard keeps ARN matching possible for patterns such as arn:aws:ssm:*:*:parameter/x.
            return new Scope("aws", "*", "*");
        }
    }
}
