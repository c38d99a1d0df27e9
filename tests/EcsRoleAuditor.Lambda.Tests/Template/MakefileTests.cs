using System.Diagnostics;
using EcsRoleAuditor.Lambda.Tests.Hosting;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Lambda.Tests.Template;

/// <summary>
/// What <c>sam build</c> runs for a <c>BuildMethod: makefile</c> function: <c>make build-&lt;LogicalId&gt;</c> with
/// ARTIFACTS_DIR set, from the directory of CodeUri. The fixture's publish of the same project and configuration
/// leaves the native compilation up to date, so the make run is mostly a copy.
/// </summary>
[Trait("Category", "AotEndToEnd")]
public sealed class MakefileTests(PublishedBootstrapFixture bootstrap) : IClassFixture<PublishedBootstrapFixture>
{
    private static readonly string Target = "build-" + "EcsRoleAuditorFunction";

    [Fact]
    public async Task The_target_sam_build_runs_leaves_exactly_an_executable_bootstrap_in_the_artifacts_directory()
    {
        Assert.NotNull(bootstrap.Command);
        Assert.Equal(".", SamTemplate.Function["CodeUri"]!.GetValue<string>()); // make runs in the repository root
        var artifacts = Directory.CreateTempSubdirectory("era-sam-artifacts-");
        try
        {
            var (exitCode, output) = await MakeAsync(Target, $"ARTIFACTS_DIR={artifacts.FullName}");

            Assert.True(exitCode == 0, output);
            var file = Assert.Single(artifacts.GetFiles());
            Assert.Equal("bootstrap", file.Name);
            Assert.Empty(artifacts.GetDirectories());
            Assert.True(file.UnixFileMode.HasFlag(UnixFileMode.UserExecute), "bootstrap is not executable");
            var header = new byte[5];
            using (var stream = file.OpenRead())
            {
                stream.ReadExactly(header);
            }
            Assert.Equal([0x7F, (byte)'E', (byte)'L', (byte)'F', 2], header); // a 64-bit ELF executable, not a managed DLL
        }
        finally
        {
            artifacts.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Without_ARTIFACTS_DIR_the_target_stops_before_building_and_says_why()
    {
        var (exitCode, output) = await MakeAsync(Target);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("ARTIFACTS_DIR is not set", output, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet publish", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> MakeAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("make") { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--no-print-directory");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("ARTIFACTS_DIR");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        await process.WaitForExitAsync(patience.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
