using static EcsRoleAuditor.Policy.Tests.Conditions.Conditions;

namespace EcsRoleAuditor.Policy.Tests.Conditions;

/// <summary>Details of each operator family beyond the basic table.</summary>
public class TypedOperatorTests
{
    [Theory]
    [InlineData("StringEquals", "Prod", "prod", false)]
    [InlineData("StringEqualsIgnoreCase", "Prod", "PROD", true)]
    [InlineData("StringLike", "prod-*", "PROD-1", false)]
    [InlineData("StringLike", "*", "", true)]
    [InlineData("StringLike", "a?c", "ac", false)]
    [InlineData("StringEquals", "a*", "abc", false)]
    [InlineData("StringEquals", "a*", "a*", true)]
    public void String_operators_are_case_sensitive_and_only_Like_has_wildcards(string op, string conditionValue, string requestValue, bool expected) =>
        Assert.Equal(expected, Holds(op, conditionValue, requestValue));

    [Theory]
    [InlineData("NumericEquals", "5", "5.00", true)]
    [InlineData("NumericEquals", "-0", "0", true)]
    [InlineData("NumericLessThan", "3", "-7", true)]
    [InlineData("NumericGreaterThan", "0.1", "0.10000000000000000001", true)]
    [InlineData("NumericEquals", "1000", "1e3", false)]
    [InlineData("NumericEquals", "5", " 5", false)]
    [InlineData("NumericEquals", "5", "five", false)]
    [InlineData("NumericEquals", "five", "5", false)]
    public void Numeric_operators_compare_integers_and_decimals_and_unparsable_values_never_match(string op, string conditionValue, string requestValue, bool expected) =>
        Assert.Equal(expected, Holds(op, conditionValue, requestValue));

    [Theory]
    [InlineData("5", "abc")]
    [InlineData("abc", "7")]
    public void NumericNotEquals_does_not_hold_over_an_unparsable_value(string conditionValue, string requestValue) =>
        Assert.False(Holds("NumericNotEquals", conditionValue, requestValue));

    [Theory]
    [InlineData("2024-01-01", "2024-01-01T00:00:00Z", true)]
    [InlineData("2024-01", "2024-01-01T00:00:00Z", true)]
    [InlineData("2024-01-01T10:30Z", "2024-01-01T10:30:00Z", true)]
    [InlineData("2024-01-01T12:30:00+02:00", "2024-01-01T10:30:00Z", true)]
    [InlineData("2024-01-01T05:30:00-05:00", "2024-01-01T10:30:00Z", true)]
    [InlineData("2024-01-01T10:30:00.250Z", "2024-01-01T10:30:00.25Z", true)]
    [InlineData("2024-01-01T10:30:00", "2024-01-01T10:30:00Z", true)]
    [InlineData("1704067200", "2024-01-01T00:00:00Z", true)]
    [InlineData("2024-01-01T00:00:00Z", "1704067200", true)]
    [InlineData("2024-01-01T00:00:00Z", "1704067201", false)]
    [InlineData("2024-13-01", "2024-01-01T00:00:00Z", false)]
    [InlineData("yesterday", "2024-01-01T00:00:00Z", false)]
    [InlineData("2024-01-01T00:00:00Z", "", false)]
    public void DateEquals_accepts_W3C_ISO_8601_forms_with_offsets_and_epoch_seconds(string conditionValue, string requestValue, bool expected) =>
        Assert.Equal(expected, Holds("DateEquals", conditionValue, requestValue, key: "aws:CurrentTime"));

    [Theory]
    [InlineData("not-a-date", "2024-01-01T00:00:00Z")]
    [InlineData("2024-01-01T00:00:00Z", "not-a-date")]
    public void DateNotEquals_does_not_hold_over_a_malformed_date(string conditionValue, string requestValue) =>
        Assert.False(Holds("DateNotEquals", conditionValue, requestValue));

    [Theory]
    [InlineData("true", "TRUE", true)]
    [InlineData("True", "true", true)]
    [InlineData("false", "false", true)]
    [InlineData("false", "true", false)]
    [InlineData("true", "yes", false)]
    [InlineData("true", "1", false)]
    [InlineData("maybe", "true", false)]
    public void Bool_compares_true_and_false_ignoring_case(string conditionValue, string requestValue, bool expected) =>
        Assert.Equal(expected, Holds("Bool", conditionValue, requestValue, key: "aws:SecureTransport"));

    [Theory]
    [InlineData("QmluYXJ5", "QmluYXJ5", true)]
    [InlineData("QmluYXJ5", "QmluYXJ6", false)]
    [InlineData("not base64!", "not base64!", false)]
    [InlineData("QmluYXJ5", "Binary", false)]
    public void BinaryEquals_compares_decoded_bytes_and_bad_base64_never_matches(string conditionValue, string requestValue, bool expected) =>
        Assert.Equal(expected, Holds("BinaryEquals", conditionValue, requestValue));

