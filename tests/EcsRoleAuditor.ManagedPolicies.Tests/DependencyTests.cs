using System.Xml.Linq;
using EcsRoleAuditor.TestData;

namespace EcsRoleAuditor.ManagedPolicies.Tests;

/// <summary>Who may depend on the corpus: the CLI (and infrastructure-code adapters), never the Aws layer or the Lambda.</summary>
public sealed class DependencyTests
{
    private static string Project(string name) => Path.Combine(RepositoryPaths.Root, "src", name, name + ".csproj");

    // Every project a project references, directly or through others.
    private static HashSet<string> Closure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
            {
                var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                if (seen.Add(Path.GetFileNameWithoutExtension(path)))
                {
                    pending.Push(path);
                }
            }
        }
        return seen;
    }

    [Theory]
    [InlineData("EcsRoleAuditor.Lambda")] // always reads IAM live
    [InlineData("EcsRoleAuditor.Aws")] // knows the fallback only as IAwsManagedPolicyFallback
    [InlineData("EcsRoleAuditor.Pipeline")]
    public void The_corpus_is_not_part_of(string project)
    {
        Assert.DoesNotContain("EcsRoleAuditor.ManagedPolicies", Closure(Project(project)));
    }

    [Fact]
    public void The_CLI_references_the_corpus_and_the_corpus_references_nothing()
    {
        Assert.Contains("EcsRoleAuditor.ManagedPolicies", Closure(Project("EcsRoleAuditor.Cli")));
        Assert.Empty(Closure(Project("EcsRoleAuditor.ManagedPolicies")));
    }
}
