using System.Text.Json;
using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Offline;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.TestData;

/// <summary>
/// An account exported with <c>get-account-authorization-details</c>, read the way the offline audit reads it: the
/// recording answers IAM's calls and the per-role directory builds the roles.
/// </summary>
public sealed class RecordedAccount : IRoleDirectory, IDisposable
{
    private readonly IamRoleDirectory _directory;

    private RecordedAccount(RecordedIam iam)
    {
        Iam = iam;
        _directory = new IamRoleDirectory(iam, iam.DirectoryOptions);
    }

    /// <summary>The recording.</summary>
    public RecordedIam Iam { get; }

    /// <summary>Every role of the file, as the audit sees it.</summary>
    public IReadOnlyList<Role> Roles =>
        [.. Iam.GetAccountAuthorizationDetailsAsync(["Role"], null, CancellationToken.None).GetAwaiter().GetResult().Roles
            .Select(role => Assert(FindAsync(role.Arn, CancellationToken.None).AsTask().GetAwaiter().GetResult()))];

    /// <summary>Reads the file's JSON (throws InputException as the CLI would report it).</summary>
    public static RecordedAccount Read(JsonElement root, string source) => new(RecordedIam.Read(root, source));

    /// <inheritdoc/>
    public ValueTask<RoleLookup> FindAsync(string roleReference, CancellationToken cancellationToken) => _directory.FindAsync(roleReference, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _directory.Dispose();

    private static Role Assert(RoleLookup lookup) =>
        lookup is RoleLookup.Found found ? found.Role : throw new InvalidOperationException($"a role of the file could not be read: {lookup}");
}
