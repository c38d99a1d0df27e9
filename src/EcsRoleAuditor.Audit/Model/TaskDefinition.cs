using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;
using AwsArn = EcsRoleAuditor.Policy.Model.Arn;

namespace EcsRoleAuditor.Audit.Model;

/// <summary>The parts of an ECS task definition that decide what its two roles need and may hold.</summary>
/// <param name="Arn">The task definition ARN, when known.</param>
/// <param name="Family">The family.</param>
/// <param name="Revision">The revision, when known.</param>
/// <param name="TaskRoleArn">The task role, as written (an ARN or a bare role name), or null.</param>
/// <param name="ExecutionRoleArn">The execution role, as written (an ARN or a bare role name), or null.</param>
/// <param name="Containers">The container definitions.</param>
/// <param name="Volumes">The volumes.</param>
/// <param name="Tags">The task definition's tags.</param>
public sealed record TaskDefinition(
    string? Arn,
    string Family,
    int? Revision,
    string? TaskRoleArn,
    string? ExecutionRoleArn,
    ImmutableArray<ContainerDefinition> Containers,
    ImmutableArray<Volume> Volumes,
    ImmutableDictionary<string, string> Tags)
{
    /// <summary><c>family:revision</c>, or the family alone.</summary>
    public string DisplayName => Revision is { } revision ? $"{Family}:{revision}" : Family;

    /// <summary>The region and account of the task definition ARN, when it has one (used to complete partial ARNs).</summary>
    public (string Partition, string Region, string Account)? ArnScope =>
        AwsArn.TryParse(Arn, out var arn) ? (arn.Partition, arn.Region, arn.Account) : null;

    /// <summary>
    /// The launch types the task definition runs on, upper case (<see cref="LaunchType"/>, or values this version does
    /// not know): the <c>requiresCompatibilities</c> the team declared, else the <c>compatibilities</c> ECS found it valid
    /// for. Empty when the input gives neither: the launch types are unknown.
    /// </summary>
    public ImmutableArray<string> LaunchTypes { get; init; } = [];

    /// <summary>True when <see cref="LaunchTypes"/> is what the team declared (<c>requiresCompatibilities</c>), not only where ECS would accept it.</summary>
    public bool LaunchTypesDeclared { get; init; }

    /// <summary>True when the input says which launch types the task definition may run on.</summary>
    public bool LaunchTypesKnown => !LaunchTypes.IsDefaultOrEmpty;

    /// <summary>True when the launch types are known and include <paramref name="launchType"/>.</summary>
    public bool Lists(string launchType) => LaunchTypesKnown && LaunchTypes.Contains(launchType, StringComparer.Ordinal);

    /// <summary>True unless the known launch types exclude <paramref name="launchType"/>: unknown launch types may include it.</summary>
    public bool MayRunOn(string launchType) => !LaunchTypesKnown || Lists(launchType);

    /// <summary>True when the launch types are known and <paramref name="launchType"/> is the only one.</summary>
    public bool RunsOnlyOn(string launchType) => LaunchTypesKnown && LaunchTypes.All(t => t == launchType);

    /// <summary>
    /// Fields the input does not give (a Terraform plan's container definitions known only after apply): what they need of
    /// their role is unknown, so the rules that judge a role by the task definition's needs say nothing of that role.
    /// Empty when every field is known.
    /// </summary>
    public ImmutableArray<UnauditedField> UnauditedFields { get; init; } = [];

    /// <summary>True when every field that decides what the role in <paramref name="slot"/> needs is known.</summary>
    public bool NeedsKnown(RoleSlot slot) => !UnauditedFields.Any(f => f.Slot == slot);
}

/// <summary>A task definition field the input leaves unknown, and whose needs it decides.</summary>
/// <param name="Field">The field's path, as findings name it (<c>containerDefinitions</c>, <c>volumes[0].efsVolumeConfiguration</c>).</param>
/// <param name="Slot">The role whose needs the field decides; <see cref="RoleSlot.TaskDefinition"/> for a field that decides neither role's (a container's plaintext <c>environment</c>).</param>
/// <param name="Reason">Why it is unknown, as words after "is", naming where the value comes from (<c>known only after apply (it uses aws_ecr_repository.app.repository_url)</c>).</param>
public sealed record UnauditedField(string Field, RoleSlot Slot, string Reason);

