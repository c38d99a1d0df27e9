using System.Globalization;
using System.Xml.Linq;
using EcsRoleAuditor.FakeAws.Wire;
using static EcsRoleAuditor.FakeAws.Wire.QueryXml;

namespace EcsRoleAuditor.FakeAws.Services;

/// <summary>
/// SQS on the query protocol (2012-11-05), as SDKs older than SQS's move to JSON call it (AWS CLI 2.9 among them):
/// SendMessageBatch with <c>SendMessageBatchRequestEntry.N.*</c> parameters and flattened result lists.
/// </summary>
internal sealed class SqsQueryHandler : QueryServiceHandler
{
    private readonly SqsBatch _batch;

    public SqsQueryHandler(SqsBatch batch)
        : base("http://queue.amazonaws.com/doc/2012-11-05/")
    {
        _batch = batch;
        Add("SendMessageBatch", SendMessageBatch, r => SqsBatch.Target(r.Optional("QueueUrl")));
    }

    public override string SigningName => "sqs";

    public override ServiceErrors Errors => SqsBatch.Errors;

    private IEnumerable<XElement> SendMessageBatch(AwsRequest request)
    {
        var entries = new List<SqsEntry>();
        for (var i = 1; request.Optional($"SendMessageBatchRequestEntry.{i}.Id") is not null || request.Optional($"SendMessageBatchRequestEntry.{i}.MessageBody") is not null; i++)
        {
            var prefix = $"SendMessageBatchRequestEntry.{i}.";
            var attributes = new Dictionary<string, PublishedAttributeValue>(StringComparer.Ordinal);
            for (var j = 1; request.Optional($"{prefix}MessageAttribute.{j}.Name") is { } name; j++)
            {
                var value = $"{prefix}MessageAttribute.{j}.Value.";
                attributes[name] = new PublishedAttributeValue(request.Optional(value + "DataType") ?? "", request.Optional(value + "StringValue"), request.Optional(value + "BinaryValue"));
            }
            var delay = request.Optional(prefix + "DelaySeconds") is { } text
                ? int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds) ? seconds : throw Errors.Validation($"Value {text} for parameter DelaySeconds is invalid.")
                : (int?)null;
            entries.Add(new SqsEntry(request.Optional(prefix + "Id"), request.Optional(prefix + "MessageBody"), delay, attributes));
        }
        var (successful, failed) = _batch.Send(request.Required("QueueUrl"), entries);
        return
        [
            .. successful.Select(s => new XElement("SendMessageBatchResultEntry",
                new XElement("Id", s.Id), new XElement("MessageId", s.MessageId), new XElement("MD5OfMessageBody", s.Md5OfBody), Optional("MD5OfMessageAttributes", s.Md5OfAttributes))),
            .. failed.Select(f => new XElement("BatchResultErrorEntry",
                new XElement("Id", f.Id), new XElement("SenderFault", Bool(f.SenderFault)), new XElement("Code", f.Code), new XElement("Message", f.Message))),
        ];
    }
}
