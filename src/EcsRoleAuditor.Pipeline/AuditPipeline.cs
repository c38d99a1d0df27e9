using System.Collections.Immutable;
using System.Diagnostics;
using EcsRoleAuditor.Audit;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Pipeline;

/// <summary>
/// The one audit path every entry point runs: resolve the targets to task definitions (described from ECS unless given),
/// choose how to read their roles by estimated calls (<see cref="RoleReadPlan"/>), audit each with the
/// <see cref="Auditor"/>, hand each report to the sink, and return the <see cref="AuditOutcome"/>. AWS failures and the
/// deadline (the token given to <see cref="RunAsync"/>) never end a run: what they stop is
/// returned as unfinished, which every shell turns into ERA005.
/// </summary>
/// <param name="sources">ECS and IAM, live or recorded.</param>
/// <param name="auditor">The rules and suppressions.</param>
public sealed class AuditPipeline(AuditSources sources, Auditor auditor)
{
    private readonly AuditSources _sources = sources ?? throw new ArgumentNullException(nameof(sources));
    private readonly Auditor _auditor = auditor ?? throw new ArgumentNullException(nameof(auditor));

    /// <summary>Audits the targets; <paramref name="cancellationToken"/> is the deadline (what it stops is unfinished, not thrown).</summary>
    public async Task<AuditOutcome> RunAsync(AuditTargets targets, IAuditSink? sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var calls = new ApiCallCounter();
        // The clients count each request they send into the run's counter (recorded sources send none); the scope
        // covers only this run's async flow, so runs side by side in one process keep their own counts.
        using var counting = ApiCallCounting.Begin(calls);
        var run = new Run(_sources, calls, sink, cancellationToken);
        var found = await run.ResolveAsync(targets).ConfigureAwait(false);
        RoleReadPlan? plan = null;
        if (found.Count > 0)
        {
            plan = RoleReadPlan.For(found);
            var roles = plan.CreateDirectory(run.Iam, _sources.Roles);
            try
            {
                await run.AuditAsync(found, roles, _auditor).ConfigureAwait(false);
            }
            finally
            {
                (roles as IDisposable)?.Dispose();
            }
        }
        return new AuditOutcome([.. run.Reports], [.. run.Unfinished], calls, plan) { FamiliesWithoutActive = [.. run.FamiliesWithoutActive] };
    }

    /// <summary>
    /// The task definitions a run of <paramref name="targets"/> would audit, read the same way and not audited
    /// (<c>fix --live</c> needs the task definitions alone); what could not be read is unfinished, not thrown.
    /// </summary>
    public static async Task<TaskDefinitionResolution> ResolveAsync(AuditSources sources, AuditTargets targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        var calls = new ApiCallCounter();
        using var counting = ApiCallCounting.Begin(calls);
        var run = new Run(sources, calls, sink: null, cancellationToken);
        var found = await run.ResolveAsync(targets).ConfigureAwait(false);
        return new TaskDefinitionResolution(found, [.. run.Unfinished], calls);
    }

    private sealed class Run(AuditSources sources, ApiCallCounter calls, IAuditSink? sink, CancellationToken deadline)
    {
        private static readonly string[] RoleFilter = ["Role"];
        private readonly TaskDefinitionSource _taskDefinitions = new(sources.Ecs);
        private readonly IFamilyHeadIndex? _heads = sources.Heads;
        private IReadOnlyList<FamilyHead>? _knownHeads;

        public IIamApi Iam { get; } = sources.Iam;

        public List<TaskDefinitionReport> Reports { get; } = [];

        public List<UnfinishedAudit> Unfinished { get; } = [];

        public List<string> FamiliesWithoutActive { get; } = [];

