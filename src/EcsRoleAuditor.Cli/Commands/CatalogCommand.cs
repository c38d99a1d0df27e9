using System.CommandLine;
using System.Globalization;
using EcsRoleAuditor.ManagedPolicies;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary><c>catalog</c>: where the embedded action catalog and AWS managed policies come from and how large they are.</summary>
internal static class CatalogCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("catalog", "Show the source, data date and size of the embedded AWS action catalog and AWS managed policies.");
        command.SetAction(_ =>
        {
            var catalog = ActionCatalog.Default;
            stdout.WriteLine($"source:    {catalog.Source}");
            stdout.WriteLine($"data date: {catalog.DataDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
            stdout.WriteLine($"services:  {catalog.ServiceCount}");
            stdout.WriteLine($"actions:   {catalog.ActionCount}");
            // The documents audit --iam falls back on for AWS managed policies an export lacks (docs/managed-policies.md).
            var managed = AwsManagedPolicies.Embedded;
            stdout.WriteLine($"AWS managed policies: {managed.Identity.PackageName}@{managed.Identity.PackageVersion}, data date {managed.Identity.DataDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, {managed.Count} policies (aws partition only)");
            return CommandLineApp.ExitSuccess;
        });
        return command;
    }
}
