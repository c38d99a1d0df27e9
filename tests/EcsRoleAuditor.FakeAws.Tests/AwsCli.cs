using System.Diagnostics;
using System.Text.Json.Nodes;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>What one AWS CLI run printed.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout as JSON; fails the test with stderr when the run failed.</summary>
    public JsonNode Json()
    {
        Assert.True(ExitCode == 0, $"aws exited with {ExitCode}: {Stderr}");
        return JsonNode.Parse(Stdout)!;
    }
}

/// <summary>
/// Runs Debian's AWS CLI v2 (<c>/usr/bin/aws</c>, the oracle for the fake's wire fidelity) against a fake server, isolated
/// from the machine's AWS configuration: empty config and credentials files, no instance metadata, no pager.
/// </summary>
public static class AwsCli
{
    public const string Path = "/usr/bin/aws";
    public const string AccessKeyId = "AKIAFAKEAWSTESTS0001";

    public static async Task<CliResult> RunAsync(FakeAwsServer server, string region, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        if (!File.Exists(Path))
        {
            Assert.Fail($"{Path} is missing: install Debian's awscli (apt-get install -y awscli); the fake AWS is checked against it and CI installs it.");
        }
        var emptyFile = System.IO.Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(Path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(key);
            }
            start.Environment["AWS_ACCESS_KEY_ID"] = AccessKeyId;
            start.Environment["AWS_SECRET_ACCESS_KEY"] = "fake/secret/key/for/tests/only/000000000";
            start.Environment["AWS_DEFAULT_REGION"] = region;
            start.Environment["AWS_CONFIG_FILE"] = emptyFile;
            start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = emptyFile;
            start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
            start.Environment["AWS_PAGER"] = "";
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[key] = value;
            }
            foreach (var argument in (string[])["--endpoint-url", server.Endpoint.ToString().TrimEnd('/'), "--output", "json", .. arguments])
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return new CliResult(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            File.Delete(emptyFile);
        }
    }

    /// <summary>Runs with region eu-west-1 and at most one attempt (no retries).</summary>
    public static Task<CliResult> RunAsync(FakeAwsServer server, params string[] arguments) =>
        RunAsync(server, "eu-west-1", new Dictionary<string, string> { ["AWS_MAX_ATTEMPTS"] = "1" }, arguments);
}
