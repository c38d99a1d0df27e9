using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using EcsRoleAuditor.Audit.Rules;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>
/// Counts AWS API calls per operation (named by IAM action, e.g. <c>iam:GetRole</c>) and in total; thread-safe.
/// One count is one HTTP request sent, so a call the SDK retried twice counts 3. The clients fill the counter made
/// current by <see cref="ApiCallCounting.Begin"/>.
/// </summary>
public sealed class ApiCallCounter
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _counts = new(StringComparer.Ordinal);
    private long _total;

    /// <summary>All calls so far.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>The calls of one operation so far (0 when never called).</summary>
    public long this[string operation] => _counts.TryGetValue(operation, out var count) ? Interlocked.Read(ref count.Value) : 0;

    /// <summary>Records one call of <paramref name="operation"/>.</summary>
    public void Record(string operation)
    {
        Interlocked.Increment(ref _counts.GetOrAdd(operation, static _ => new StrongBox<long>()).Value);
        Interlocked.Increment(ref _total);
    }

    /// <summary>A snapshot of the counts by operation, sorted by operation name.</summary>
    public IReadOnlyDictionary<string, long> ByOperation() =>
        new SortedDictionary<string, long>(_counts.ToDictionary(e => e.Key, e => Interlocked.Read(ref e.Value.Value)), StringComparer.Ordinal);

    /// <summary>For logs: <c>7 AWS API calls (iam:GetPolicy 2, iam:GetRole 1, ...)</c>.</summary>
    public override string ToString()
    {
        // No process makes 2^31 calls; the clamp only keeps ToString from ever throwing.
        var text = new StringBuilder(FindingFactory.Count((int)Math.Min(Total, int.MaxValue), "AWS API call"));
        var parts = ByOperation().Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} {e.Value}")).ToList();
        return parts.Count == 0 ? text.ToString() : text.Append(" (").AppendJoin(", ", parts).Append(')').ToString();
    }
}
