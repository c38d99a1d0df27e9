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

    // "Wildcard", "FilePath" : [{ "wildcard": "*/lib/*" }] (EventBridge User Guide, "Comparison operators for use in event
    // patterns in Amazon EventBridge", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html);
    // escapes and anchoring as the Event Ruler README, "Wildcard matching", says.
    [Theory]
    [InlineData("arn:*:ecs:*:*:task-definition/*", "arn:aws:ecs:eu-west-1:111122223333:task-definition/billing-worker:12", true)]
    [InlineData("arn:*:ecs:*:*:task-definition/*", "arn:aws-us-gov:ecs:us-gov-west-1:111122223333:task-definition/a:1", true)]
    [InlineData("arn:*:ecs:*:*:task-definition/*", "arn:aws:ecs:eu-west-1:111122223333:service/prod/billing-worker", false)]
    [InlineData("arn:*:ecs:*:*:task-definition/*", "arn:aws:ecs:eu-west-1:111122223333:cluster/task-definition/x", false)]
    [InlineData("arn:*:ecs:*:*:task-definition/*", "xarn:aws:ecs:eu-west-1:1:task-definition/a:1", false)]
    [InlineData("dir/*.png", "dir/.png", true)]
    [InlineData("dir/*", "xdir/a", false)]
    [InlineData("a*b*b", "ab", false)]
    [InlineData("a*b*b", "abb", true)]
    [InlineData(@"a\*b", "a*b", true)]
    [InlineData(@"a\*b", "aXb", false)]
    [InlineData(@"a\\b", @"a\b", true)]
    [InlineData("exact", "exact", true)]
    public void Wildcards_match_whole_strings_with_stars_for_any_run_of_characters(string wildcard, string value, bool expected) =>
        Assert.Equal(expected, Matches($$"""{"x":[{"wildcard":{{System.Text.Json.JsonSerializer.Serialize(wildcard)}}}]}""", $$"""{"x":{{System.Text.Json.JsonSerializer.Serialize(value)}}}"""));

    [Theory]
    [InlineData("a**b")]
    [InlineData(@"a\b")]
    public void A_wildcard_eventbridge_refuses_is_refused(string wildcard) =>
        Assert.Throws<InvalidOperationException>(() => Matches($$"""{"x":[{"wildcard":{{System.Text.Json.JsonSerializer.Serialize(wildcard)}}}]}""", """{"x":"ab"}"""));

    // "If the value in the event is an array, then the event pattern matches if the intersection of the event pattern
    // array and the event array is non-empty" (EventBridge User Guide, "Arrays in Amazon EventBridge event patterns",
    // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html). For arrays of objects, as
    // ECS TagResource's tags [{key, value}]: a field under the array matches any element's, and two fields must come from
    // the same element (Event Ruler README, "JSON Array Matching").
    [Theory]
    [InlineData("""{"tags":{"key":["a"]}}""", """{"tags":[{"key":"b","value":"1"},{"key":"a","value":"2"}]}""", true)]
    [InlineData("""{"tags":{"key":["a"]}}""", """{"tags":[{"key":"b","value":"a"}]}""", false)]
    [InlineData("""{"tags":{"key":["a"]}}""", """{"tags":[]}""", false)]
    [InlineData("""{"tags":{"key":["a"]}}""", """{"tags":{"key":"a"}}""", true)]
    [InlineData("""{"tags":{"key":["a"],"value":["2"]}}""", """{"tags":[{"key":"a","value":"1"},{"key":"b","value":"2"}]}""", false)]
    [InlineData("""{"tags":{"key":["a"],"value":["2"]}}""", """{"tags":[{"key":"b","value":"1"},{"key":"a","value":"2"}]}""", true)]
    [InlineData("""{"tagKeys":["a"]}""", """{"tagKeys":["b","a"]}""", true)]
    [InlineData("""{"tagKeys":["a"]}""", """{"tagKeys":["b"]}""", false)]
    public void A_pattern_under_an_array_of_objects_matches_one_of_its_objects(string pattern, string @event, bool expected) =>
        Assert.Equal(expected, Matches(pattern, @event));
}
