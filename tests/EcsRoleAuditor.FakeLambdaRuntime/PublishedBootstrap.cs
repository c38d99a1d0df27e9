using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace EcsRoleAuditor.FakeLambdaRuntime;

/// <summary>How the bootstrap is published: the Native AOT binary Lambda runs, or the same code on the JIT (for comparison).</summary>
public enum BootstrapFlavor
{
    /// <summary>dotnet publish -c Release -r linux-x64 (PublishAot, as the csproj sets it): a native 'bootstrap'.</summary>
    NativeAot,
    /// <summary>The same publish with PublishAot=false: 'bootstrap.dll', run with 'dotnet'.</summary>
    Jit,
}

/// <summary>
/// Publishes src/EcsRoleAuditor.Lambda once per source state and caches the result under the temp directory, keyed by
/// a hash of the sources: an AOT publish takes minutes, and the tests and the benchmark should pay it only after a change.
/// </summary>
public static class PublishedBootstrap
{
    private static readonly SemaphoreSlim Publishing = new(1, 1);

    /// <summary>The repository root (the directory holding EcsRoleAuditor.sln), found from the running assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Publishes (or reuses the cached publish of) the bootstrap; returns the command line to start it.</summary>
    public static async Task<BootstrapCommand> PublishAsync(BootstrapFlavor flavor, TimeSpan timeout)
    {
        await Publishing.WaitAsync().ConfigureAwait(false);
        try
        {
            var directory = Path.Combine(Path.GetTempPath(), "ecsroleauditor-bootstrap", $"{SourceHash()}-{flavor}");
            if (!Directory.Exists(directory))
            {
                var partial = directory + ".partial-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await RunPublishAsync(flavor, partial, timeout).ConfigureAwait(false);
                // Move into place only when complete, so a killed run never leaves a half publish behind as the cache.
                try
                {
                    Directory.Move(partial, directory);
                }
                catch (IOException) when (Directory.Exists(directory))
                {
                    // Another process (a benchmark, another test run) published the same sources meanwhile: same bytes, use theirs.
                    Directory.Delete(partial, recursive: true);
                }
                PruneCache(Path.GetDirectoryName(directory)!, directory);
            }
            return flavor == BootstrapFlavor.NativeAot
                ? new BootstrapCommand(Path.Combine(directory, "bootstrap"), [])
                : new BootstrapCommand("dotnet", [Path.Combine(directory, "bootstrap.dll")]);
        }
        finally
        {
            Publishing.Release();
        }
    }

    /// <summary>How many earlier publishes of each flavour the cache keeps (other worktrees or branches may be using them).</summary>
    private const int KeptPerFlavor = 3;

    // Each source change publishes anew (tens of MB): keep the newest few per flavour, and leave anything touched in
    // the last hour alone, since another test run may be about to start it.
    private static void PruneCache(string cache, string current)
    {
        var stale = Directory.EnumerateDirectories(cache)
            .Where(path => !string.Equals(path, current, StringComparison.Ordinal))
            .Select(path => new DirectoryInfo(path))
            .GroupBy(info => info.Name.Contains(".partial-", StringComparison.Ordinal) ? "partial" : info.Name[(info.Name.IndexOf('-', StringComparison.Ordinal) + 1)..])
            .SelectMany(group => group.OrderByDescending(info => info.LastWriteTimeUtc).Skip(group.Key == "partial" ? 0 : KeptPerFlavor - 1))
            .Where(info => info.LastWriteTimeUtc < DateTime.UtcNow.AddHours(-1));
        foreach (var info in stale)
        {
            try
            {
                info.Delete(recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's publish, or already gone: the cache is only an optimisation.
            }
        }
    }

    private static async Task RunPublishAsync(BootstrapFlavor flavor, string output, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "publish", "src/EcsRoleAuditor.Lambda", "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }
        if (flavor == BootstrapFlavor.Jit)
        {
            start.ArgumentList.Add("-p:PublishAot=false");
            start.ArgumentList.Add("--self-contained");
            start.ArgumentList.Add("false");
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish ({flavor}) did not finish within {timeout}.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish ({flavor}) failed:\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }
    }

    private static string SourceHash()
    {
        // Everything a publish reads: the sources under src/ and the build-wide props and SDK pin.
        var files = Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "src"), "*", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" }.Select(name => Path.Combine(RepositoryRoot, name)))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(RepositoryRoot, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EcsRoleAuditor.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("EcsRoleAuditor.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>How to start a published bootstrap: the executable and its arguments.</summary>
/// <param name="FileName">The native bootstrap, or 'dotnet' for the JIT flavour.</param>
/// <param name="Arguments">Empty, or the path of bootstrap.dll.</param>
public sealed record BootstrapCommand(string FileName, IReadOnlyList<string> Arguments);