/// <summary>The launch types ECS names in <c>requiresCompatibilities</c> and <c>compatibilities</c>.</summary>
internal static class LaunchType
{
    /// <summary>EC2 container instances of the cluster.</summary>
    public const string Ec2 = "EC2";

    /// <summary>AWS Fargate.</summary>
    public const string Fargate = "FARGATE";

    /// <summary>External instances (ECS Anywhere).</summary>
    public const string External = "EXTERNAL";

    /// <summary>Amazon ECS Managed Instances.</summary>
    public const string ManagedInstances = "MANAGED_INSTANCES";
}

/// <summary>A container definition: image, secrets, environment and logging.</summary>
/// <param name="Index">Its position in <c>containerDefinitions</c>.</param>
/// <param name="Name">The container name.</param>
/// <param name="Image">The image reference, e.g. <c>111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:1.4</c>.</param>
/// <param name="Secrets">The <c>secrets</c>: environment variables filled from Secrets Manager or Parameter Store.</param>
/// <param name="Environment">The plaintext <c>environment</c> variables.</param>
/// <param name="EnvironmentFiles">The <c>environmentFiles</c> (S3 objects).</param>
/// <param name="RepositoryCredentialsParameter">The <c>repositoryCredentials.credentialsParameter</c> secret, for private registries.</param>
/// <param name="Logging">The <c>logConfiguration</c>, when set.</param>
/// <param name="FireLens">The <c>firelensConfiguration</c>, when the container is a FireLens log router.</param>
public sealed record ContainerDefinition(
    int Index,
    string Name,
    string? Image,
    ImmutableArray<ContainerSecret> Secrets,
    ImmutableArray<EnvironmentVariable> Environment,
    ImmutableArray<EnvironmentFile> EnvironmentFiles,
    string? RepositoryCredentialsParameter,
    LogConfiguration? Logging,
    FireLensConfiguration? FireLens)
{
    /// <summary>The JSON path of this container in the task definition.</summary>
    public string Path => $"containerDefinitions[{Index}]";
}

/// <summary>A secret injected into a container: its variable name and where the value comes from (an ARN or a parameter name).</summary>
public sealed record ContainerSecret(string Name, string ValueFrom);

/// <summary>A plaintext environment variable. Its value is kept for pattern checks only and never printed.</summary>
public sealed record EnvironmentVariable(string Name, string Value);

/// <summary>An environment file: its type (<c>s3</c>) and location (an S3 object ARN).</summary>
public sealed record EnvironmentFile(string Type, string Value);

/// <summary>A container's log configuration.</summary>
/// <param name="Driver">The log driver, e.g. <c>awslogs</c>.</param>
/// <param name="Options">The driver options, e.g. <c>awslogs-group</c>, <c>awslogs-region</c>, <c>awslogs-create-group</c>.</param>
/// <param name="SecretOptions">Options filled from secrets.</param>
public sealed record LogConfiguration(string Driver, ImmutableDictionary<string, string> Options, ImmutableArray<ContainerSecret> SecretOptions);

/// <summary>A FireLens log router's configuration.</summary>
/// <param name="Type">The router, <c>fluentbit</c> or <c>fluentd</c>.</param>
/// <param name="Options">The options, e.g. <c>config-file-type</c> (<c>s3</c> or <c>file</c>) and <c>config-file-value</c>.</param>
public sealed record FireLensConfiguration(string Type, ImmutableDictionary<string, string> Options);

/// <summary>A task volume; only EFS volumes matter to the roles.</summary>
/// <param name="Name">The volume name.</param>
/// <param name="Efs">The EFS configuration, when the volume is an EFS file system.</param>
public sealed record Volume(string Name, EfsVolume? Efs);

/// <summary>An EFS volume.</summary>
/// <param name="FileSystemId">The file system id.</param>
/// <param name="IamAuthorization">True when <c>authorizationConfig.iam</c> is <c>ENABLED</c>: the task role must allow the mount.</param>
/// <param name="AccessPointId">The access point, when one is used.</param>
public sealed record EfsVolume(string FileSystemId, bool IamAuthorization, string? AccessPointId);