        /// <summary>The task definitions to audit, role overrides applied; what could not be read is unfinished.</summary>
        public async Task<List<TaskDefinition>> ResolveAsync(AuditTargets targets)
        {
            return targets switch
            {
                AuditTargets.Named named => await NamedAsync(named).ConfigureAwait(false),
                AuditTargets.NewestActive newest => await NewestActiveAsync(newest).ConfigureAwait(false),
                AuditTargets.AllActive all => await ActiveAsync(all.AllRevisions, uses: null).ConfigureAwait(false),
                AuditTargets.UsingRole role => await UsingAsync(role.AllRevisions, [role.RoleName]).ConfigureAwait(false),
                AuditTargets.UsingManagedPolicy policy => await PolicyUsersAsync(policy).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(targets)),
            };
        }

        public async Task AuditAsync(List<TaskDefinition> definitions, IRoleDirectory roles, Auditor auditor)
        {
            for (var i = 0; i < definitions.Count; i++)
            {
                TaskDefinitionReport report;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    // Checked here too: a directory answering from memory (the bulk read, once loaded) never waits on the deadline.
                    deadline.ThrowIfCancellationRequested();
                    report = await auditor.AuditAsync(definitions[i], roles, deadline).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    Unfinished.AddRange(definitions.Skip(i).Select(d => new UnfinishedAudit(d.Arn ?? d.DisplayName, "the invocation reached its deadline before auditing it")));
                    return;
                }
                Reports.Add(report);
                if (sink is not null)
                {
                    await sink.ReportedAsync(report, definitions[i], Stopwatch.GetElapsedTime(started), calls.Total).ConfigureAwait(false);
                }
            }
        }

        private async Task<List<TaskDefinition>> PolicyUsersAsync(AuditTargets.UsingManagedPolicy target)
        {
            var operation = AwsActions.GetAccountAuthorizationDetails;
            var roles = await StepAsync($"the task definitions whose roles use {target.PolicyArn}", "while finding the roles", (operation, target.PolicyArn), async () =>
            {
                var names = new List<string>();
                await foreach (var page in Pages.ReadAllAsync(operation, (marker, ct) => Iam.GetAccountAuthorizationDetailsAsync(RoleFilter, marker, ct), deadline).ConfigureAwait(false))
                {
                    // A role lists the policies it attaches even when they could not be read, so it is still found.
                    names.AddRange(page.Roles
                        .Where(r => (r.AttachedPolicies ?? []).Any(p => string.Equals(p.PolicyArn, target.PolicyArn, StringComparison.Ordinal))
                            || string.Equals(r.PermissionsBoundaryArn, target.PolicyArn, StringComparison.Ordinal))
                        .Select(r => r.RoleName));
                }
                return names;
            }).ConfigureAwait(false);
            return roles is not { Count: > 0 } ? [] : await UsingAsync(target.AllRevisions, roles).ConfigureAwait(false);
        }

        private async Task<List<TaskDefinition>> NamedAsync(AuditTargets.Named named)
        {
            var described = await DescribeAsync(named.Targets, uses: null, cached: null).ConfigureAwait(false);
            if (named.JustRegistered)
            {
                // Not a complete listing: its time lowers no head.
                await RecordHeadsAsync(described.All, complete: false, listedAt: sources.Clock.GetUtcNow()).ConfigureAwait(false);
            }
            return described.Kept;
        }

        // The family's newest ACTIVE revision by listing the family: after a deregistration it may be an older revision
        // (a rollback), or none. Its head is recorded as a listing's, so it may lower the one recorded.
        private async Task<List<TaskDefinition>> NewestActiveAsync(AuditTargets.NewestActive target)
        {
            var step = $"the ACTIVE revisions of {target.Family}";
            // No later than the listing is sent: a newer revision recorded well before it and not listed was deregistered.
            var listedAt = sources.Clock.GetUtcNow();
            if (await StepAsync(step, "while listing them", call: null, () => _taskDefinitions.ListNewestActiveAsync(target.Family, deadline)).ConfigureAwait(false) is not { } listing)
            {
                return [];
            }
            if (listing.Failure is { } failure)
            {
                Unfinished.Add(new UnfinishedAudit(step, $"listing them failed ({failure.Brief})", IsStep: true));
                return [];
            }
            if (listing.Arns is not [var newest])
            {
                FamiliesWithoutActive.Add(target.Family);
                await ListedFamilyAsync(target.Family, null, listedAt).ConfigureAwait(false);
                sink?.FamilyListed(listedAt);
                return [];
            }
            if (target.Deregistered is { } deregistered && TaskDefinitionReference.Parse(newest).Revision >= deregistered)
            {
                // An older revision went: the newest, audited when it was registered, is unchanged. Or ECS still lists
                // the revision just deregistered (it has not caught up): auditing it would alert about a revision that
                // is gone, so the next sweep decides.
                return [];
            }
            // Described, not read from the revision cache: one describe costs less than reading the cache's whole
            // partition, and after a tag change the kept answer is the one to replace.
            var described = await DescribeAsync([new TaskDefinitionTarget(newest)], uses: null, cached: null).ConfigureAwait(false);
            if (described.All is [{ Arn: { } arn, Revision: { } revision } definition])
            {
                await ListedFamilyAsync(target.Family, new FamilyHead(definition.Family, arn, revision, definition.TaskRoleArn, definition.ExecutionRoleArn), listedAt).ConfigureAwait(false);
            }
            if (target.TagsChanged)
            {
                await KeepAnswersAsync(described.Answers).ConfigureAwait(false);
            }
            sink?.FamilyListed(listedAt);
            return described.Kept;
        }

        private async Task ListedFamilyAsync(string family, FamilyHead? newest, DateTimeOffset listedAt)
        {
            if (_heads is null)
            {
                return;
            }
            try
            {
                await _heads.ListedFamilyAsync(family, newest, listedAt, deadline).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStoreFailure(e))
            {
                // Not recorded: the next sweep lowers the head; until then a role event may audit the deregistered revision.
            }
        }

        // The ACTIVE task definitions naming one of the roles: from the recorded family heads when there are (one read,
        // then a describe of each head naming a role), else by listing every family (and then recording the heads).
        // Every revision (SWEEP_ALL_REVISIONS) needs the listing: heads are only the newest.
        private async Task<List<TaskDefinition>> UsingAsync(bool allRevisions, IReadOnlyList<string> roles)
        {
            if (allRevisions || _heads is null || await KnownHeadsAsync().ConfigureAwait(false) is not { } known)
            {
                return await ActiveAsync(allRevisions, roles).ConfigureAwait(false);
            }
            var targets = known.Where(h => roles.Any(role => Uses(h.TaskRoleArn, role) || Uses(h.ExecutionRoleArn, role)))
                .OrderBy(h => h.Family, StringComparer.Ordinal)
                .Select(h => new TaskDefinitionTarget(h.TaskDefinitionArn))
                .ToList();
            return (await DescribeAsync(targets, roles, cached: null).ConfigureAwait(false)).Kept;
        }

        // The index failing (throttled, access denied) costs calls, never an audit: the run lists ECS as without it (and
        // past the deadline the listing says the step is unfinished).
        private async Task<IReadOnlyList<FamilyHead>?> KnownHeadsAsync()
        {
            try
            {
                return _knownHeads = await _heads!.HeadsAsync(deadline).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStoreFailure(e))
            {
                return null;
            }
        }

        // What the store's heads and kept answers may fail with (throttled, access denied, an unreadable item, the
        // deadline): each costs ECS calls or a later sweep's work, never an audit.
        private bool IsStoreFailure(Exception e) =>
            AwsFailure.IsAwsError(e) || e is InvalidDataException || (e is OperationCanceledException && deadline.IsCancellationRequested);

        // Each family's newest revision among those with an ARN and a revision.
        private static IEnumerable<TaskDefinition> NewestPerFamily(IEnumerable<TaskDefinition> definitions) =>
            definitions.Where(d => d.Arn is not null && d.Revision is not null)
                .GroupBy(d => d.Family, StringComparer.Ordinal)
                .Select(family => family.MaxBy(d => d.Revision)!);

        // The newest revision of each family among what was described (from a listing, every ACTIVE one is).
        // listedAt: when the listing began, so a head recorded well before it and not listed is known deregistered.
        private async Task RecordHeadsAsync(IEnumerable<TaskDefinition> described, bool complete, DateTimeOffset listedAt)
        {
            if (_heads is null)
            {
                return;
            }
            var newest = NewestPerFamily(described)
                .Select(d => new FamilyHead(d.Family, d.Arn!, d.Revision!.Value, d.TaskRoleArn, d.ExecutionRoleArn))
                .ToList();
            try
            {
                await _heads.RecordAsync(newest, complete, listedAt, _knownHeads, deadline).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStoreFailure(e))
            {
                // Not recorded: the next listing records them; until then role events list ECS.
            }
        }

        // Every ACTIVE task definition, or those whose task or execution role is one of roleNames.
        private async Task<List<TaskDefinition>> ActiveAsync(bool allRevisions, IReadOnlyList<string>? uses)
        {
            // No later than the listing is sent: what was recorded well before it and is not listed was deregistered.
            var listedAt = sources.Clock.GetUtcNow();
            if (await StepAsync("ACTIVE task definitions", "while listing them", call: null,
                () => allRevisions ? _taskDefinitions.ListAllActiveAsync(deadline) : _taskDefinitions.ListLatestActiveAsync(deadline)).ConfigureAwait(false) is not { } listing)
            {
                return [];
            }
            if (listing.Failure is { } failure)
            {
                Unfinished.Add(new UnfinishedAudit("ACTIVE task definitions", $"listing them failed ({failure.Brief})", IsStep: true));
                return [];
            }
            var cached = await CachedAnswersAsync().ConfigureAwait(false);
            var described = await DescribeAsync([.. listing.Arns.Select(arn => new TaskDefinitionTarget(arn))], uses, cached).ConfigureAwait(false);
            await RecordHeadsAsync(described.All, complete: described.Complete, listedAt).ConfigureAwait(false);
            // Every revision (SWEEP_ALL_REVISIONS) lists older ones too: the cache keeps each family's newest.
            var newest = NewestPerFamily(described.All).Select(d => d.Arn!).ToHashSet(StringComparer.Ordinal);
            await KeepAnswersAsync(described.Answers.Where(a => newest.Contains(a.TaskDefinitionArn))).ConfigureAwait(false);
            return described.Kept;
        }

        // The kept answers by ARN; the cache failing costs describes, never an audit (the deadline reached while
        // reading it leaves the listed targets to the describe step, which says they are unfinished).
        private async Task<Dictionary<string, CachedRevision>?> CachedAnswersAsync()
        {
            if (sources.Revisions is not { } cache)
            {
                return null;
            }
            try
            {
                var answers = new Dictionary<string, CachedRevision>(StringComparer.Ordinal);
                foreach (var answer in await cache.ReadAsync(deadline).ConfigureAwait(false))
                {
                    answers[answer.TaskDefinitionArn] = answer;
                }
                return answers;
            }
            catch (Exception e) when (IsStoreFailure(e))
            {
                return null;
            }
        }

        private async Task KeepAnswersAsync(IEnumerable<CachedRevision> answers)
        {
            var kept = answers.ToList();
            if (sources.Revisions is not { } cache || kept.Count == 0)
            {
                return;
            }
            try
            {
                await cache.KeepAsync(kept, deadline).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStoreFailure(e))
            {
                // Not kept: the next sweep describes them again.
            }
        }

        /// <summary>What a describe step read: every definition as ECS answered (<paramref name="All"/>), those the run audits (<paramref name="Kept"/>: role filter and overrides applied), whether every target was read, and the answers ECS sent for the revisions it described.</summary>
        private sealed record Described(List<TaskDefinition> All, List<TaskDefinition> Kept, bool Complete, List<CachedRevision> Answers);

        // cached: the revision cache's answers by ARN, read instead of describing the same revision again.
        private async Task<Described> DescribeAsync(IReadOnlyList<TaskDefinitionTarget> targets, IReadOnlyList<string>? uses, Dictionary<string, CachedRevision>? cached)
        {
            var all = new List<TaskDefinition>();
            var complete = true;
            var definitions = new List<TaskDefinition>();
            var answers = new List<CachedRevision>();
            // No later than any describe below is sent.
            var describedAt = sources.Clock.GetUtcNow();
            for (var i = 0; i < targets.Count; i++)
            {
                var target = targets[i];
                TaskDefinitionLookup lookup;
                var fromCache = false;
                try
                {
                    if (target.Definition is { } given)
                    {
                        lookup = new TaskDefinitionLookup.Found(target.Reference, given);
                    }
                    else if (Kept(target.Reference, cached) is { } kept)
                    {
                        (lookup, fromCache) = (kept, true);
                    }
                    else
                    {
                        lookup = await _taskDefinitions.DescribeAsync(target.Reference, deadline).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    Unfinished.AddRange(targets.Skip(i).Select(t => new UnfinishedAudit(t.Reference, "the invocation reached its deadline before auditing it")));
                    complete = false;
                    break;
                }
                if (lookup is TaskDefinitionLookup.Failed failed)
                {
                    Unfinished.Add(new UnfinishedAudit(target.Reference, $"DescribeTaskDefinition failed ({failed.Failure.Brief})"));
                    complete = false;
                    continue;
                }
                var found = (TaskDefinitionLookup.Found)lookup;
                var definition = found.Definition;
                all.Add(definition);
                if (!fromCache && found.Answer is { } answer && definition is { Arn: { } arn, Revision: { } revision })
                {
                    answers.Add(new CachedRevision(definition.Family, arn, revision, answer, describedAt));
                }
                if (uses is not null && !uses.Any(role => Uses(definition.TaskRoleArn, role) || Uses(definition.ExecutionRoleArn, role)))
                {
                    continue;
                }
                definitions.Add(definition with
                {
                    TaskRoleArn = target.TaskRoleOverride ?? definition.TaskRoleArn,
                    ExecutionRoleArn = target.ExecutionRoleOverride ?? definition.ExecutionRoleArn,
                });
            }
            return new Described(all, definitions, complete, answers);
        }

        // The kept answer of exactly this revision, read like a fresh one; anything else (not kept, unreadable, another
        // revision inside) is described.
        private static TaskDefinitionLookup.Found? Kept(string reference, Dictionary<string, CachedRevision>? cached) =>
            cached?.GetValueOrDefault(reference) is { } kept
            && TaskDefinitionSource.Read(reference, kept.Answer) is TaskDefinitionLookup.Found found
            && string.Equals(found.Definition.Arn, reference, StringComparison.Ordinal)
                ? found
                : null;

        private static bool Uses(string? reference, string roleName) =>
            reference is not null && RoleReference.Parse(reference) is { } parsed && string.Equals(parsed.Name, roleName, StringComparison.OrdinalIgnoreCase);

        /// <summary>A step before any task definition is known: its failure or the deadline leaves the whole step unfinished (null).</summary>
        private async Task<T?> StepAsync<T>(string step, string during, (AwsOperation Operation, string Resource)? call, Func<Task<T>> read)
            where T : class
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                Unfinished.Add(new UnfinishedAudit(step, $"the invocation reached its deadline {during}", IsStep: true));
            }
            catch (Exception e) when (call is { } failing && AwsFailure.IsAwsError(e))
            {
                Unfinished.Add(new UnfinishedAudit(step, $"{failing.Operation.Name} failed ({AwsFailure.From(e, failing.Operation, failing.Resource).Brief})", IsStep: true));
            }
            return default;
        }
    }
}
