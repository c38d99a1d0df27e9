using System.Net;
using System.Text.Json.Nodes;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>Security Hub calls on the wire, shaped as SDKs send them, for the fake's tests.</summary>
internal static class SecurityHubWire
{
    public static readonly HttpMethod Patch = HttpMethod.Patch;

    /// <summary>BatchImportFindings; fails the test unless the call itself succeeds.</summary>
    public static Task<JsonNode> ImportAsync(FakeAwsServer aws, params JsonObject[] findings) => ImportAsync(aws, findings, SecurityHubServer.Region);

    public static async Task<JsonNode> ImportAsync(FakeAwsServer aws, IEnumerable<JsonObject> findings, string region)
    {
        var (status, answer) = await SendAsync(aws, HttpMethod.Post, "/findings/import", new JsonObject { ["Findings"] = new JsonArray([.. findings.Select(f => (JsonNode)f.DeepClone())]) }, region);
        Assert.True(status == HttpStatusCode.OK, $"{status}: {answer.ToJsonString()}");
        return answer;
    }

    public static async Task<JsonNode> UpdateAsync(FakeAwsServer aws, JsonObject body)
    {
        var (status, answer) = await SendAsync(aws, Patch, "/findings/batchupdate", body);
        Assert.True(status == HttpStatusCode.OK, $"{status}: {answer.ToJsonString()}");
        return answer;
    }

    public static async Task<JsonNode> GetAsync(FakeAwsServer aws, JsonObject body)
    {
        var (status, answer) = await SendAsync(aws, HttpMethod.Post, "/findings", body);
        Assert.True(status == HttpStatusCode.OK, $"{status}: {answer.ToJsonString()}");
        return answer;
    }

    public static async Task<(HttpStatusCode Status, JsonNode Answer)> SendAsync(FakeAwsServer aws, HttpMethod method, string path, JsonObject body, string region = SecurityHubServer.Region)
    {
        using var wire = new WireClient(aws);
        using var response = await wire.SecurityHubAsync(method, path, body.ToJsonString(), region);
        return (response.StatusCode, await WireClient.JsonAsync(response));
    }

    /// <summary>The error's code from the body and from <c>x-amzn-ErrorType</c> (which must agree), with the status.</summary>
    public static async Task<(HttpStatusCode Status, string Code)> ErrorAsync(FakeAwsServer aws, HttpMethod method, string path, JsonObject body)
    {
        using var wire = new WireClient(aws);
        using var response = await wire.SecurityHubAsync(method, path, body.ToJsonString());
        var answer = await WireClient.JsonAsync(response);
        var code = answer["Code"]!.GetValue<string>();
        Assert.NotNull(answer["Message"]);
        Assert.Equal(code, response.Headers.GetValues("x-amzn-ErrorType").Single().Split(':')[0]);
        return (response.StatusCode, code);
    }

    public static JsonObject Identifier(string id) => new() { ["Id"] = id, ["ProductArn"] = SecurityHubServer.ProductArn };
}
