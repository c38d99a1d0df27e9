using System.Text;
using EcsRoleAuditor.Policy.Matching;

namespace EcsRoleAuditor.Policy.Evaluation;

/// <summary>Policy variables: <c>${aws:username}</c>, <c>${aws:PrincipalTag/team}</c>, <c>${key, 'default'}</c>, and the escapes <c>${*}</c>, <c>${?}</c>, <c>${$}</c>.</summary>
public static class PolicyVariables
{
    /// <summary>True when the text contains a <c>${</c> that could be a policy variable.</summary>
    public static bool ContainsVariable(string text) => text.Contains("${", StringComparison.Ordinal);

    /// <summary>
    /// Substitutes every variable in <paramref name="text"/> from the context. Returns false when a variable has no
    /// single value in the context and no default: the element then matches nothing (AWS's rule).
    /// With <paramref name="asWildcardPattern"/> (Resource, StringLike, ArnLike), the escapes <c>${*}</c> and <c>${?}</c> become
    /// <see cref="Matching.Wildcard.LiteralStar"/> and <see cref="Matching.Wildcard.LiteralQuestionMark"/>, which the wildcard matcher
    /// matches as the plain characters; otherwise they become <c>*</c> and <c>?</c>.
    /// </summary>
    /// <remarks>
    /// Values taken from the context (and defaults) are inserted literally: in a wildcard pattern their <c>*</c> and <c>?</c>
    /// become the literal stand-ins too, so a principal named <c>*</c> does not turn a pattern into a wildcard.
    /// A multivalued context key cannot be a policy variable (IAM User Guide, "Single-valued vs. multivalued context keys"):
    /// it counts as having no value, so the default applies when there is one.
    /// Text that is not a well-formed variable (<c>${</c> without a closing brace, an empty name) stays literal.
    /// </remarks>
    public static bool TrySubstitute(string text, RequestContext context, bool asWildcardPattern, out string result)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);

        var start = text.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            result = text;
            return true;
        }

        var builder = new StringBuilder(text.Length + 16);
        var copiedUpTo = 0;
        while (start >= 0)
        {
            builder.Append(text, copiedUpTo, start - copiedUpTo);
            if (!VariableReference.TryRead(text, start, out var reference))
            {
                builder.Append("${");
                copiedUpTo = start + 2;
            }
            else
            {
                if (!TryAppendValue(builder, text, reference, context, asWildcardPattern))
                {
                    result = text;
                    return false;
                }
                copiedUpTo = reference.End;
            }
            start = text.IndexOf("${", copiedUpTo, StringComparison.Ordinal);
        }
        builder.Append(text, copiedUpTo, text.Length - copiedUpTo);
        result = builder.ToString();
        return true;
    }

    /// <summary>The context keys the variables of <paramref name="text"/> name (not the escapes <c>${*}</c>, <c>${?}</c>, <c>${$}</c>).</summary>
    public static IEnumerable<string> ReferencedKeys(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var start = text.IndexOf("${", StringComparison.Ordinal); start >= 0; start = text.IndexOf("${", start + 2, StringComparison.Ordinal))
        {
            if (VariableReference.TryRead(text, start, out var reference) && !IsEscape(text, reference))
            {
                yield return text.Substring(reference.NameStart, reference.NameLength);
            }
        }
    }

    /// <summary>
    /// A <c>Resource</c> entry as a pattern for <see cref="Matching.ResourcePatterns"/>: escapes become their literal stand-ins,
    /// variables the audit knows become their values (inserted literally), a variable it knows to be absent takes its
    /// default, and any other variable becomes <see cref="Wildcard.UnknownValue"/>. Null when a variable is known to be
    /// absent and has no default: the entry then matches nothing (AWS's rule).
    /// </summary>
    public static string? ToResourcePattern(string text, KnownContext known)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(known);
        var start = text.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        var copiedUpTo = 0;
        for (; start >= 0; start = text.IndexOf("${", copiedUpTo, StringComparison.Ordinal))
        {
            builder.Append(text, copiedUpTo, start - copiedUpTo);
            copiedUpTo = start + 2;
            if (!VariableReference.TryRead(text, start, out var reference))
            {
                builder.Append("${");
                continue;
            }
            copiedUpTo = reference.End;
            var name = text.Substring(reference.NameStart, reference.NameLength);
            if (IsEscape(text, reference) || known.Values.TryGetValue(name, out _))
            {
                if (!TryAppendValue(builder, text, reference, known.Values, asWildcardPattern: true))
                {
                    return null; // a multivalued key is no variable: without a default the entry matches nothing
                }
            }
            else if (known.IsAbsent(name))
            {
                if (reference.DefaultStart < 0)
                {
                    return null;
                }
                AppendLiteral(builder, text.AsSpan(reference.DefaultStart, reference.DefaultLength), asWildcardPattern: true);
            }
            else
            {
                builder.Append(Wildcard.UnknownValue);
            }
        }
        builder.Append(text, copiedUpTo, text.Length - copiedUpTo);
        return builder.ToString();
    }

    private static bool IsEscape(string text, VariableReference reference) =>
        reference.NameLength == 1 && reference.DefaultStart < 0 && text[reference.NameStart] is '*' or '?' or '$';

    private static bool TryAppendValue(StringBuilder builder, string text, VariableReference reference, RequestContext context, bool asWildcardPattern)
    {
        var name = text.AsSpan(reference.NameStart, reference.NameLength);
        if (name.Length == 1 && reference.DefaultStart < 0)
        {
            switch (name[0])
            {
                case '*':
                    builder.Append(asWildcardPattern ? Wildcard.LiteralStar : '*');
                    return true;
                case '?':
                    builder.Append(asWildcardPattern ? Wildcard.LiteralQuestionMark : '?');
                    return true;
                case '$':
                    builder.Append('$');
                    return true;
            }
        }

        if (context.TryGetValue(name.ToString(), out var value) && !value.IsMultiValued && value.Values.Length == 1)
        {
            AppendLiteral(builder, value.Values[0], asWildcardPattern);
            return true;
        }
        if (reference.DefaultStart >= 0)
        {
            AppendLiteral(builder, text.AsSpan(reference.DefaultStart, reference.DefaultLength), asWildcardPattern);
            return true;
        }
        return false;
    }

    private static void AppendLiteral(StringBuilder builder, ReadOnlySpan<char> value, bool asWildcardPattern)
    {
        if (!asWildcardPattern)
        {
            builder.Append(value);
            return;
        }
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '*' => Wildcard.LiteralStar,
                '?' => Wildcard.LiteralQuestionMark,
                _ => c,
            });
        }
    }

    /// <summary>The position of one <c>${name}</c> or <c>${name, 'default'}</c> in a text.</summary>
    private readonly record struct VariableReference(int NameStart, int NameLength, int DefaultStart, int DefaultLength, int End)
    {
        /// <summary>Reads the variable whose <c>${</c> is at <paramref name="start"/>; false when the text there is not a well-formed variable.</summary>
        public static bool TryRead(string text, int start, out VariableReference reference)
        {
            reference = default;
            var i = start + 2;
            var nameEnd = text.AsSpan(i).IndexOfAny('}', ',');
            if (nameEnd < 0)
            {
                return false;
            }
            nameEnd += i;
            var (nameStart, nameLength) = Trimmed(text, i, nameEnd);
            if (nameLength == 0)
            {
                return false;
            }
            if (text[nameEnd] == '}')
            {
                reference = new VariableReference(nameStart, nameLength, -1, 0, nameEnd + 1);
                return true;
            }

            // AWS documents the default as ", 'value'" (comma, space, single-quoted); surrounding spaces are tolerated.
            i = SkipSpaces(text, nameEnd + 1);
            if (i >= text.Length || text[i] != '\'')
            {
                return false;
            }
            var defaultStart = i + 1;
            var quoteEnd = text.IndexOf('\'', defaultStart);
            if (quoteEnd < 0)
            {
                return false;
            }
            i = SkipSpaces(text, quoteEnd + 1);
            if (i >= text.Length || text[i] != '}')
            {
                return false;
            }
            reference = new VariableReference(nameStart, nameLength, defaultStart, quoteEnd - defaultStart, i + 1);
            return true;
        }

        private static int SkipSpaces(string text, int i)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }
            return i;
        }

        private static (int Start, int Length) Trimmed(string text, int start, int end)
        {
            while (start < end && text[start] == ' ')
            {
                start++;
            }
            while (end > start && text[end - 1] == ' ')
            {
                end--;
            }
            return (start, end - start);
        }
    }
}
