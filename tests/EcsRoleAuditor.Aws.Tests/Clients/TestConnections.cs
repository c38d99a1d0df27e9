using Amazon.Runtime;
using EcsRoleAuditor.Aws.Connection;

namespace EcsRoleAuditor.Aws.Tests.Clients;

/// <summary>Connections to a <see cref="RecordingResponder"/> with fixed keys: nothing reads the real credential chain or the network.</summary>
internal static class TestConnections
{
    public const string AccessKey = "AKIDEXAMPLE";
    public static readonly BasicAWSCredentials Keys = new(AccessKey, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    public static AwsConnection To(RecordingResponder responder, string region = "eu-west-1", AWSCredentials? credentials = null, int? maxAttempts = null) =>
        AwsConnection.Open(new AwsConnectionOptions
        {
            Region = region,
            Credentials = credentials ?? Keys,
            EndpointUrls = new ServiceEndpointUrls(responder.Url, responder.Url, responder.Url, responder.Url, responder.Url, responder.Url, responder.Url, responder.Url, responder.Url, responder.Url),
            MaxAttempts = maxAttempts,
        });
}
