using EcsRoleAuditor.Audit.Inputs;
using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Audit.Suppressions;

namespace EcsRoleAuditor.Audit.Tests.Suppressions;

/// <summary>Configured suppressions that could cover more than their authors meant, or hide which entry applies, are refused.</summary>
public class SuppressionConfigTests
{
    private static string ErrorOf(string json) => Assert.Throws<InputException>(() => SuppressionConfig.Parse(json, "s.json")).Message;

    [Fact]
    public void A_well_formed_list_is_read()
    {
        var suppression = Assert.Single(SuppressionConfig.Parse("""[{"rule":"era012","role":"arn:aws:iam::*:role/legacy-*","family":"legacy-*","reason":"migrating"}]""", "s.json"));

        Assert.Equal(new Suppression(NoConfusedDeputyGuardRule.Rule, "arn:aws:iam::*:role/legacy-*", "legacy-*", "migrating"), suppression);
    }

    // A null role or family would read as "absent", and absent means any: a suppression for every role.
    [Theory]
    [InlineData("""[{"rule":"ERA012","role":null,"reason":"r"}]""", "s.json: $[0].role: is null; leave the key out to cover any")]
    [InlineData("""[{"rule":"ERA012","family":null,"reason":"r"}]""", "s.json: $[0].family: is null; leave the key out to cover any")]
    [InlineData("""[{"rule":"ERA012","reason":" \t "}]""", "s.json: $[0].reason: is blank; say why the finding is accepted")]
    [InlineData("""[{"rule":"ERA012","reason":"\u200b"}]""", "s.json: $[0].reason: is blank; say why the finding is accepted")]
    [InlineData("""[{"rule":"ERA012","reason":"\ufeff\u202e\u0000\u001b "}]""", "s.json: $[0].reason: is blank; say why the finding is accepted")]
    public void A_null_narrowing_or_a_blank_reason_is_an_error(string json, string expected)
    {
        Assert.Equal(expected, ErrorOf(json));
    }

    [Theory]
    [InlineData("""[{"rule":"ERA012","reason":"a"},{"rule":"ERA020","reason":"b"},{"rule":"era012","reason":"c"}]""", "$[2]")]
    [InlineData("""[{"rule":"ERA012","role":"arn:aws:iam::*:role/Legacy-*","reason":"a"},{"rule":"ERA012","role":"arn:aws:iam::*:role/legacy-*","reason":"b"}]""", "$[1]")]
    [InlineData("""[{"rule":"ERA012","family":"web","reason":"a"},{"rule":"ERA012","family":"WEB","reason":"a"}]""", "$[1]")]
    public void Entries_that_differ_only_by_case_are_an_error_naming_both(string json, string second)
    {
        var error = ErrorOf(json);

        Assert.StartsWith($"s.json: {second}: ", error, StringComparison.Ordinal);
        Assert.Contains("the same rule, role and family as $[0]", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_for_different_roles_or_families_are_not_duplicates()
    {
        var read = SuppressionConfig.Parse("""[{"rule":"ERA012","reason":"a"},{"rule":"ERA012","family":"web","reason":"a"},{"rule":"ERA012","role":"arn:aws:iam::*:role/web","reason":"a"}]""", "s.json");

        Assert.Equal(3, read.Length);
    }

    [Fact]
    public void A_file_names_the_unknown_key_and_rule()
    {
        Assert.Equal("s.json: $[0].famly: unknown key; a suppression has only \"rule\", \"role\", \"family\", \"reason\"", ErrorOf("""[{"rule":"ERA012","reason":"r","famly":"x"}]"""));
        Assert.StartsWith("s.json: $[0].rule: no rule ERA999;", ErrorOf("""[{"rule":"ERA999","reason":"r"}]"""), StringComparison.Ordinal);
    }

    [Fact]
    public void A_quoted_key_or_rule_stays_on_one_line()
    {
        Assert.StartsWith("s.json: $[0].fam\\nly: unknown key;", ErrorOf("""[{"rule":"ERA012","reason":"r","fam\nly":"x"}]"""), StringComparison.Ordinal);
        Assert.StartsWith("s.json: $[0].rule: no rule ERA\\u001B[2J;", ErrorOf("""[{"rule":"ERA\u001b[2J","reason":"r"}]"""), StringComparison.Ordinal);
    }

    // The SUPPRESSIONS variable may hold anything someone pasted, so its errors say where, never what.
    [Theory]
    [InlineData("""[{"rule":"s3cr3t","reason":"r"}]""", "SUPPRESSIONS: $[0].rule: no such rule; 'ecs-role-auditor rules' lists them")]
    [InlineData("""[{"rule":"ERA012","reason":"r","s3cr3t":"x"}]""", "SUPPRESSIONS: $[0]: key 3 is unknown; a suppression has only \"rule\", \"role\", \"family\", \"reason\"")]
    [InlineData("""[{"rule":"ERA012","reason":"r","s3cr3t":"x","s3cr3t":"y"}]""", "SUPPRESSIONS: a duplicate key at line 1, column 45; a key may appear once in an object")]
    [InlineData("""[{"rule":"ERA012","reason":"r"}, s3cr3t]""", "SUPPRESSIONS: not valid JSON at line 1, column 34")]
    public void A_variable_is_never_quoted_in_its_errors(string json, string expected)
    {
        var error = Assert.Throws<InputException>(() => SuppressionConfig.ParseVariable(json, "SUPPRESSIONS")).Message;

        Assert.Equal(expected, error);
        Assert.DoesNotContain("s3cr3t", error, StringComparison.Ordinal);
    }
}
