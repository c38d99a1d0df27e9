using System.Text.Json.Nodes;

namespace EcsRoleAuditor.Lambda.Tests.Template;

public sealed class EventPatternTests
{
    private static bool Matches(string pattern, string @event) => EventPattern.Matches(JsonNode.Parse(pattern)!.AsObject(), JsonNode.Parse(@event));

    [Theory]
    [InlineData("""{"source":["aws.ecs"]}""", """{"source":"aws.ecs"}""", true)]
    [InlineData("""{"source":["aws.ecs","aws.iam"]}""", """{"source":"aws.iam"}""", true)]
    [InlineData("""{"source":["aws.ecs"]}""", """{"source":"aws.ec2"}""", false)]
    [InlineData("""{"source":["aws.ecs"]}""", """{}""", false)]
    [InlineData("""{"detail":{"n":[5]}}""", """{"detail":{"n":5}}""", true)]
    [InlineData("""{"detail":{"n":[5]}}""", """{"detail":{"n":"5"}}""", false)]
    [InlineData("""{"detail":{"tags":["a"]}}""", """{"detail":{"tags":["b","a"]}}""", true)]
    [InlineData("""{"detail":{"x":[{"prefix":"arn:aws:"}]}}""", """{"detail":{"x":"arn:aws:iam::1:role/r"}}""", true)]
    [InlineData("""{"detail":{"x":[{"prefix":"arn:aws:"}]}}""", """{"detail":{"x":"arn:aws-cn:iam::1:role/r"}}""", false)]
    [InlineData("""{"detail":{"x":[{"anything-but":["a","b"]}]}}""", """{"detail":{"x":"c"}}""", true)]
    [InlineData("""{"detail":{"x":[{"anything-but":["a","b"]}]}}""", """{"detail":{"x":"a"}}""", false)]
    [InlineData("""{"detail":{"x":[{"anything-but":{"prefix":"a"}}]}}""", """{"detail":{"x":"abc"}}""", false)]
    [InlineData("""{"detail":{"errorCode":[{"exists":false}]}}""", """{"detail":{}}""", true)]
    [InlineData("""{"detail":{"errorCode":[{"exists":false}]}}""", """{"detail":{"errorCode":"AccessDenied"}}""", false)]
    [InlineData("""{"detail":{"errorCode":[{"exists":true}]}}""", """{"detail":{"errorCode":"AccessDenied"}}""", true)]
    [InlineData("""{"detail":{"o":[{"exists":true}]}}""", """{"detail":{"o":{"nested":1}}}""", false)]
    [InlineData("""{"detail":{"$or":[{"a":["1"]},{"b":["2"]}]}}""", """{"detail":{"b":"2"}}""", true)]
    [InlineData("""{"detail":{"$or":[{"a":["1"]},{"b":["2"]}]}}""", """{"detail":{"b":"3"}}""", false)]
    [InlineData("""{"detail":{"x":[{"equals-ignore-case":"Ab"}]}}""", """{"detail":{"x":"aB"}}""", true)]
    public void Operators_follow_eventbridge_semantics(string pattern, string @event, bool expected) =>
        Assert.Equal(expected, Matches(pattern, @event));
}
