using System.Collections.Concurrent;

namespace EcsRoleAuditor.Lambda.Observability;

/// <summary>
/// One phase of a cold start (e.g. <c>compose</c>, <c>catalogLoad</c>, <c>firstNext</c>): when it began after the
/// timeline's origin (the start of Main) and how long it took, in milliseconds.
/// </summary>
internal readonly record struct ColdStartPhase(string Name, double StartMs, double DurationMs);

/// <summary>
/// Where a cold start's time goes: the phases up to the first response (composing, the work started in the background
/// during init, the first 'next', the first invocation, posting its response), each with its start and duration, so
/// one log line shows both how long each took and what overlapped. Thread-safe: background phases record concurrently.
/// </summary>
internal sealed class ColdStartTimeline
{
    private readonly TimeProvider time;
    private readonly long origin;
    private readonly ConcurrentQueue<ColdStartPhase> phases = new();

    /// <summary>A timeline whose origin is now (create it first thing in Main).</summary>
    public ColdStartTimeline(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        this.time = time;
        origin = time.GetTimestamp();
    }

    /// <summary>The phases recorded so far, in the order they began.</summary>
    public IReadOnlyList<ColdStartPhase> Phases => [.. phases.OrderBy(phase => phase.StartMs)];

    /// <summary>A timestamp marking the start of a phase, for <see cref="Record"/>.</summary>
    public long Start() => time.GetTimestamp();

    /// <summary>Records the phase <paramref name="name"/> that began at <paramref name="started"/> and ends now.</summary>
    public void Record(string name, long started)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var ended = time.GetTimestamp();
        phases.Enqueue(new ColdStartPhase(name, time.GetElapsedTime(origin, started).TotalMilliseconds, time.GetElapsedTime(started, ended).TotalMilliseconds));
    }

    /// <summary>Runs <paramref name="work"/> and records it as <paramref name="name"/> (also when it throws).</summary>
    public T Measure<T>(string name, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = Start();
        try
        {
            return work();
        }
        finally
        {
            Record(name, started);
        }
    }

    /// <summary>Runs <paramref name="work"/> and records it as <paramref name="name"/> (also when it throws).</summary>
    public void Measure(string name, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Measure(name, () =>
        {
            work();
            return true;
        });
    }

    /// <summary>Awaits <paramref name="work"/> and records it as <paramref name="name"/> (also when it throws).</summary>
    public async Task<T> MeasureAsync<T>(string name, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = Start();
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            Record(name, started);
        }
    }
}
