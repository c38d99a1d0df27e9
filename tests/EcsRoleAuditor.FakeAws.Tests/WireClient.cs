using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>Raw requests to the fake, shaped as AWS clients send them (the signature itself is not checked by the fake).</summary>
public sealed class WireClient(FakeAwsServer server) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server.Endpoint };

    public static string Authorization(string service, string region = "us-east-1", string key = "AKIAWIRETESTS0000001") =>
        $"AWS4-HMAC-SHA256 Credential={key}/20260101/{region}/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000";

    /// <summary>A query-protocol POST; <paramref name="service"/> null sends it unsigned.</summary>
    public Task<HttpResponseMessage> QueryAsync(string? service, params (string Name, string Value)[] parameters) =>
        SendQueryAsync(service, parameters, CancellationToken.None);

    public Task<HttpResponseMessage> SendQueryAsync(string? service, IEnumerable<(string Name, string Value)> parameters, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new FormUrlEncodedContent(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))),
        };
        if (service is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Authorization(service));
        }
        return _http.SendAsync(request, cancellationToken);
    }

    public Task<HttpResponseMessage> IamAsync(string action, params (string Name, string Value)[] parameters) =>
        SendIamAsync(action, parameters, CancellationToken.None);

    public Task<HttpResponseMessage> SendIamAsync(string action, IEnumerable<(string Name, string Value)> parameters, CancellationToken cancellationToken) =>
        SendQueryAsync("iam", [("Action", action), ("Version", "2010-05-08"), .. parameters], cancellationToken);

    public Task<HttpResponseMessage> SnsAsync(params (string Name, string Value)[] parameters) =>
        SendQueryAsync("sns", [("Action", "Publish"), ("Version", "2010-03-31"), .. parameters], CancellationToken.None);

    public Task<HttpResponseMessage> EcsAsync(string operation, string json, bool sign = true) =>
        JsonAsync($"AmazonEC2ContainerServiceV20141113.{operation}", "application/x-amz-json-1.1", sign ? Authorization("ecs", "eu-west-1") : null, json);

    /// <summary>An SQS JSON 1.0 request, as current SDKs send it.</summary>
    public Task<HttpResponseMessage> SqsAsync(string operation, string json, string region = "eu-west-1") =>
        JsonAsync($"AmazonSQS.{operation}", "application/x-amz-json-1.0", Authorization("sqs", region), json);

    /// <summary>An Organizations JSON 1.1 request signed with <paramref name="key"/>.</summary>
    public Task<HttpResponseMessage> OrganizationsAsync(string operation, string json, string key = "AKIAWIRETESTS0000001") =>
        JsonAsync($"AWSOrganizationsV20161128.{operation}", "application/x-amz-json-1.1", Authorization("organizations", "us-east-1", key), json);

    /// <summary>A JSON-protocol POST with <c>X-Amz-Target</c>; <paramref name="authorization"/> null sends it unsigned.</summary>
    public Task<HttpResponseMessage> JsonAsync(string target, string contentType, string? authorization, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return _http.SendAsync(request);
    }

    /// <summary>A Security Hub restJson1 request (<paramref name="method"/> and <paramref name="path"/> name the operation) signed for <paramref name="region"/>.</summary>
    public Task<HttpResponseMessage> SecurityHubAsync(HttpMethod method, string path, string json, string region = "eu-west-1", bool sign = true)
    {
        var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (sign)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Authorization("securityhub", region));
        }
        return _http.SendAsync(request);
    }

    /// <summary>Assumes <paramref name="roleArn"/> through the fake's STS and returns the access key id it issued, or null when denied.</summary>
    public async Task<string?> AssumeRoleAsync(string roleArn)
    {
        using var response = await QueryAsync("sts", ("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleArn), ("RoleSessionName", "wire"));
        return response.IsSuccessStatusCode ? Text(await XmlAsync(response), "AccessKeyId") : null;
    }

    public static async Task<XElement> XmlAsync(HttpResponseMessage response) => XElement.Parse(await response.Content.ReadAsStringAsync());

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>The text of the first descendant with this local name.</summary>
    public static string? Text(XElement root, string localName) => root.Descendants().FirstOrDefault(e => e.Name.LocalName == localName)?.Value;

    public void Dispose() => _http.Dispose();
}
