namespace EcsRoleAuditor.FakeAws;

/// <summary>A version of a managed policy.</summary>
/// <param name="VersionId">The version id, e.g. <c>v3</c>.</param>
/// <param name="Document">The document as JSON text (not URL-encoded).</param>
/// <param name="IsDefault">Whether this is the default version.</param>
/// <param name="CreateDate">When the version was created.</param>
public sealed record FakePolicyVersion(string VersionId, string Document, bool IsDefault, DateTimeOffset CreateDate);

/// <summary>A managed policy (customer managed or AWS managed) of the fake account.</summary>
public sealed class FakeManagedPolicy
{
    /// <summary>Creates a managed policy; add its versions to <see cref="Versions"/>.</summary>
    /// <param name="arn">The policy ARN, e.g. <c>arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy</c>.</param>
    public FakeManagedPolicy(string arn)
    {
        ArgumentException.ThrowIfNullOrEmpty(arn);
        var resource = arn.Split(':', 6) is { Length: 6 } parts && parts[5].StartsWith("policy/", StringComparison.Ordinal)
            ? parts[5]["policy".Length..]
            : throw new ArgumentException($"'{arn}' is not a managed policy ARN", nameof(arn));
        Arn = arn;
        var slash = resource.LastIndexOf('/');
        Name = resource[(slash + 1)..];
        Path = resource[..(slash + 1)];
        PolicyId = FakeIds.Make("ANPA", arn);
    }

    /// <summary>The policy ARN.</summary>
    public string Arn { get; }

    /// <summary>The policy name.</summary>
    public string Name { get; }

    /// <summary>The path.</summary>
    public string Path { get; }

    /// <summary>True for AWS managed policies (<c>arn:aws:iam::aws:policy/...</c>).</summary>
    public bool IsAwsManaged => Arn.Split(':')[4] == "aws";

    /// <summary>The policy id (<c>ANPA...</c>).</summary>
    public string PolicyId { get; set; }

    /// <summary>The description, or null.</summary>
    public string? Description { get; set; }

    /// <summary>How many identities it is attached to.</summary>
    public int AttachmentCount { get; set; } = 1;

    /// <summary>How many identities use it as a permissions boundary.</summary>
    public int PermissionsBoundaryUsageCount { get; set; }

    /// <summary>Whether it can be attached.</summary>
    public bool IsAttachable { get; set; } = true;

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreateDate { get; set; } = FakeIds.Epoch;

    /// <summary>When it was last updated.</summary>
    public DateTimeOffset UpdateDate { get; set; } = FakeIds.Epoch;

    /// <summary>The versions; exactly one should be the default.</summary>
    public IList<FakePolicyVersion> Versions { get; } = [];

    /// <summary>The tags.</summary>
    public IList<FakeTag> Tags { get; } = [];

    /// <summary>The default version's id, or null when no version is marked default.</summary>
    public string? DefaultVersionId => Versions.FirstOrDefault(v => v.IsDefault)?.VersionId;
}
