using System.Diagnostics;
using EcsRoleAuditor.Audit.Fixes;

namespace EcsRoleAuditor.Audit.Tests.Fixes;

/// <summary>The unified diff fix --format diff prints, checked against GNU diff's own (<c>diff -u</c>, POSIX "diff" with -u).</summary>
public sealed class UnifiedDiffTests
{
    public static TheoryData<string, string> Pairs => new()
    {
        { "a\nb\nc\n", "a\nc\n" },
        { "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n", "1\n2x\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19x\n20\n" },
        { "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\nend\n" },
        { "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\nx\n4\n5\n6\n7\n8\ny\n" },
        { "{\n  \"a\": 1,\n  \"b\": 2\n}\n", "{\n  \"b\": 2\n}\n" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void The_diff_is_the_one_GNU_diff_writes(string before, string after)
    {
        Assert.Equal(GnuDiff(before, after), UnifiedDiff.Of("a/p", before, "b/p", after));
    }

    [Fact]
    public void Equal_texts_give_no_diff_and_a_new_or_removed_text_is_against_dev_null()
    {
        Assert.Equal("", UnifiedDiff.Of("a/p", "x\n", "b/p", "x\n"));
        Assert.Equal("--- /dev/null\n+++ b/p\n@@ -0,0 +1,2 @@\n+x\n+y\n", UnifiedDiff.Of("a/p", null, "b/p", "x\ny\n"));
        Assert.Equal("--- a/p\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n", UnifiedDiff.Of("a/p", "x\n", "b/p", null));
    }

    private static string GnuDiff(string before, string after)
    {
        var dir = Directory.CreateTempSubdirectory("era-diff-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "before"), before);
            File.WriteAllText(Path.Combine(dir.FullName, "after"), after);
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/diff", ["-u", "--label", "a/p", "--label", "b/p", "before", "after"])
            {
                WorkingDirectory = dir.FullName,
                RedirectStandardOutput = true,
            })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return output;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
