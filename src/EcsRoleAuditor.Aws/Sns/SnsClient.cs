using System.Globalization;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Sns;

/// <summary><see cref="ISnsApi"/> over SNS's awsQuery API (version 2010-03-31) on the SDK pipeline.</summary>
internal sealed class SnsClient : QueryServiceClient, ISnsApi
{
    /// <summary>A client with the given credentials (null: the SDK's default chain) and configuration.</summary>
    public SnsClient(AWSCredentials? credentials, SnsClientConfig config)
        : base(credentials, config)
    {
    }

    /// <inheritdoc />
    public async Task<string> PublishAsync(SnsMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var request = new QueryRequest(AwsActions.Publish)
            .With("TopicArn", message.TopicArn)
            .With("Message", message.Message)
            .With("Subject", message.Subject)
            .With("MessageStructure", message.JsonStructure ? "json" : null);

        // Attributes are a map: MessageAttributes.entry.N.Name / .Value.DataType / .Value.StringValue, ordered by name
        // so the same message always gives the same request.
        var index = 0;
        foreach (var (name, value) in message.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            index++;
            var entry = string.Create(CultureInfo.InvariantCulture, $"MessageAttributes.entry.{index}");
            request.With(entry + ".Name", name)
                .With(entry + ".Value.DataType", value.DataType)
                .With(entry + ".Value.StringValue", value.Value);
        }

        var result = await CallAsync(request, cancellationToken).ConfigureAwait(false);
        return result.RequiredText("MessageId");
    }
}