    [Theory]
    [InlineData("203.0.113.0/24", "203.0.113.0", true)]
    [InlineData("203.0.113.0/24", "203.0.113.255", true)]
    [InlineData("203.0.113.0/24", "203.0.112.255", false)]
    [InlineData("203.0.113.77/24", "203.0.113.1", true)]
    [InlineData("203.0.113.7", "203.0.113.7", true)]
    [InlineData("203.0.113.7", "203.0.113.8", false)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("2001:DB8:1234:5678::/64", "2001:db8:1234:5678:abcd::1", true)]
    [InlineData("2001:DB8:1234:5678::/64", "2001:db8:1234:5679::1", false)]
    [InlineData("2001:db8::1", "2001:DB8:0:0:0:0:0:1", true)]
    [InlineData("::/0", "203.0.113.7", false)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    public void IpAddress_matches_IPv4_and_IPv6_CIDR_ranges_and_bare_addresses_as_single_hosts(string range, string address, bool expected) =>
        Assert.Equal(expected, Holds("IpAddress", range, address, key: "aws:SourceIp"));

    [Theory]
    [InlineData("203.0.113.0/33", "203.0.113.1")]
    [InlineData("203.0.113/24", "203.0.113.1")]
    [InlineData("203.0.113.256/24", "203.0.113.1")]
    [InlineData("10", "0.0.0.10")]
    [InlineData("203.0.113.0/", "203.0.113.0")]
    [InlineData("203.0.113.0/-1", "203.0.113.0")]
    [InlineData("2001:db8::/129", "2001:db8::1")]
    [InlineData("not-an-ip", "203.0.113.1")]
    [InlineData("203.0.113.0/24", "203.0.113.1/32")]
    [InlineData("203.0.113.0/24", "localhost")]
    public void Malformed_addresses_and_ranges_match_neither_IpAddress_nor_NotIpAddress(string range, string address)
    {
        Assert.False(Holds("IpAddress", range, address));
        Assert.False(Holds("NotIpAddress", range, address));
    }

    [Fact]
    public void NotIpAddress_holds_only_outside_every_range()
    {
        var clause = Clause("NotIpAddress", "aws:SourceIp", "10.0.0.0/8", "2001:db8::/32");
        Assert.True(Holds(clause, Context(("aws:SourceIp", "192.0.2.1"))));
        Assert.False(Holds(clause, Context(("aws:SourceIp", "10.1.2.3"))));
        Assert.False(Holds(clause, Context(("aws:SourceIp", "2001:db8::5"))));
    }

    [Theory]
    [InlineData("arn:aws:logs:us-east-1:111122223333:log-group:*", "arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:x", true)]
    [InlineData("arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", false)]
    [InlineData("arn:aws:*:111122223333:role/x", "arn:aws:iam::111122223333:role/x", false)]
    [InlineData("arn:aws:iam::*:role/x", "arn:aws:iam::111122223333:role/x", true)]
    [InlineData("arn:aws:IAM::*:role/x", "arn:aws:iam::111122223333:role/x", false)]
    [InlineData("arn:aws:iam::111122223333:role/X", "arn:aws:iam::111122223333:role/x", false)]
    [InlineData("arn:*:iam::111122223333:*", "arn:aws-cn:iam::111122223333:role/a/b", true)]
    [InlineData("arn:aws:sqs:us-east-1:111122223333:queue?", "arn:aws:sqs:us-east-1:111122223333:queue1", true)]
    [InlineData("*", "arn:aws:iam::111122223333:role/x", false)]
    [InlineData("arn:aws:iam::*", "arn:aws:iam::111122223333:role/x", false)]
    public void Arn_operators_match_each_of_the_six_components_separately(string pattern, string arn, bool expected)
    {
        Assert.Equal(expected, Holds("ArnLike", pattern, arn));
        Assert.Equal(expected, Holds("ArnEquals", pattern, arn));
    }

    [Theory]
    [InlineData("not-an-arn")]
    [InlineData("arn:aws:iam::111122223333")]
    [InlineData("urn:aws:iam::111122223333:role/x")]
    [InlineData("")]
    public void A_request_value_that_is_not_an_ARN_matches_no_Arn_operator(string value)
    {
        Assert.False(Holds("ArnLike", "*:*:*:*:*:*", value));
        Assert.False(Holds("ArnEquals", "*:*:*:*:*:*", value));
        Assert.False(Holds("ArnNotLike", "arn:aws:iam::*:role/x", value));
        Assert.False(Holds("ArnNotEquals", "arn:aws:iam::*:role/x", value));
    }

    [Fact]
    public void ArnNotLike_does_not_hold_when_a_condition_value_is_not_an_ARN_and_nothing_matched()
    {
        var clause = Clause("ArnNotLike", "k", "garbage", "arn:aws:iam::*:role/admin");
        Assert.False(Holds(clause, Context(("k", "arn:aws:iam::111122223333:role/app"))));
        Assert.False(Holds(clause, Context(("k", "arn:aws:iam::111122223333:role/admin"))));
    }
}
