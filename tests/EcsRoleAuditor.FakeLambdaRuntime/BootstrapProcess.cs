using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace EcsRoleAuditor.FakeLambdaRuntime;

/// <summary>A running bootstrap process pointed at a fake Runtime API, with its stdout and stderr lines collected.</summary>
public sealed class BootstrapProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> stdout = new();
    private readonly ConcurrentQueue<string> stderr = new();

    private BootstrapProcess(Process process, long startedTimestamp)
    {
        this.process = process;
        StartedTimestamp = startedTimestamp;
    }

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartedTimestamp { get; }

    /// <summary>The stdout lines written so far (the function's JSON log lines).</summary>
    public IReadOnlyList<string> StandardOutputLines => stdout.ToArray();

    /// <summary>The stderr lines written so far (what a process that dies before it can log leaves: loader and runtime errors).</summary>
    public IReadOnlyList<string> StandardErrorLines => stderr.ToArray();

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>
    /// Starts <paramref name="command"/> with a clean environment plus AWS_LAMBDA_RUNTIME_API and
    /// <paramref name="environment"/> (the test's own variables must not leak into the function).
    /// </summary>
    public static BootstrapProcess Start(BootstrapCommand command, string runtimeApiAddress, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var inherited = new[] { "PATH", "HOME", "DOTNET_ROOT" };
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (!inherited.Contains(name, StringComparer.Ordinal))
            {
                start.Environment.Remove(name);
            }
        }
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApiAddress;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException("The bootstrap did not start.");
        var running = new BootstrapProcess(process, started);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                running.stdout.Enqueue(line.Data);
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                running.stderr.Enqueue(line.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Waits for the process to exit and returns its exit code; fails after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>The peak resident set size so far (VmHWM in /proc/{pid}/status), in kilobytes.</summary>
    public long PeakResidentKilobytes()
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException("VmHWM not found in /proc status.");
    }

    /// <summary>Kills the process if it still runs.</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process.Dispose();
    }
}
