using System.Diagnostics;
using EcsRoleAuditor.EventAudit.Configuration;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// Runs the CLI as a child process with exactly the AWS environment given (the parent's AWS_* variables removed), the way
/// someone runs it against an emulator: the SDK's credential chain, region and endpoint come from the environment.
/// </summary>
internal static class CliProcess
{
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(CommandLineApp).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // The function's settings too: a MIN_SEVERITY or SUPPRESSIONS in the developer's shell would change what event prints.
        string[] settings = [SettingsReader.AlertTopicArn, SettingsReader.MinSeverity, SettingsReader.Suppressions, SettingsReader.SweepAllRevisions, SettingsReader.LogLevel,
            SettingsReader.StateTable, SettingsReader.HistoryDays, SettingsReader.RemindAfterDays];
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || settings.Contains(k)).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            // A hung child must not outlive the test run.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ecs-role-auditor {string.Join(' ', args)} did not exit within 2 minutes.");
        }
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
