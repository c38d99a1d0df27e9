namespace EcsRoleAuditor.FakeAws;

/// <summary>The credential scope of a SigV4-signed request: <c>Credential=AKID/date/region/service/aws4_request</c>.</summary>
/// <param name="AccessKeyId">The access key id that signed.</param>
/// <param name="Date">The scope date (<c>yyyyMMdd</c>).</param>
/// <param name="Region">The signing region.</param>
/// <param name="Service">The signing name (<c>iam</c>, <c>ecs</c>, <c>sns</c>, <c>sts</c>).</param>
public sealed record SigV4Scope(string AccessKeyId, string Date, string Region, string Service)
{
    /// <summary>Reads the scope from an <c>Authorization: AWS4-HMAC-SHA256 Credential=...</c> header; null when absent or not SigV4.</summary>
    public static SigV4Scope? FromAuthorization(string? header)
    {
        const string Scheme = "AWS4-HMAC-SHA256";
        if (header is null || !header.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return null;
        }
        foreach (var part in header[Scheme.Length..].Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("Credential=", StringComparison.Ordinal))
            {
                return FromCredential(part["Credential=".Length..]);
            }
        }
        return null;
    }

    /// <summary>Reads a <c>AKID/date/region/service/aws4_request</c> credential (also the <c>X-Amz-Credential</c> of presigned requests).</summary>
    public static SigV4Scope? FromCredential(string? credential) =>
        credential?.Split('/') is [var key, var date, var region, var service, "aws4_request"] && key.Length > 0
            ? new SigV4Scope(key, date, region, service)
            : null;
}
