using System.Collections.Immutable;
using EcsRoleAuditor.Audit.Findings;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>A finding's remediation: the words people read and the same changes, structured, for tools and tests to check.</summary>
/// <param name="Text">The remediation as a sentence or two.</param>
/// <param name="Changes">The changes it asks for.</param>
internal sealed record Remedy(string Text, ImmutableArray<ProposedChange> Changes)
{
    /// <summary>The same changes with more words after the text.</summary>
    public Remedy Append(string text) => this with { Text = Text + text };

    /// <summary>The text as a finished sentence: a full stop, unless it ends with a statement's JSON or a stop already.</summary>
    public Remedy Ended() => Text.EndsWith(']') || Text.EndsWith('.') ? this : Append(".");

    /// <summary>Both remedies: the texts joined, the changes of both.</summary>
    public Remedy And(Remedy other, string separator = " ") => new(Text + separator + other.Text, [.. Changes, .. other.Changes]);

    /// <summary>Words that ask for one change.</summary>
    public static Remedy Of(string text, params ProposedChange[] changes) => new(text, [.. changes]);
}
