using System.Text.Json;

namespace EcsRoleAuditor.ColdStart;

/// <summary>Reads the phases of one cold start from the bootstrap's log lines.</summary>
internal static class ColdStartLog
{
    /// <summary>
    /// The phases of the "Cold start" line (ms after the start of Main), the audit of the "Audited" line (role reads and
    /// rules, inside firstInvocation), and "beforeMain": the measured start → first response minus the end of the
    /// logged firstResponse (process creation, runtime start-up, and the fake Runtime API noticing the post).
    /// </summary>
    public static IReadOnlyDictionary<string, (double StartMs, double DurationMs)> Phases(IReadOnlyList<string> lines, double totalMs)
    {
        var phases = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("coldStart", out var coldStart))
            {
                foreach (var phase in coldStart.EnumerateObject())
                {
                    phases[phase.Name] = (phase.Value.GetProperty("startMs").GetDouble(), phase.Value.GetProperty("durationMs").GetDouble());
                }
                if (root.TryGetProperty("processCpuMs", out var cpu))
                {
                    // Not a phase: the CPU the whole process used up to the cold start line, all threads together.
                    phases["process CPU (all threads)"] = (double.NaN, cpu.GetDouble());
                }
                if (root.TryGetProperty("gcCollections", out var collections))
                {
                    phases["garbage collections (count)"] = (double.NaN, collections.GetDouble());
                }
                if (root.TryGetProperty("minorPageFaults", out var faults))
                {
                    phases["minor page faults (count)"] = (double.NaN, faults.GetDouble());
                }
                if (root.TryGetProperty("allocatedBytes", out var allocated))
                {
                    phases["managed allocations (MB)"] = (double.NaN, allocated.GetDouble() / (1024 * 1024));
                }
            }
            else if (root.TryGetProperty("message", out var message) && message.GetString()!.StartsWith("Audited ", StringComparison.Ordinal)
                && root.TryGetProperty("durationMs", out var audit))
            {
                phases["audit (role reads + rules)"] = (double.NaN, audit.GetDouble());
            }
        }
        if (phases.TryGetValue("firstResponse", out var response))
        {
            phases["beforeMain"] = (0, totalMs - response.Item1 - response.Item2);
        }
        return phases;
    }
}
