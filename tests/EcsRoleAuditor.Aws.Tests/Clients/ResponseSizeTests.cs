using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Transform;
using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Aws.Runtime;

namespace EcsRoleAuditor.Aws.Tests.Clients;

/// <summary>
/// An answer is read no further than a bound: a hostile endpoint or a broken proxy that keeps sending ends in an
/// unreadable answer (an AWS failure, so the audit says "incomplete"), not in all the memory of the Lambda.
/// </summary>
public class ResponseSizeTests
{
    [Fact]
    public void A_body_up_to_the_bound_reads_whole_and_one_byte_more_is_refused()
    {
        using var exact = new BoundedReadStream(new MemoryStream(new byte[100]), 100);
        Assert.Equal(100, exact.CopyToCount());

        using var over = new BoundedReadStream(new MemoryStream(new byte[101]), 100);
        var error = Assert.Throws<InvalidDataException>(() => over.CopyToCount());
        Assert.Contains("larger than 100 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_iam_answer_beyond_the_bound_is_unreadable()
    {
        var xml = $"<ListRolePoliciesResponse><ListRolePoliciesResult><PolicyNames>{string.Concat(Enumerable.Repeat("<member>p</member>", 1000))}</PolicyNames></ListRolePoliciesResult></ListRolePoliciesResponse>";
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        var reader = new QueryResponseReader("IAM", AwsActions.ListRolePolicies, maxBodyBytes: 4096);

        var error = Assert.Throws<AmazonUnmarshallingException>(() => reader.Unmarshall(new XmlUnmarshallerContext(body, false, null)));

        Assert.Contains("larger than 4,096 bytes", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_ecs_answer_beyond_the_bound_is_unreadable()
    {
        var json = $$"""{"taskDefinitionArns":[{{string.Join(",", Enumerable.Repeat("\"arn:aws:ecs:eu-west-1:111122223333:task-definition/a:1\"", 200))}}]}""";
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var reader = new JsonResponseReader("ECS", maxBodyBytes: 4096);

        var error = Assert.Throws<AmazonUnmarshallingException>(() => reader.Unmarshall(new JsonUnmarshallerContext(body, false, null)));

        Assert.Contains("larger than 4,096 bytes", error.ToString(), StringComparison.Ordinal);
    }
}

internal static class StreamCounting
{
    public static long CopyToCount(this Stream stream)
    {
        using var sink = new MemoryStream();
        stream.CopyTo(sink);
        return sink.Length;
    }
}
