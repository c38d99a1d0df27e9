using System.CommandLine;
using System.Globalization;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Cli.Commands;

/// <summary><c>catalog</c>: where the embedded action catalog comes from and how large it is.</summary>
internal static class CatalogCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("catalog", "Show the source, data date and size of the embedded AWS action catalog.");
        command.SetAction(_ =>
        {
            var catalog = ActionCatalog.Default;
            stdout.WriteLine($"source:    {catalog.Source}");
            stdout.WriteLine($"data date: {catalog.DataDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
            stdout.WriteLine($"services:  {catalog.ServiceCount}");
            stdout.WriteLine($"actions:   {catalog.ActionCount}");
            return CommandLineApp.ExitSuccess;
        });
        return command;
    }
}
