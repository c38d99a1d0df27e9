using EcsRoleAuditor.Policy.Evaluation;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Policy.Tests;

/// <summary>Builds policies and contexts for tests from the JSON a person would write.</summary>
internal static class TestPolicies
{
    private static int _counter;

    /// <summary>Parses an identity policy; single quotes stand for double quotes to keep test JSON readable.</summary>
    public static PolicyDocument Identity(string json, string? name = null) =>
        PolicyParser.Parse(json.Replace('\'', '"'), name ?? $"policy-{Interlocked.Increment(ref _counter)}");

    /// <summary>A 2012-10-17 document with the given statements (JSON objects, single quotes allowed).</summary>
    public static PolicyDocument Statements(params string[] statements) =>
        Identity($"{{'Version':'2012-10-17','Statement':[{string.Join(',', statements)}]}}");

    public static RequestContext Context(params (string Key, string Value)[] keys) =>
        RequestContext.FromSingleValues(keys.Select(k => KeyValuePair.Create(k.Key, k.Value)));
}
