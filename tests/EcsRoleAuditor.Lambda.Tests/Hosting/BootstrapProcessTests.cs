using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcsRoleAuditor.FakeLambdaRuntime;
using EcsRoleAuditor.Lambda.Hosting;

namespace EcsRoleAuditor.Lambda.Tests.Hosting;

/// <summary>The published AOT bootstrap as Lambda runs it: a process talking to the (fake) Runtime API.</summary>
[Trait("Category", "AotEndToEnd")]
public sealed class BootstrapProcessTests(PublishedBootstrapFixture bootstrap) : IClassFixture<PublishedBootstrapFixture>
{
    // Generous: process start on a loaded two-core machine; nothing here asserts on speed.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> Configured = new()
    {
        ["ALERT_TOPIC_ARN"] = "arn:aws:sns:eu-west-1:111122223333:era-alerts-e2e",
        ["LOG_LEVEL"] = "DEBUG",
    };

    [Fact]
    public async Task The_published_bootstrap_posts_the_acknowledgement_for_an_event()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, Configured);

        var first = await runtime.OutcomeAsync(runtime.Enqueue("""{"source":"aws.ecs"}""", new FakeInvocation(RequestId: "e2e-1")), Patience);
        var second = await runtime.OutcomeAsync(runtime.Enqueue("{}", new FakeInvocation(RequestId: "e2e-2")), Patience);

        Assert.Equal(OutcomeKind.Response, first.Kind);
        Assert.True(first.Json().GetProperty("acknowledged").GetBoolean());
        Assert.Equal("e2e-1", first.Json().GetProperty("requestId").GetString());
        Assert.Equal(20, first.Json().GetProperty("payloadBytes").GetInt32());
        Assert.Equal("e2e-2", second.Json().GetProperty("requestId").GetString());
        Assert.False(process.HasExited);
    }

    [Fact]
    public async Task Every_line_the_bootstrap_writes_is_a_json_object_without_configured_values()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, Configured);
        await runtime.OutcomeAsync(runtime.Enqueue("{}"), Patience);

        var lines = process.StandardOutputLines;

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
        Assert.All(lines, line => Assert.DoesNotContain(Configured["ALERT_TOPIC_ARN"], line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_ALERT_TOPIC_ARN_the_bootstrap_posts_an_init_error_and_exits_non_zero()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync();
        using var process = BootstrapProcess.Start(bootstrap.Command, runtime.Address, new Dictionary<string, string>());

        var initError = await runtime.InitErrorAsync(Patience);
        var exitCode = await process.WaitForExitAsync(Patience);

        Assert.Equal("InvalidOperationException", initError.ErrorType);
        Assert.Contains("ALERT_TOPIC_ARN", initError.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(InvocationLoop.InitFailedExitCode, exitCode);
        Assert.Equal(0, runtime.NextCalls);
    }

    [Fact]
    public async Task The_bootstrap_needs_no_newer_glibc_than_Amazon_Linux_2023_has()
    {
        // provided.al2023 ships glibc 2.34; a build host with a newer glibc could produce a binary Lambda cannot load.
        var start = new ProcessStartInfo("objdump", ["-T", bootstrap.Command.FileName]) { RedirectStandardOutput = true };
        using var objdump = Process.Start(start)!;
        var symbols = await objdump.StandardOutput.ReadToEndAsync();
        await objdump.WaitForExitAsync();

        var versions = Regex.Matches(symbols, @"GLIBC_(\d+)\.(\d+)").Select(match => new Version(int.Parse(match.Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();

        Assert.NotEmpty(versions);
        Assert.True(versions.Max() <= new Version(2, 34), $"The bootstrap needs glibc {versions.Max()}.");
    }
}
