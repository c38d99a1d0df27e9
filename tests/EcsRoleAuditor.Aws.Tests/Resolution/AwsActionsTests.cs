using System.Reflection;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

public sealed class AwsActionsTests
{
    private static readonly Dictionary<Type, string> ServiceOf = new()
    {
        [typeof(IIamApi)] = "iam",
        [typeof(IEcsApi)] = "ecs",
        [typeof(ISnsApi)] = "sns",
        [typeof(IDynamoDbApi)] = "dynamodb",
    };

    [Fact]
    public void The_table_holds_one_operation_per_method_of_the_api_interfaces()
    {
        var methods = ServiceOf.SelectMany(s => s.Key.GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(m => $"{s.Value}:{m.Name}"));

        Assert.Equal(methods.Order(StringComparer.Ordinal), AwsActions.All.Select(o => o.Action + "Async").Order(StringComparer.Ordinal));
    }

    // Organization mode's calls: Organizations and SQS through our interfaces; sts:AssumeRole through the SDK's STS client.
    private static readonly Dictionary<Type, string> OrganizationModeServiceOf = new()
    {
        [typeof(IOrganizationsApi)] = "organizations",
        [typeof(ISqsApi)] = "sqs",
    };

    [Fact]
    public void Organization_mode_holds_one_operation_per_method_of_its_api_interfaces_and_assume_role()
    {
        var methods = OrganizationModeServiceOf.SelectMany(s => s.Key.GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(m => $"{s.Value}:{m.Name}"));

        Assert.Equal(
            methods.Append("sts:AssumeRoleAsync").Order(StringComparer.Ordinal),
            AwsActions.OrganizationMode.Select(o => $"{o.Service}:{o.Name}Async").Order(StringComparer.Ordinal));
        Assert.All(OrganizationModeServiceOf.Keys.SelectMany(api => api.GetMethods(BindingFlags.Public | BindingFlags.Instance)), m =>
            Assert.Equal(
                AwsActions.OrganizationMode.Single(o => o.Name + "Async" == m.Name).Paginated,
                m.GetParameters().Any(p => p.Name is "marker" or "nextToken" or "nextMarker")));
    }

    [Fact]
    public void An_operation_is_paginated_exactly_when_its_method_takes_the_next_page_marker()
    {
        var takesMarker = ServiceOf.Keys.SelectMany(api => api.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .ToDictionary(m => m.Name[..^"Async".Length], m => m.GetParameters().Any(p => p.Name is "marker" or "nextToken" or "nextMarker"), StringComparer.Ordinal);

        Assert.All(AwsActions.All, o => Assert.Equal(takesMarker[o.Name], o.Paginated));
        Assert.Contains(AwsActions.All, o => o.Paginated);
    }

    [Fact]
    public void Every_field_of_the_table_is_listed_once_in_all_or_one_features_list()
    {
        var fields = typeof(AwsActions).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (AwsOperation)f.GetValue(null)!);

        Assert.Equal(fields, AwsActions.All.Concat(AwsActions.OrganizationMode).Concat(AwsActions.SecurityHub).Concat(AwsActions.EncryptionKeys));
        Assert.Empty(AwsActions.All.Intersect(AwsActions.OrganizationMode));
        Assert.Empty(AwsActions.All.Concat(AwsActions.OrganizationMode).Intersect(AwsActions.SecurityHub));
        Assert.Empty(AwsActions.All.Concat(AwsActions.OrganizationMode).Concat(AwsActions.SecurityHub).Intersect(AwsActions.EncryptionKeys));
        Assert.Equal(AwsActions.All.Count, AwsActions.All.Select(o => o.Action).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_security_hub_list_holds_one_operation_per_method_of_its_api_and_pages_where_it_takes_a_token()
    {
        var methods = typeof(ISecurityHubApi).GetMethods(BindingFlags.Public | BindingFlags.Instance);

        Assert.Equal(
            methods.Select(m => "securityhub:" + m.Name).Order(StringComparer.Ordinal),
            AwsActions.SecurityHub.Select(o => o.Action + "Async").Order(StringComparer.Ordinal));
        Assert.All(methods, m => Assert.Equal(
            AwsActions.SecurityHub.Single(o => o.Name + "Async" == m.Name).Paginated,
            m.GetParameters().Any(p => p.Name is "nextToken")));
    }

    [Fact]
    public void The_encryption_key_list_holds_one_operation_per_method_of_its_apis_and_pages_where_it_takes_a_token()
    {
        var methods = new[] { (typeof(ISecretsManagerApi), "secretsmanager"), (typeof(ISsmApi), "ssm") }
            .SelectMany(api => api.Item1.GetMethods(BindingFlags.Public | BindingFlags.Instance).Select(m => (Method: m, Action: $"{api.Item2}:{m.Name}")))
            .ToList();

        Assert.Equal(methods.Select(m => m.Action).Order(StringComparer.Ordinal), AwsActions.EncryptionKeys.Select(o => o.Action + "Async").Order(StringComparer.Ordinal));
        Assert.All(methods, m => Assert.Equal(
            AwsActions.EncryptionKeys.Single(o => o.Name + "Async" == m.Method.Name).Paginated,
            m.Method.GetParameters().Any(p => p.Name is "nextToken")));
    }

    [Fact]
    public void An_operation_prints_as_the_iam_action_a_person_must_grant()
    {
        Assert.Equal("iam:GetAccountAuthorizationDetails", AwsActions.GetAccountAuthorizationDetails.ToString());
        Assert.Equal("ecs:DescribeTaskDefinition", $"{AwsActions.DescribeTaskDefinition}");
    }
}
