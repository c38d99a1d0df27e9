using System.Text.RegularExpressions;
using System.Xml.Linq;
using EcsRoleAuditor.FakeAws.Wire;
using static EcsRoleAuditor.FakeAws.Wire.QueryXml;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>IAM (query protocol, 2010-05-08): the read operations the auditor uses, with IAM's pagination and errors.</summary>
internal sealed partial class IamHandler : QueryServiceHandler
{
    private static readonly ServiceErrors IamErrors = new("iam", "Throttling", "ServiceFailure", "AccessDenied", 403, "ValidationError");
    private static readonly string[] EntityFilters = ["User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy"];

    private readonly AccountIndex _accounts;
    private readonly Func<int?> _pageCap;

    public IamHandler(AccountIndex account, Func<int?> pageCap)
        : base("https://iam.amazonaws.com/doc/2010-05-08/")
    {
        _accounts = account;
        _pageCap = pageCap;
        Add("GetRole", r => [RoleElement("Role", Role(r), detail: false)], RoleTarget);
        Add("ListRolePolicies", r => Page(r, Role(r).InlinePolicies, "PolicyNames", p => p.Name), RoleTarget);
        Add("GetRolePolicy", GetRolePolicy, RoleTarget);
        Add("ListAttachedRolePolicies", ListAttachedRolePolicies, RoleTarget);
        Add("ListRoleTags", r => Page(r, Role(r).Tags, "Tags", TagContent), RoleTarget);
        Add("GetPolicy", r => [PolicyElement("Policy", Policy(r), detail: false)], PolicyTarget);
        Add("GetPolicyVersion", GetPolicyVersion, PolicyTarget);
        Add("GetAccountAuthorizationDetails", GetAccountAuthorizationDetails);
    }

    public override string SigningName => "iam";

    public override ServiceErrors Errors => IamErrors;

    private static FaultTarget RoleTarget(AwsRequest request) => FaultTarget.Of(request.Optional("RoleName"), $"role {request.Optional("RoleName")}");

    private static FaultTarget PolicyTarget(AwsRequest request) => FaultTarget.Of(request.Optional("PolicyArn"), $"policy {request.Optional("PolicyArn")}");

