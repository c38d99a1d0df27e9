using Amazon.Runtime;
using Amazon.Runtime.Credentials.Internal;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>Chooses SigV4 for every operation; without this step the pipeline has no signer.</summary>
internal sealed class SigV4AuthResolver : BaseAuthResolverHandler
{
    /// <inheritdoc />
    protected override List<IAuthSchemeOption> ResolveAuthOptions(IExecutionContext executionContext) => AuthSchemeOption.DEFAULT_SIGV4;
}
