using System.Text.Json;
using EcsRoleAuditor.FakeAws.Wire;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>
/// Systems Manager (JSON 1.1 protocol, target prefix <c>AmazonSSM</c>): DescribeParameters over the caller's account's
/// parameters in the signed region, filtered by <c>ParameterFilters</c> (Key <c>Name</c>, <c>Type</c> or <c>KeyId</c>;
/// Option <c>Equals</c>, or <c>BeginsWith</c>; at most 50 values each) and paged by MaxResults (1..50) and NextToken
/// ("DescribeParameters", "ParameterStringFilter", AWS Systems Manager API Reference). Parameters shared from other
/// accounts are not listed (the fake has no <c>Shared</c> option).
/// </summary>
internal sealed class SsmHandler : JsonServiceHandler
{
    private const int MaxValues = 50;
    private static readonly ServiceErrors SsmErrors = new("ssm", "ThrottlingException", "InternalServerError", "AccessDeniedException", 400, "ValidationException");

    private readonly AccountIndex _accounts;
    private readonly Func<int?> _pageCap;

    public SsmHandler(AccountIndex accounts, Func<int?> pageCap)
    {
        _accounts = accounts;
        _pageCap = pageCap;
        Add("DescribeParameters", DescribeParameters);
    }

    public override string TargetPrefix => "AmazonSSM.";

    public override string SigningName => "ssm";

    public override ServiceErrors Errors => SsmErrors;

    private byte[] DescribeParameters(AwsRequest request)
    {
        var filters = Filters(request);
        var caller = _accounts.CallerOf(request.Scope).AccountId;
        var region = _accounts.RegionOf(request.Scope);
        var listed = _accounts.Parameters
            .Where(p => p.AccountId == caller && (_accounts.RegionAgnostic || p.Region == region))
            .Where(p => filters.All(f => f.Matches(p)))
            .ToList();
        // The API gives no default for MaxResults; the fake's is its maximum.
        var (page, next) = Paging.Slice(listed, request.Optional("NextToken"), Paging.Size(Integer(request, "MaxResults", 1, 50), 50, _pageCap()), Errors);
        return JsonWire.Write(w =>
        {
            w.WriteStartArray("Parameters");
            foreach (var parameter in page)
            {
                w.WriteStartObject();
                w.WriteString("Name", parameter.Name);
                w.WriteString("ARN", parameter.Arn);
                w.WriteString("Type", parameter.Type);
                if (parameter.ReportedKeyId is { } key)
                {
                    w.WriteString("KeyId", key);
                }
                w.WriteNumber("LastModifiedDate", FakeIds.Epoch.ToUnixTimeSeconds());
                w.WriteNumber("Version", 1);
                w.WriteString("Tier", "Standard");
                w.WriteString("DataType", "text");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (next is not null)
            {
                w.WriteString("NextToken", next);
            }
        });
    }

    private sealed record Filter(string Key, string Option, IReadOnlyList<string> Values)
    {
        public bool Matches(FakeParameter parameter)
        {
            var value = Key switch { "Name" => parameter.Name, "Type" => parameter.Type, _ => parameter.ReportedKeyId ?? "" };
            return Values.Any(v => Option == "Equals" ? value == v : value.StartsWith(v, StringComparison.Ordinal));
        }
    }

    private List<Filter> Filters(AwsRequest request)
    {
        var filters = new List<Filter>();
        if (!request.Json.TryGetProperty("ParameterFilters", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return filters;
        }
        foreach (var item in list.EnumerateArray())
        {
            var key = item.TryGetProperty("Key", out var k) ? k.GetString() : null;
            if (key is not ("Name" or "Type" or "KeyId"))
            {
                throw new AwsErrorException("InvalidFilterKey", 400, $"The filter key {key} is not supported by the fake.");
            }
            var option = item.TryGetProperty("Option", out var o) ? o.GetString() ?? "Equals" : "Equals";
            if (option is not ("Equals" or "BeginsWith"))
            {
                throw new AwsErrorException("InvalidFilterOption", 400, $"The filter option {option} is not valid for key {key}.");
            }
            var values = item.TryGetProperty("Values", out var v) && v.ValueKind == JsonValueKind.Array
                ? v.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
                : [];
            if (values.Count is 0 or > MaxValues)
            {
                throw Errors.Validation($"1 validation error detected: Value at 'parameterFilters.{filters.Count + 1}.member.values' failed to satisfy constraint: Member must have length less than or equal to {MaxValues}");
            }
            filters.Add(new Filter(key, option, values));
        }
        return filters;
    }
}
