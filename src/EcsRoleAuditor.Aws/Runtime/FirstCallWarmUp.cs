using System.Text;
using System.Xml;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// The one-time costs of a process's first AWS call that need no network: loading OpenSSL for SigV4's SHA-256 and
/// HMAC (libssl/libcrypto and its configuration, several milliseconds) and the first use of the XML reader. Paid here,
/// on another thread while the process does other start-up work, the first real call does not wait for them.
/// </summary>
internal static class FirstCallWarmUp
{
    private const string QueryResponse =
        "<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetRoleResult><Role><RoleName>warm-up</RoleName></Role></GetRoleResult>"
        + "<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></GetRoleResponse>";

    /// <summary>Signs a dummy canonical request with made-up credentials and reads a dummy awsQuery response.</summary>
    public static void Run()
    {
        // The SDK's own signer, so its crypto provider and OpenSSL's state are what the first request then uses.
        _ = AWS4Signer.ComputeSignature(new ImmutableCredentials("AKIDWARMUP", "warm-up", null), "us-east-1", DateTime.UtcNow, "iam",
            "host;x-amz-date", "POST\n/\n\nhost:iam.amazonaws.com\n\nhost;x-amz-date\n" + AWS4Signer.EmptyBodySha256);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(QueryResponse));
        using var reader = XmlReader.Create(stream, QueryResponseReader.ReaderSettings);
        _ = XElement.Load(reader).Child("GetRoleResult")?.Child("Role")?.Text("RoleName");
    }
}
