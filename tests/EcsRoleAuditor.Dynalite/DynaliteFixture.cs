using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Connection;
using EcsRoleAuditor.TestData;
using Xunit;

namespace EcsRoleAuditor.Dynalite;

/// <summary>
/// A local DynamoDB for one test class: dynalite (<c>tests/reference/dynalite.mjs</c>) on a free loopback port, with a
/// findings table created from template.yaml's <c>StateTable</c> (<see cref="FindingsTableTemplate"/>). Each class
/// fixture is its own server, so test classes stay independent; <see cref="CreateTableAsync"/> gives a test a table of
/// its own. Disposing ends the node process (it also ends by itself when the test process dies).
/// <code>
/// public sealed class StoreTests(DynaliteFixture dynamo) : IClassFixture&lt;DynaliteFixture&gt;
/// {
///     [Fact]
///     public async Task Something()
///     {
///         using var aws = dynamo.Connect();
///         await aws.DynamoDb.PutItemAsync(new DynamoPut(dynamo.TableName, ...), CancellationToken.None);
///     }
/// }
/// </code>
/// </summary>
public sealed class DynaliteFixture : IAsyncLifetime
{
    /// <summary>The region the connections use (dynalite accepts any).</summary>
    public const string Region = "eu-west-1";

    /// <summary>Credentials for the connections (dynalite checks that requests are signed, not the signature).</summary>
    public static readonly BasicAWSCredentials Credentials = new("AKIDDYNALITETEST0001", "dynalite-secret-key-not-real");

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static int tableCount;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Process? process;

    /// <summary>The endpoint URL, e.g. <c>http://127.0.0.1:41234</c> (for <c>AWS_ENDPOINT_URL_DYNAMODB</c> or <see cref="ServiceEndpointUrls.DynamoDb"/>).</summary>
    public string EndpointUrl { get; private set; } = "";

    /// <summary>The findings table created for this fixture (a fresh name per fixture).</summary>
    public string TableName { get; private set; } = "";

    /// <summary>Starts dynalite, waits until it answers and creates <see cref="TableName"/>.</summary>
    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(RepositoryPaths.Reference, "dynalite.mjs") },
            WorkingDirectory = RepositoryPaths.ReferenceModules,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start node (Node.js 20 is needed for dynalite).");
        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException($"dynalite ended before it listened: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
            var port = JsonNode.Parse(line)!["port"]!.GetValue<int>();
            EndpointUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
            await WaitUntilAnsweringAsync(timeout.Token);
            TableName = await CreateTableAsync(cancellationToken: timeout.Token);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Ends the node process and its children.</summary>
    public Task DisposeAsync()
    {
        if (process is { } running)
        {
            process = null;
            try
            {
                if (!running.HasExited)
                {
                    running.Kill(entireProcessTree: true);
                    running.WaitForExit(TimeSpan.FromSeconds(10));
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            running.Dispose();
        }
        return Task.CompletedTask;
    }

    /// <summary>A connection whose DynamoDB client goes to this server (only DynamoDB is overridden: use it for DynamoDB alone).</summary>
    public AwsConnection Connect() => AwsConnection.Open(new AwsConnectionOptions
    {
        Region = Region,
        Credentials = Credentials,
        EndpointUrls = new ServiceEndpointUrls(DynamoDb: EndpointUrl),
    });

    /// <summary>
    /// Creates a findings table from template.yaml's <c>StateTable</c> (CreateTable is test-only: the auditor's client has
    /// no such call) and waits until it and its indexes are ACTIVE. Returns its name, fresh unless one is given.
    /// </summary>
    public async Task<string> CreateTableAsync(string? tableName = null, CancellationToken cancellationToken = default)
    {
        tableName ??= $"findings-{Environment.ProcessId}-{Interlocked.Increment(ref tableCount)}";
        await SendAsync("CreateTable", FindingsTableTemplate.CreateTableRequest(tableName), cancellationToken);
        while (true)
        {
            var table = (await SendAsync("DescribeTable", new JsonObject { [nameof(TableName)] = tableName }, cancellationToken))["Table"]!;
            var indexes = table["GlobalSecondaryIndexes"]?.AsArray() ?? [];
            if (table["TableStatus"]!.GetValue<string>() == "ACTIVE" && indexes.All(i => i!["IndexStatus"]!.GetValue<string>() == "ACTIVE"))
            {
                return tableName;
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>Sends one DynamoDB request signed in form only and returns the answer; an error answer throws.</summary>
    public async Task<JsonObject> SendAsync(string operation, JsonObject body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, EndpointUrl + "/")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.Add("X-Amz-Target", "DynamoDB_20120810." + operation);
        request.Headers.Add("X-Amz-Date", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential={Credentials.GetCredentials().AccessKey}/20260101/{Region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00");
        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text)!.AsObject()
            : throw new InvalidOperationException($"dynalite {operation} answered {(int)response.StatusCode}: {text}");
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await SendAsync("ListTables", [], cancellationToken);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(20, cancellationToken);
            }
        }
    }
}
