using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Aws.Tests;

public sealed class ContractTests
{
    [Fact]
    public void String_array_attributes_carry_their_values_as_a_json_array()
    {
        var attribute = SnsMessageAttributeValue.TextList(["ERA021", "ERA0\"41"]);

        Assert.Equal("String.Array", attribute.DataType);
        Assert.Equal("[\"ERA021\",\"ERA0\\u002241\"]", attribute.Value);
    }

    [Fact]
    public void String_array_attributes_escape_as_the_default_json_encoder_does()
    {
        var attribute = SnsMessageAttributeValue.TextList(["é<&'", "", "a\nb"]);

        Assert.Equal("[\"\\u00E9\\u003C\\u0026\\u0027\",\"\",\"a\\nb\"]", attribute.Value);
        Assert.Equal(["é<&'", "", "a\nb"], System.Text.Json.JsonDocument.Parse(attribute.Value).RootElement.EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Number_attributes_use_invariant_digits()
    {
        Assert.Equal(new SnsMessageAttributeValue("Number", "-42"), SnsMessageAttributeValue.Numeric(-42));
    }
}
