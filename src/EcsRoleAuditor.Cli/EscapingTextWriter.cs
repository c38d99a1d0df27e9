using System.Diagnostics.CodeAnalysis;
using System.Text;
using EcsRoleAuditor.Audit.Reporting;

namespace EcsRoleAuditor.Cli;

/// <summary>
/// A writer that passes text on with its control and bidi characters escaped (<see cref="TerminalText"/>), and only its
/// own line ends raw. Standard error goes through it: messages quote file names, arguments and task definition names
/// from input, and escaping at this one point covers every message, today's and tomorrow's.
/// </summary>
internal sealed class EscapingTextWriter(TextWriter inner) : TextWriter
{
    /// <summary>The writer it passes text on to.</summary>
    public TextWriter Inner => inner;

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    [AllowNull]
    public override string NewLine
    {
        get => inner.NewLine;
        set => inner.NewLine = value;
    }

    public override void Write(char value) => inner.Write(TerminalText.Escape(value.ToString()));

    public override void Write(string? value)
    {
        if (value is not null)
        {
            inner.Write(TerminalText.Escape(value));
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer) => Write(new string(buffer));

    // TextWriter's WriteLine overloads end in these two (or in Write then WriteLine()), so the line end is the writer's own.
    public override void WriteLine() => inner.WriteLine();

    public override void WriteLine(string? value)
    {
        Write(value);
        inner.WriteLine();
    }

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        Write(buffer);
        inner.WriteLine();
    }

    public override void Flush() => inner.Flush();
}
