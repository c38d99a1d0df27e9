using EcsRoleAuditor.FakeAws.Wire;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>
/// Secrets Manager (JSON 1.1 protocol, target prefix <c>secretsmanager</c>): DescribeSecret, the metadata of a secret named
/// by ARN, partial ARN (without the random suffix) or name (the caller's account, the signed region). The answer omits
/// <c>KmsKeyId</c> for the AWS managed key ("DescribeSecret", AWS Secrets Manager API Reference).
/// </summary>
internal sealed class SecretsManagerHandler : JsonServiceHandler
{
    private static readonly ServiceErrors SecretsManagerErrors = new("secretsmanager", "ThrottlingException", "InternalServiceError", "AccessDeniedException", 400, "InvalidParameterException");

    private readonly AccountIndex _accounts;

    public SecretsManagerHandler(AccountIndex accounts)
    {
        _accounts = accounts;
        Add("DescribeSecret", DescribeSecret);
    }

    public override string TargetPrefix => "secretsmanager.";

    public override string SigningName => "secretsmanager";

    public override ServiceErrors Errors => SecretsManagerErrors;

    /// <summary>A fault may name the SecretId as sent, or the secret's name or ARN.</summary>
    public override FaultTarget Target(AwsRequest request) =>
        request.Optional("SecretId") is { } id
            ? new FaultTarget([id, .. Find(request, id) is { } secret ? new[] { secret.Name, secret.Arn } : []], id)
            : FaultTarget.Any;

    private byte[] DescribeSecret(AwsRequest request)
    {
        var id = request.Required("SecretId");
        var secret = Find(request, id) ?? throw new AwsErrorException("ResourceNotFoundException", 400, "Secrets Manager can't find the specified secret.");
        return JsonWire.Write(w =>
        {
            w.WriteString("ARN", secret.Arn);
            w.WriteString("Name", secret.Name);
            if (secret.KmsKeyId is { } key)
            {
                w.WriteString("KmsKeyId", key);
            }
            w.WriteNumber("LastChangedDate", FakeIds.Epoch.ToUnixTimeSeconds());
            w.WriteStartObject("VersionIdsToStages");
            w.WriteEndObject();
        });
    }

    // "Finding a secret from a partial ARN" (AWS Secrets Manager User Guide): an ARN ending in a hyphen and six characters
    // is taken as complete; a shorter one matches the secret whose ARN it begins, when only one does. A name is looked up
    // in the caller's account and the region signed for.
    private FakeSecret? Find(AwsRequest request, string id)
    {
        if (id.StartsWith("arn:", StringComparison.Ordinal))
        {
            var complete = id.Length > 7 && id[^7] == '-' && id[^6..].All(char.IsAsciiLetterOrDigit);
            var matches = _accounts.Secrets.Where(s => s.Arn == id || !complete && s.Arn.Length == id.Length + 7 && s.Arn.StartsWith(id + "-", StringComparison.Ordinal)).ToList();
            return matches.Count == 1 ? matches[0] : null;
        }
        var caller = _accounts.CallerOf(request.Scope).AccountId;
        var region = _accounts.RegionOf(request.Scope);
        return _accounts.Secrets.FirstOrDefault(s => s.Name == id && s.AccountId == caller && (_accounts.RegionAgnostic || s.Region == region));
    }
}