    private FakeRole Role(AwsRequest request)
    {
        var name = request.Required("RoleName");
        if (!NamePattern().IsMatch(name))
        {
            throw Errors.Validation($"1 validation error detected: Value '{name}' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }
        return _accounts.IamOf(request.Scope).RolesByName.TryGetValue(name, out var role)
            ? role
            : throw NoSuchEntity($"The role with name {name} cannot be found.");
    }

    private FakeManagedPolicy Policy(AwsRequest request)
    {
        var arn = request.Required("PolicyArn");
        if (arn.Split(':') is not ["arn", _, "iam", "", _, var resource] || !resource.StartsWith("policy/", StringComparison.Ordinal))
        {
            throw new AwsErrorException("InvalidInput", 400, $"ARN {arn} is not valid.");
        }
        return _accounts.IamOf(request.Scope).PoliciesByArn.TryGetValue(arn, out var policy)
            ? policy
            : throw NoSuchEntity($"Policy {arn} does not exist or is not attachable.");
    }

    private IEnumerable<XElement> GetRolePolicy(AwsRequest request)
    {
        var role = Role(request);
        var name = request.Required("PolicyName");
        var policy = role.InlinePolicies.FirstOrDefault(p => p.Name == name)
            ?? throw NoSuchEntity($"The role policy with name {name} cannot be found.");
        return [new("RoleName", role.Name), new("PolicyName", policy.Name), new("PolicyDocument", PolicyDocument(policy.Document))];
    }

    private IEnumerable<XElement> ListAttachedRolePolicies(AwsRequest request)
    {
        var prefix = request.Optional("PathPrefix") ?? "/";
        var policies = _accounts.IamOf(request.Scope).PoliciesByArn;
        var attached = Role(request).AttachedPolicies
            .Where(a => (policies.TryGetValue(a.Arn, out var p) ? p.Path : "/").StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        return Page(request, attached, "AttachedPolicies", AttachedContent);
    }

    private IEnumerable<XElement> GetPolicyVersion(AwsRequest request)
    {
        var policy = Policy(request);
        var versionId = request.Required("VersionId");
        var version = policy.Versions.FirstOrDefault(v => v.VersionId == versionId)
            ?? throw NoSuchEntity($"Policy {policy.Arn} version {versionId} does not exist or is not attachable.");
        return [new("PolicyVersion", VersionContent(version))];
    }

    private IEnumerable<XElement> GetAccountAuthorizationDetails(AwsRequest request)
    {
        var filters = request.Members("Filter");
        if (filters.FirstOrDefault(f => !EntityFilters.Contains(f)) is { } bad)
        {
            throw Errors.Validation($"1 validation error detected: Value '[{bad}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [{string.Join(", ", EntityFilters)}]]");
        }
        bool Wanted(string kind) => filters.Count == 0 || filters.Contains(kind);

        // IAM pages across the four lists together: MaxItems counts roles and policies alike.
        var account = _accounts.IamOf(request.Scope);
        var entities = new List<XElement>();
        if (Wanted("Role"))
        {
            entities.AddRange(account.Roles.Select(r => RoleElement("RoleDetailList", r, detail: true)));
        }
        entities.AddRange(account.Policies
            .Where(p => Wanted(p.IsAwsManaged ? "AWSManagedPolicy" : "LocalManagedPolicy"))
            .Select(p => PolicyElement("Policies", p, detail: true)));
        var (page, next) = Slice(request, entities);
        XElement Group(string name) => new(name, page.Where(e => e.Name.LocalName == name).Select(e => new XElement("member", e.Elements())));
        return [Group("UserDetailList"), Group("GroupDetailList"), Group("RoleDetailList"), Group("Policies"), .. PageEnd(next)];
    }

    private IEnumerable<XElement> Page<T>(AwsRequest request, IList<T> items, string listName, Func<T, object> member)
    {
        var (page, next) = Slice(request, items.ToList());
        return [List(listName, page, member), .. PageEnd(next)];
    }

    private (IReadOnlyList<T> Page, string? Next) Slice<T>(AwsRequest request, IReadOnlyList<T> items) =>
        Paging.Slice(items, request.Optional("Marker"), Paging.Size(request.Integer("MaxItems", 1, 1000), 100, _pageCap()), Errors);

    private static IEnumerable<XElement> PageEnd(string? next) =>
        next is null ? [new("IsTruncated", Bool(false))] : [new("IsTruncated", Bool(true)), new("Marker", next)];

    private XElement RoleElement(string name, FakeRole role, bool detail) => new(
        name,
        new XElement("Path", role.Path),
        new XElement("RoleName", role.Name),
        new XElement("RoleId", role.RoleId),
        new XElement("Arn", role.Arn),
        new XElement("CreateDate", Time(role.CreateDate)),
        new XElement("AssumeRolePolicyDocument", PolicyDocument(role.TrustPolicy)),
        detail ? null : Optional("Description", role.Description),
        detail ? null : new XElement("MaxSessionDuration", role.MaxSessionDuration),
        detail ? new XElement("InstanceProfileList") : null,
        detail ? List("RolePolicyList", role.InlinePolicies, p => new object[] { new XElement("PolicyName", p.Name), new XElement("PolicyDocument", PolicyDocument(p.Document)) }) : null,
        detail ? List("AttachedManagedPolicies", role.AttachedPolicies, AttachedContent) : null,
        role.PermissionsBoundaryArn is { } boundary
            ? new XElement("PermissionsBoundary", new XElement("PermissionsBoundaryType", "Policy"), new XElement("PermissionsBoundaryArn", boundary))
            : null,
        detail || role.Tags.Count > 0 ? List("Tags", role.Tags, TagContent) : null,
        new XElement("RoleLastUsed"));

    private static XElement PolicyElement(string name, FakeManagedPolicy policy, bool detail) => new(
        name,
        new XElement("PolicyName", policy.Name),
        new XElement("PolicyId", policy.PolicyId),
        new XElement("Arn", policy.Arn),
        new XElement("Path", policy.Path),
        Optional("DefaultVersionId", policy.DefaultVersionId),
        new XElement("AttachmentCount", policy.AttachmentCount),
        new XElement("PermissionsBoundaryUsageCount", policy.PermissionsBoundaryUsageCount),
        new XElement("IsAttachable", Bool(policy.IsAttachable)),
        Optional("Description", policy.Description),
        new XElement("CreateDate", Time(policy.CreateDate)),
        new XElement("UpdateDate", Time(policy.UpdateDate)),
        detail ? List("PolicyVersionList", policy.Versions, VersionContent) : null,
        !detail && policy.Tags.Count > 0 ? List("Tags", policy.Tags, TagContent) : null);

    private static object[] VersionContent(FakePolicyVersion version) =>
    [
        new XElement("Document", PolicyDocument(version.Document)),
        new XElement("VersionId", version.VersionId),
        new XElement("IsDefaultVersion", Bool(version.IsDefault)),
        new XElement("CreateDate", Time(version.CreateDate)),
    ];

    private static object[] AttachedContent(FakeAttachedPolicy policy) => [new XElement("PolicyName", policy.Name), new XElement("PolicyArn", policy.Arn)];

    private static object[] TagContent(FakeTag tag) => [new XElement("Key", tag.Key), new XElement("Value", tag.Value)];

    private static AwsErrorException NoSuchEntity(string message) => new("NoSuchEntity", 404, message);

    [GeneratedRegex(@"^[\w+=,.@-]{1,64}$")]
    private static partial Regex NamePattern();
}
