using System.Text.RegularExpressions;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.Audit.Tests.Conventions;

/// <summary>
/// ARNs are split, named and built through one type, <c>Policy/Model/Arn.cs</c> (issue 11, section 6 "ARNs and
/// partitions"): a hand-made split or prefix check is how the partitions <c>aws-cn</c> and <c>aws-us-gov</c> get
/// mishandled (IAM User Guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
/// </summary>
public sealed partial class HandParsedArnTests
{
    /// <summary>The files that are the ARN parser and the matching engine's span-based splitting, which may split by hand.</summary>
    private static readonly string[] ArnEngine =
    [
        "src/EcsRoleAuditor.Policy/Model/Arn.cs",
        "src/EcsRoleAuditor.Policy/Matching/ResourceMatcher.cs",
        "src/EcsRoleAuditor.Policy/Evaluation/Conditions/ArnComponents.cs",
    ];

    private static readonly (Regex Pattern, string Instead)[] HandParses =
    [
        (SplitOnColon(), "Arn.TryParse and its components"),
        (LastPathSegment(), "Arn.ResourceName"),
        (PartitionPrefix(), "Arn.TryParse and Arn.Partition (aws-cn and aws-us-gov are partitions too)"),
        (AwsManagedPolicyText(), "Arn.IsAwsManagedPolicy"),
        (InterpolatedArn(), "Arn.Create with the partition of the ARN it derives from"),
    ];

    [Fact]
    public void No_source_file_outside_the_arn_engine_parses_or_builds_an_arn_by_hand()
    {
        var src = Path.Combine(RepositoryPaths.Root, "src");
        var found = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryPaths.Root, path).Replace('\\', '/'))
            .Where(file => !file.Contains("/obj/", StringComparison.Ordinal) && !file.Contains("/bin/", StringComparison.Ordinal) && !ArnEngine.Contains(file))
            .Order(StringComparer.Ordinal)
            .SelectMany(file => Findings(file, File.ReadAllLines(Path.Combine(RepositoryPaths.Root, file))))
            .ToList();

        Assert.True(found.Count == 0, $"Hand-made ARN handling ({found.Count}):\n{string.Join('\n', found)}");
    }

    /// <summary>Every pattern catches what it is for and lets the look-alikes that are no ARN handling pass.</summary>
    [Theory]
    [InlineData("var parts = arn.Split(':');", true)]
    [InlineData("var parts = text.Split(':', 6);", true)]
    [InlineData("span.Split(parts, ':')", true)]
    [InlineData("arn.Split(\":\")", true)]
    [InlineData("var name = roleArn.Split('/')[^1];", true)]
    [InlineData("if (arn.StartsWith(\"arn:aws:\", StringComparison.Ordinal))", true)]
    [InlineData("policyArn.Contains(\":iam::aws:policy/\")", true)]
    [InlineData("var topic = $\"arn:aws:sns:{region}:{account}:alerts\";", true)]
    [InlineData("return $\"arn:{partition}:iam::{account}:role/*\";", true)]
    [InlineData("var id = \"arn:\" + partition;", true)]
    [InlineData("+ $\"\\\"aws:SourceArn\\\":\\\"arn:aws:ecs:*:{account}:*\\\"\"", true)]
    [InlineData("$\"{element} must be an object such as {{\\\"AWS\\\": \\\"arn:aws:iam::111122223333:root\\\"}}\"", false)]
    [InlineData("value.Split(',', StringSplitOptions.RemoveEmptyEntries)", false)]
    [InlineData("path.Split('/').Select(Uri.EscapeDataString)", false)]
    [InlineData("text.StartsWith(\"arn:\", StringComparison.Ordinal)", false)]
    [InlineData("{\"arn\":\"arn:aws:iam::111122223333:role/web-task\"}", false)]
    [InlineData("/// e.g. <c>arn.Split(':')</c> is what Arn replaces", false)]
    [InlineData("// $\"arn:aws:...\" in a comment", false)]
    public void The_patterns_tell_hand_parsing_from_look_alikes(string line, bool handParse)
    {
        Assert.Equal(handParse, Findings("Example.cs", [line]).Any());
    }

    private static IEnumerable<string> Findings(string file, string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            // Comments may show what not to write.
            if (lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var (pattern, instead) in HandParses)
            {
                if (pattern.IsMatch(lines[i]))
                {
                    yield return $"{file}:{i + 1}: {lines[i].Trim()} (use {instead})";
                }
            }
        }
    }

    [GeneratedRegex(@"\.Split\([^)]*(':'|"":"")")]
    private static partial Regex SplitOnColon();

    [GeneratedRegex(@"\.Split\('/'\)\[\^1\]")]
    private static partial Regex LastPathSegment();

    [GeneratedRegex(@"(StartsWith|Contains|IndexOf|Equals)\(""arn:aws[:-]")]
    private static partial Regex PartitionPrefix();

    [GeneratedRegex(@"(StartsWith|EndsWith|Contains|IndexOf)\([^)]*:iam::aws:")]
    private static partial Regex AwsManagedPolicyText();

    // An interpolated string that starts with an ARN, "arn:" + ..., or a standard-partition ARN with a value filled in.
    [GeneratedRegex(@"\$@?""arn:|@\$""arn:|""arn:""\s*\+|arn:aws:[^""\s]*\{[A-Za-z_]")]
    private static partial Regex InterpolatedArn();
}
