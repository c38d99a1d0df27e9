namespace EcsRoleAuditor.FakeAws;

/// <summary>A tag as IAM and ECS store it.</summary>
/// <param name="Key">The tag key.</param>
/// <param name="Value">The tag value.</param>
public sealed record FakeTag(string Key, string Value);

/// <summary>An inline policy of a role.</summary>
/// <param name="Name">The policy name.</param>
/// <param name="Document">The document as JSON text (not URL-encoded; the server encodes it as IAM does).</param>
public sealed record FakeInlinePolicy(string Name, string Document);

/// <summary>A managed policy attached to a role (or used as its permissions boundary).</summary>
/// <param name="Name">The policy name.</param>
/// <param name="Arn">The policy ARN.</param>
public sealed record FakeAttachedPolicy(string Name, string Arn);

/// <summary>An IAM role of the fake account. Configure before <see cref="FakeAwsServer.StartAsync(FakeAccount, CancellationToken)"/>.</summary>
public sealed class FakeRole
{
    /// <summary>Creates a role.</summary>
    /// <param name="arn">The role ARN, e.g. <c>arn:aws:iam::111122223333:role/service-role/web</c>.</param>
    /// <param name="trustPolicy">The trust policy as JSON text.</param>
    public FakeRole(string arn, string trustPolicy)
    {
        ArgumentException.ThrowIfNullOrEmpty(arn);
        ArgumentNullException.ThrowIfNull(trustPolicy);
        var resource = arn.Split(':', 6) is { Length: 6 } parts && parts[5].StartsWith("role/", StringComparison.Ordinal)
            ? parts[5]["role".Length..]
            : throw new ArgumentException($"'{arn}' is not a role ARN", nameof(arn));
        Arn = arn;
        var slash = resource.LastIndexOf('/');
        Name = resource[(slash + 1)..];
        Path = resource[..(slash + 1)];
        TrustPolicy = trustPolicy;
        RoleId = FakeIds.Make("AROA", arn);
    }

    /// <summary>The role ARN.</summary>
    public string Arn { get; }

    /// <summary>The role name (the last segment of the ARN).</summary>
    public string Name { get; }

    /// <summary>The path, e.g. <c>/</c> or <c>/service-role/</c>.</summary>
    public string Path { get; }

    /// <summary>The role id (<c>AROA...</c>).</summary>
    public string RoleId { get; set; }

    /// <summary>The trust policy as JSON text.</summary>
    public string TrustPolicy { get; set; }

    /// <summary>The description, or null.</summary>
    public string? Description { get; set; }

    /// <summary>When the role was created.</summary>
    public DateTimeOffset CreateDate { get; set; } = FakeIds.Epoch;

    /// <summary>The maximum session duration in seconds.</summary>
    public int MaxSessionDuration { get; set; } = 3600;

    /// <summary>The inline policies, in the order IAM lists them.</summary>
    public IList<FakeInlinePolicy> InlinePolicies { get; } = [];

    /// <summary>The attached managed policies.</summary>
    public IList<FakeAttachedPolicy> AttachedPolicies { get; } = [];

    /// <summary>The permissions boundary's policy ARN, or null.</summary>
    public string? PermissionsBoundaryArn { get; set; }

    /// <summary>The tags.</summary>
    public IList<FakeTag> Tags { get; } = [];
}
