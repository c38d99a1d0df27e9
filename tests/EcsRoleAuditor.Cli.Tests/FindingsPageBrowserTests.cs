using System.Diagnostics;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>
/// The <c>findings --format html</c> page in a real browser: Debian's headless Chromium renders it offline, and the
/// rendered DOM and a screenshot show what a reader gets. Chromium is a test prerequisite (README; .ci/run installs it),
/// so its absence fails the test rather than skipping it.
/// </summary>
public sealed class FindingsPageBrowserTests(DemoFindingsState state) : IClassFixture<DemoFindingsState>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ScratchFolder _scratch = new("era-findings-browser-");

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Chromium_renders_the_page_with_its_groups_counts_and_chart()
    {
        var page = _scratch.Write("findings.html", CliRun.Of("findings", "--state-file", state.Path, "--status", "all", "--format", "html").Stdout);
        // Kept beside the test assembly, not in the repository, for a person to look at after a run.
        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser-output")).FullName;
        var screenshot = Path.Combine(screenshots, "findings.png");
        File.Delete(screenshot);

        var dom = await Chromium("--dump-dom", new Uri(page).AbsoluteUri);
        await Chromium($"--screenshot={screenshot}", "--window-size=1280,2000", new Uri(page).AbsoluteUri);

        Assert.Contains("<h1>ECS role findings</h1>", dom, StringComparison.Ordinal);
        Assert.Contains("<h4>legacy-reports <span class=\"note\">", dom, StringComparison.Ordinal);
        Assert.Contains("<h4>billing-worker <span class=\"note\">", dom, StringComparison.Ordinal);
        Assert.Contains("<li>open now<span class=\"n\">8</span></li>", dom, StringComparison.Ordinal);
        Assert.Contains("<h3 class=\"sev sev-high\">HIGH (4)</h3>", dom, StringComparison.Ordinal);
        Assert.Contains("RESOLVED", dom, StringComparison.Ordinal);
        Assert.Contains("<svg", dom, StringComparison.Ordinal);
        Assert.Contains("Findings opened and resolved per day (UTC)", dom, StringComparison.Ordinal);
        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 10 * 1024, $"the screenshot has {png.Length} bytes");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a }, png[..8]);
    }

    // Headless, offline and with a fresh profile each run (docs: /work/.library machine notes): without the background
    // networking flags Chromium tries Google's hosts at every start, which this closed network refuses.
    private async Task<string> Chromium(params string[] args)
    {
        var executable = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Assert.True(executable is not null, "Chromium is missing: install Debian's chromium (apt-get install chromium; .ci/run does it)");
        var profile = Directory.CreateDirectory(Path.Combine(_scratch.Path, "profile-" + Guid.NewGuid().ToString("N"))).FullName;
        var start = new ProcessStartInfo(executable!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var flag in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}" })
        {
            start.ArgumentList.Add(flag);
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            // Chromium starts helper processes (zygote, renderer, GPU): all of them go, so nothing outlives the test.
            process.Kill(entireProcessTree: true);
            Assert.Fail($"chromium {string.Join(' ', args)} did not exit within {Patience.TotalSeconds:0} s");
        }
        Assert.True(process.ExitCode == 0, $"chromium {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
