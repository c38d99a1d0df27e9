namespace EcsRoleAuditor.Aws.Api;

/// <summary>
/// The AWS Organizations operations organization mode calls (from the management account or a delegated
/// administrator); each method is one request. Errors as for <see cref="IIamApi"/> (<c>AccessDeniedException</c>,
/// <c>AWSOrganizationsNotInUseException</c>, <c>TooManyRequestsException</c>, ...).
/// </summary>
public interface IOrganizationsApi
{
    /// <summary>
    /// ListAccounts: one page of the organization's accounts. A page may be empty while a next token is still given
    /// (Organizations says so); follow the token until there is none.
    /// </summary>
    Task<Page<OrganizationAccount>> ListAccountsAsync(string? nextToken, CancellationToken cancellationToken);
}

/// <summary>
/// An account of the organization as ListAccounts returns it. <see cref="Status"/> and <see cref="State"/> are kept as
/// the strings AWS sent, values this code does not know included; <see cref="IsActive"/> reads them.
/// </summary>
/// <param name="Id">The 12-digit account id.</param>
/// <param name="Arn">The account's ARN in the organization, or null when the answer held none.</param>
/// <param name="Name">The account's friendly name, or null when the answer held none.</param>
/// <param name="Status">
/// <c>ACTIVE</c>, <c>SUSPENDED</c>, <c>PENDING_CLOSURE</c>, or null: AWS retires this field on 9 September 2026 in
/// favour of <paramref name="State"/> ("Account", AWS Organizations API Reference).
/// </param>
/// <param name="State"><c>PENDING_ACTIVATION</c>, <c>ACTIVE</c>, <c>SUSPENDED</c>, <c>PENDING_CLOSURE</c>, <c>CLOSED</c>, or null when the answer held none.</param>
public sealed record OrganizationAccount(string Id, string? Arn, string? Name, string? Status, string? State)
{
    /// <summary>The value of an active account in both <see cref="State"/> and <see cref="Status"/>.</summary>
    public const string Active = "ACTIVE";

    /// <summary>
    /// True when the account can be audited: its <see cref="State"/> is ACTIVE, or, for an answer without State (before
    /// State existed), its <see cref="Status"/> is. State wins when both are present: it is the field AWS keeps.
    /// </summary>
    public bool IsActive => State is not null ? State == Active : Status == Active;
}
