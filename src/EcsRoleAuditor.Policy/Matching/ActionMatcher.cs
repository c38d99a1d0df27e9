using System.Collections.Frozen;

namespace EcsRoleAuditor.Policy.Matching;

/// <summary>
/// The action patterns of one <c>Action</c>/<c>NotAction</c> element, compiled for fast case-insensitive matching:
/// patterns are grouped by service prefix so a request for <c>s3:GetObject</c> looks only at the <c>s3</c> patterns
/// (plus the few whose service part has a wildcard), and literal names are hash lookups.
/// </summary>
internal sealed class ActionMatcher
{
    private readonly FrozenDictionary<string, ServicePatterns> _byService;
    private readonly FrozenDictionary<string, ServicePatterns>.AlternateLookup<ReadOnlySpan<char>> _byServiceSpan;
    private readonly string[] _crossServicePatterns;

    public ActionMatcher(IEnumerable<string> patterns)
    {
        var byService = new Dictionary<string, (HashSet<string> Literal, List<string> Wild)>(StringComparer.OrdinalIgnoreCase);
        var cross = new List<string>();
        foreach (var pattern in patterns)
        {
            var colon = pattern.IndexOf(':', StringComparison.Ordinal);
            var service = colon < 0 ? null : pattern[..colon];
            if (service is null || Wildcard.HasWildcard(service))
            {
                // "*", "*:Get*", "s3*:List*": must be tried against every request.
                cross.Add(pattern);
                continue;
            }
            if (!byService.TryGetValue(service, out var entry))
            {
                entry = (new HashSet<string>(StringComparer.OrdinalIgnoreCase), new List<string>());
                byService[service] = entry;
            }
            var name = pattern[(colon + 1)..];
            if (Wildcard.HasWildcard(name))
            {
                entry.Wild.Add(name);
            }
            else
            {
                entry.Literal.Add(name);
            }
        }
        _byService = byService.ToFrozenDictionary(
            kv => kv.Key,
            kv => new ServicePatterns(kv.Value.Literal.ToFrozenSet(StringComparer.OrdinalIgnoreCase), [.. kv.Value.Wild]),
            StringComparer.OrdinalIgnoreCase);
        _byServiceSpan = _byService.GetAlternateLookup<ReadOnlySpan<char>>();
        _crossServicePatterns = [.. cross];
    }

    /// <summary>True when any pattern matches the action (<c>service:Name</c>), ignoring case.</summary>
    public bool IsMatch(string action)
    {
        foreach (var pattern in _crossServicePatterns)
        {
            if (Wildcard.IsMatch(pattern, action, ignoreCase: true))
            {
                return true;
            }
        }
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !_byServiceSpan.TryGetValue(action.AsSpan(0, colon), out var service))
        {
            return false;
        }
        var name = action.AsSpan(colon + 1);
        if (service.Literal.Count > 0 && service.LiteralSpan.Contains(name))
        {
            return true;
        }
        foreach (var pattern in service.Wild)
        {
            if (Wildcard.IsMatch(pattern, name, ignoreCase: true))
            {
                return true;
            }
        }
        return false;
    }

    private sealed class ServicePatterns(FrozenSet<string> literal, string[] wild)
    {
        public FrozenSet<string> Literal { get; } = literal;
        public FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> LiteralSpan { get; } = literal.GetAlternateLookup<ReadOnlySpan<char>>();
        public string[] Wild { get; } = wild;
    }
}
