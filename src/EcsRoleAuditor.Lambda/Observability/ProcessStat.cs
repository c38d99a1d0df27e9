using System.Globalization;

namespace EcsRoleAuditor.Lambda.Observability;

/// <summary>Counters of this process that .NET does not expose, read from Linux's <c>/proc/self/stat</c>.</summary>
internal static class ProcessStat
{
    // Fields after "pid (comm) ": state is field 3 of proc(5), minflt field 10.
    private const int MinorFaultsAfterComm = 10 - 3;

    /// <summary>The process's minor page faults so far, or null where /proc is not there or not in this shape.</summary>
    public static long? MinorPageFaults()
    {
        string stat;
        try
        {
            stat = File.ReadAllText("/proc/self/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return MinorPageFaults(stat);
    }

    /// <summary>Field 10 of a <c>/proc/PID/stat</c> line; the command name (field 2) may hold spaces and parentheses, so counting starts after its last ')'.</summary>
    public static long? MinorPageFaults(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        var end = stat.LastIndexOf(')');
        if (end < 0 || end + 2 > stat.Length)
        {
            return null;
        }
        var fields = stat[(end + 2)..].Split(' ');
        return fields.Length > MinorFaultsAfterComm
            && long.TryParse(fields[MinorFaultsAfterComm], NumberStyles.None, CultureInfo.InvariantCulture, out var faults) ? faults : null;
    }
}
