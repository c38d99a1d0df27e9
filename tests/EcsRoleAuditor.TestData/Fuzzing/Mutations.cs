using System.Text;
using CsCheck;

namespace EcsRoleAuditor.TestData.Fuzzing;

/// <summary>Generators of <see cref="InputMutation"/>s for one valid seed file.</summary>
public static class Mutations
{
    /// <summary>The longest string a default run writes; the long mode (see <see cref="FuzzSettings"/>) goes further.</summary>
    private static int HugeLength => FuzzSettings.Extended ? 4_000_000 : 200_000;

    // Values of the wrong type, values at the edges, and strings a terminal would obey.
    private static readonly (string Json, string Label)[] Replacements =
    [
        ("null", "null"), ("0", "0"), ("-1", "-1"), ("1e400", "1e400"), ("123456789012345678901234567890", "a 30-digit integer"),
        ("true", "true"), ("\"\"", "\"\""), ("\"*\"", "\"*\""), ("[]", "[]"), ("{}", "{}"), ("[null]", "[null]"), ("[{}]", "[{}]"),
        ("\"\\u001b[31mRED\\u001b]0;title\\u0007\\u0000\\r\\nNEXT\\u009b\\u202eGNP.exe\\u2066\"", "a string of control and bidi characters"),
        ("\"arn:aws:iam::111122223333:role/\\u001b[2Jwiped\"", "a role ARN with an escape sequence"),
        ("\"arn:aws:iam::999999999999:role/elsewhere\"", "a role ARN of another account"),
        ("\"\\ud800\"", "an escaped lone surrogate"),
        ("\"not:an:arn\"", "\"not:an:arn\""),
    ];

    private static readonly (byte[] Bytes, string Label)[] Insertions =
    [
        ([0xFF], "byte 0xFF"), ([0xC0, 0x80], "overlong NUL 0xC0 0x80"), ([0xED, 0xA0, 0x80], "an encoded surrogate 0xED 0xA0 0x80"),
        ([0x80], "a lone continuation byte"), ([0xE2, 0x82], "a truncated sequence 0xE2 0x82"), ([0xF8, 0x88, 0x80, 0x80, 0x80], "a 5-byte sequence"),
        ([0x00], "NUL"), ([0x1B, 0x5B, 0x33, 0x31, 0x6D], "ESC[31m"), ([0x07], "BEL"), ([0xEF, 0xBB, 0xBF], "a byte order mark"),
        ([0xE2, 0x80, 0xAE], "U+202E"), ("\"dup\":1,"u8.ToArray(), "a stray key"),
    ];

    private static readonly (string Content, string Label)[] Files =
    [
        ("", "empty"), ("   \n", "whitespace"), ("null", "null"), ("[]", "[]"), ("{}", "{}"), ("\"text\"", "a string"), ("42", "a number"),
        ("{\"a\":1}{\"b\":2}", "two documents"), (new string('[', 100_000), "100,000 open brackets"),
        ("<html><body>503 Service Unavailable</body></html>", "an HTML error page"),
    ];

    /// <summary>Mutations of <paramref name="seed"/> (valid JSON), most of them structural so they reach past the parser.</summary>
    public static Gen<InputMutation> Of(byte[] seed)
    {
        var count = JsonRewriter.CountValues(seed);
        var node = Gen.Int[0, count - 1];
        var replacement = Gen.Frequency(
            (12, Gen.Int[0, Replacements.Length - 1].Select(i => Replacements[i])),
            (1, Gen.Int[1_000, HugeLength].Select(n => ($"\"{new string('a', n)}\"", $"a {n}-character string"))),
            (1, Gen.Int[300, 3_000].Select(n => (new string('[', n) + new string(']', n), $"{n} nested arrays"))));
        return Gen.Frequency(
            (10, Gen.Select(node, replacement).Select(t => (InputMutation)new ReplaceValue(t.Item1, t.Item2.Item1, t.Item2.Item2))),
            (4, node.Select(n => (InputMutation)new RemoveValue(n))),
            (4, Gen.Select(node, Gen.Int[2, 3], Gen.Int[0, Replacements.Length]).Select((n, copies, second) =>
                (InputMutation)new RepeatValue(n, copies, second == Replacements.Length ? null : Replacements[second].Json))),
            (1, Gen.Select(node, Gen.Int[20, FuzzSettings.Extended ? 5_000 : 200]).Select((n, copies) => (InputMutation)new RepeatValue(n, copies, null))),
            (3, Gen.Select(node, Gen.OneOf("s", "X", "\u001b[0m", "\u202e", " ")).Select((n, suffix) => (InputMutation)new RenameKey(n, suffix))),
            (4, Gen.Select(Gen.Double[0, 1], Gen.Int[0, Insertions.Length - 1]).Select((at, i) => (InputMutation)new InsertBytes(at, Insertions[i].Bytes, Insertions[i].Label))),
            (2, Gen.Double[0, 1].Select(at => (InputMutation)new Truncate(at))),
            (1, Gen.Int[0, Files.Length - 1].Select(i => (InputMutation)new ReplaceFile(Files[i].Content, Files[i].Label))));
    }

    /// <summary>Shows bytes as text a test failure can print: everything outside printable ASCII escaped.</summary>
    public static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}");
        }
        return builder.ToString();
    }
}

/// <summary>How long and from where the mutation fuzzing runs: a few seconds in <c>dotnet test</c>, longer on demand.</summary>
public static class FuzzSettings
{
    /// <summary>
    /// <c>ERA_FUZZ=long</c> runs many more cases with bigger sizes (docs/testing.md); <c>ERA_FUZZ_SEED</c> replays or varies
    /// the cases (a CsCheck seed string; the default is fixed so <c>dotnet test</c> always runs the same cases).
    /// </summary>
    public static bool Extended => Environment.GetEnvironmentVariable("ERA_FUZZ") == "long";

    public static string Seed => Environment.GetEnvironmentVariable("ERA_FUZZ_SEED") is { Length: > 0 } seed ? seed : "0000000000fz";

    public static int CasesPerTarget => Extended ? 2_000 : 40;
}
