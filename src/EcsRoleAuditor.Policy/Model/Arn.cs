using System.Diagnostics.CodeAnalysis;

namespace EcsRoleAuditor.Policy.Model;

/// <summary>
/// An Amazon Resource Name, <c>arn:partition:service:region:account:resource</c> (IAM User Guide, "IAM identifiers"):
/// six colon-separated components, the resource keeping any further colons. Parsing does not interpret wildcards, so
/// policy patterns such as <c>arn:aws:s3:::bucket/*</c> parse too. The one place the project splits ARNs.
/// </summary>
public readonly record struct Arn
{
    /// <summary>The partitions AWS documents: the standard one, China and GovCloud (US).</summary>
    public static readonly IReadOnlyList<string> Partitions = ["aws", "aws-cn", "aws-us-gov"];

    private Arn(string partition, string service, string region, string account, string resource)
    {
        Partition = partition;
        Service = service;
        Region = region;
        Account = account;
        Resource = resource;
    }

    /// <summary>The partition, e.g. <c>aws</c>, <c>aws-cn</c>, <c>aws-us-gov</c>.</summary>
    public string Partition { get; }

    /// <summary>The service namespace, e.g. <c>iam</c>.</summary>
    public string Service { get; }

    /// <summary>The region; empty for global resources (IAM, S3 buckets).</summary>
    public string Region { get; }

    /// <summary>The account id; empty where the ARN has none (S3 buckets), <c>aws</c> for AWS managed policies.</summary>
    public string Account { get; }

    /// <summary>The resource part, after the fifth colon: <c>role/service-role/web</c>, <c>secret:prod/db-AbCdEf</c>, <c>bucket/key</c>.</summary>
    public string Resource { get; }

    /// <summary>
    /// The resource type: the resource part up to its first <c>/</c> or <c>:</c> (<c>role</c>, <c>secret</c>,
    /// <c>log-group</c>); empty when the resource has no separator (an S3 bucket name).
    /// </summary>
    public string ResourceType => Resource.IndexOfAny(TypeSeparators) is var at and > 0 ? Resource[..at] : "";

    /// <summary>The resource id: the resource part after the type and its separator; the whole resource part when there is no type.</summary>
    public string ResourceId => Resource.IndexOfAny(TypeSeparators) is var at and > 0 ? Resource[(at + 1)..] : Resource;

    /// <summary>The last <c>/</c>-separated segment of the resource: a role's or a policy's name without its path.</summary>
    public string ResourceName => Resource[(Resource.LastIndexOf('/') + 1)..];

    /// <summary>True when the ARN names a region.</summary>
    public bool IsRegional => Region.Length > 0;

    /// <summary>True for an AWS managed policy: <c>arn:PARTITION:iam::aws:policy/...</c>, which only AWS can edit.</summary>
    public bool IsAwsManagedPolicy => Service == "iam" && Account == "aws" && Resource.StartsWith("policy/", StringComparison.Ordinal);

    /// <summary>Parses an ARN (wildcards allowed anywhere); false when the text does not start with <c>arn:</c> or has fewer than six components.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Arn arn)
    {
        arn = default;
        if (text is null || !text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }
        var span = text.AsSpan();
        Span<Range> parts = stackalloc Range[6];
        if (span.Split(parts, ':') < 6)
        {
            return false;
        }
        // Split put the rest of the text, colons included, into the sixth range.
        arn = new Arn(text[parts[1]], text[parts[2]], text[parts[3]], text[parts[4]], text[parts[5]]);
        return true;
    }

    /// <summary>Parses an ARN; throws <see cref="FormatException"/> when it is not one.</summary>
    public static Arn Parse(string text) =>
        TryParse(text, out var arn) ? arn : throw new FormatException($"Not an ARN (arn:partition:service:region:account:resource): {text}");

    /// <summary>An ARN from its components.</summary>
    public static Arn Create(string partition, string service, string region, string account, string resource)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(resource);
        return new Arn(partition, service, region, account, resource);
    }

    /// <summary>The same ARN with another resource part.</summary>
    public Arn WithResource(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new Arn(Partition, Service, Region, Account, resource);
    }

    /// <inheritdoc/>
    public override string ToString() => $"arn:{Partition}:{Service}:{Region}:{Account}:{Resource}";

    private static readonly char[] TypeSeparators = ['/', ':'];
}
