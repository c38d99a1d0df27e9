namespace EcsRoleAuditor.FakeAws.Wire;

/// <summary>How one service names its common errors on the wire (IAM says <c>Throttling</c>, ECS <c>ThrottlingException</c>, ...).</summary>
/// <param name="ActionPrefix">The IAM action prefix used in access-denied messages (<c>iam</c>, <c>ecs</c>, <c>SNS</c>, <c>sts</c>).</param>
/// <param name="ThrottlingCode">The throttling code.</param>
/// <param name="ServerFailureCode">The code of a 500.</param>
/// <param name="AccessDeniedCode">The access-denied code.</param>
/// <param name="AccessDeniedStatus">The access-denied status (ECS answers 400, the query services 403).</param>
/// <param name="ValidationCode">The code for a bad parameter (status 400).</param>
/// <param name="ThrottlingStatus">The throttling status (400, SNS 429).</param>
internal sealed record ServiceErrors(
    string ActionPrefix, string ThrottlingCode, string ServerFailureCode, string AccessDeniedCode, int AccessDeniedStatus, string ValidationCode, int ThrottlingStatus = 400)
{
    public AwsErrorException Throttling() => new(ThrottlingCode, ThrottlingStatus, "Rate exceeded");

    public AwsErrorException Failure(int statusCode, string? code) => new(
        code ?? (statusCode == 503 ? "ServiceUnavailable" : statusCode >= 500 ? ServerFailureCode : ValidationCode),
        statusCode,
        statusCode >= 500 ? "We encountered an internal error. Please try again." : "The request was rejected.");

    public AwsErrorException AccessDenied(string callerArn, string operation, string resource) => new(
        AccessDeniedCode,
        AccessDeniedStatus,
        $"User: {callerArn} is not authorized to perform: {ActionPrefix}:{operation} on resource: {resource} because no identity-based policy allows the {ActionPrefix}:{operation} action");

    public AwsErrorException Validation(string message) => new(ValidationCode, 400, message);
}
