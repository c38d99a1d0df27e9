using EcsRoleAuditor.FakeAws.Wire;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>
/// AWS Organizations (JSON 1.1 protocol, target prefix <c>AWSOrganizationsV20161128</c>): ListAccounts, answered for
/// callers in the management or a delegated administrator account, paged by MaxResults (1..20) and NextToken.
/// </summary>
internal sealed class OrganizationsHandler : JsonServiceHandler
{
    private static readonly ServiceErrors OrganizationsErrors = new("organizations", "TooManyRequestsException", "ServiceException", "AccessDeniedException", 400, "InvalidInputException");

    private readonly AccountIndex _accounts;
    private readonly Func<int?> _pageCap;

    public OrganizationsHandler(AccountIndex accounts, Func<int?> pageCap)
    {
        _accounts = accounts;
        _pageCap = pageCap;
        Add("ListAccounts", ListAccounts);
    }

    public override string TargetPrefix => "AWSOrganizationsV20161128.";

    public override string SigningName => "organizations";

    public override ServiceErrors Errors => OrganizationsErrors;

    private byte[] ListAccounts(AwsRequest request)
    {
        var caller = _accounts.CallerOf(request.Scope);
        var organization = _accounts.Organization;
        if (organization is null || !organization.IsMember(caller.AccountId))
        {
            throw new AwsErrorException("AWSOrganizationsNotInUseException", 400, "Your account is not a member of an organization.");
        }
        if (!organization.MayListAccounts(caller.AccountId))
        {
            throw new AwsErrorException("AccessDeniedException", 400, "You don't have permissions to access this resource.");
        }
        var size = Paging.Size(Integer(request, "MaxResults", 1, 20), 20, _pageCap());
        var (page, next) = Paging.Slice(organization.Accounts, request.Optional("NextToken"), size, Errors);
        return JsonWire.Write(w =>
        {
            w.WriteStartArray("Accounts");
            foreach (var account in page)
            {
                w.WriteStartObject();
                w.WriteString("Id", account.Id);
                w.WriteString("Arn", $"arn:aws:organizations::{organization.ManagementAccountId}:account/{organization.Id}/{account.Id}");
                w.WriteString("Email", account.Email);
                w.WriteString("Name", account.Name);
                if (organization.ReportsStatus)
                {
                    w.WriteString("Status", account.Status);
                }
                w.WriteString("State", account.State);
                w.WriteString("JoinedMethod", account.JoinedMethod);
                w.WriteNumber("JoinedTimestamp", account.JoinedTimestamp.ToUnixTimeSeconds());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (next is not null)
            {
                w.WriteString("NextToken", next);
            }
        });
    }
}
