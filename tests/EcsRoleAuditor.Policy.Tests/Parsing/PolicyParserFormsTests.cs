using System.Text.Json;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Policy.Tests.Parsing;

public class PolicyParserFormsTests
{
    /// <summary>Test JSON with single quotes for double quotes.</summary>
    private static string Json(string text) => text.Replace('\'', '"');

    private const string ReadUploads =
        "{'Version':'2012-10-17','Id':'uploads','Statement':[{'Sid':'Read','Effect':'Allow','Action':['s3:GetObject','s3:ListBucket'],'Resource':'arn:aws:s3:::uploads/*'}]}";

    [Fact]
    public void Every_identity_element_is_read_into_the_model()
    {
        var document = PolicyParser.Parse(Json(ReadUploads), "inline:uploads");

        Assert.Equal("inline:uploads", document.Name);
        Assert.Equal(PolicyDocument.CurrentVersion, document.Version);
        Assert.True(document.PolicyVariablesEnabled);
        Assert.Equal("uploads", document.Id);
        var statement = Assert.Single(document.Statements);
        Assert.Equal(0, statement.Index);
        Assert.Equal("Read", statement.Sid);
        Assert.Equal("$.Statement[0]", statement.Path);
        Assert.Equal(Effect.Allow, statement.Effect);
        Assert.False(statement.Actions!.IsNegated);
        Assert.Equal(["s3:GetObject", "s3:ListBucket"], statement.Actions.Patterns.ToArray());
        Assert.False(statement.Resources!.IsNegated);
        Assert.Equal(["arn:aws:s3:::uploads/*"], statement.Resources.Patterns.ToArray());
        Assert.Null(statement.Principals);
        Assert.Empty(statement.Conditions);
    }

    [Fact]
    public void Statement_may_be_a_single_object_whose_path_has_no_index()
    {
        var asObject = PolicyParser.Parse(Json("{'Statement':{'Effect':'Deny','Action':'s3:*','Resource':'*'}}"), "p");
        var asArray = PolicyParser.Parse(Json("{'Statement':[{'Effect':'Deny','Action':'s3:*','Resource':'*'}]}"), "p");

        Assert.Equal("$.Statement", Assert.Single(asObject.Statements).Path);
        Assert.Equal("$.Statement[0]", Assert.Single(asArray.Statements).Path);
        Assert.Equal(PolicyModelText.Describe(asArray, withPaths: false), PolicyModelText.Describe(asObject, withPaths: false));
    }

    [Fact]
    public void Action_and_Resource_may_be_a_string_or_an_array()
    {
        var strings = PolicyParser.Parse(Json("{'Statement':[{'Effect':'Allow','Action':'ecr:GetAuthorizationToken','Resource':'*'}]}"), "p");
        var arrays = PolicyParser.Parse(Json("{'Statement':[{'Effect':'Allow','Action':['ecr:GetAuthorizationToken'],'Resource':['*']}]}"), "p");

        Assert.Equal(PolicyModelText.Describe(strings), PolicyModelText.Describe(arrays));
        Assert.Equal(["ecr:GetAuthorizationToken"], strings.Statements[0].Actions!.Patterns.ToArray());
    }

    [Fact]
    public void NotAction_and_NotResource_are_negated_lists()
    {
        var document = PolicyParser.Parse(Json("{'Statement':[{'Effect':'Deny','NotAction':['iam:*','sts:*'],'NotResource':'arn:aws:iam::*:role/app-*'}]}"), "p");

        var statement = document.Statements[0];
        Assert.True(statement.Actions!.IsNegated);
        Assert.Equal("NotAction", statement.Actions.ElementName);
        Assert.Equal(["iam:*", "sts:*"], statement.Actions.Patterns.ToArray());
        Assert.True(statement.Resources!.IsNegated);
        Assert.Equal(["arn:aws:iam::*:role/app-*"], statement.Resources.Patterns.ToArray());
    }

    [Fact]
    public void Version_may_be_absent_or_the_legacy_version()
    {
        var absent = PolicyParser.Parse(Json("{'Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}"), "p");
        var legacy = PolicyParser.Parse(Json("{'Version':'2008-10-17','Statement':{'Effect':'Allow','Action':'*','Resource':'*'}}"), "p");

        Assert.Null(absent.Version);
        Assert.False(absent.PolicyVariablesEnabled);
        Assert.Equal(PolicyDocument.LegacyVersion, legacy.Version);
        Assert.False(legacy.PolicyVariablesEnabled);
    }

    [Fact]
    public void Url_encoded_text_is_decoded_with_percent_escapes_only_and_plus_kept_literally()
    {
        // As IAM's GetPolicyVersion returns it: %7B for '{', %22 for '"', %0A for newlines, and '+' left as is.
        const string encoded = "%7B%0A%20%20%22Version%22%3A%20%222012-10-17%22%2C%0A%20%20%22Statement%22%3A%20%7B%22Effect%22%3A%22Allow%22%2C"
            + "%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Atax+returns%2F%2A%22%7D%0A%7D%0A";

        var document = PolicyParser.Parse(encoded, "arn:aws:iam::111122223333:policy/tax");

        Assert.Equal(["arn:aws:s3:::tax+returns/*"], document.Statements[0].Resources!.Patterns.ToArray());
        Assert.Equal(["s3:GetObject"], document.Statements[0].Actions!.Patterns.ToArray());
    }

    [Fact]
    public void Url_encoded_text_parses_to_the_same_model_as_its_json()
    {
        var json = Json(ReadUploads);

        var decoded = PolicyParser.Parse(Uri.EscapeDataString(json), "p");

        Assert.Equal(PolicyModelText.Describe(PolicyParser.Parse(json, "p")), PolicyModelText.Describe(decoded));
    }

    [Fact]
    public void Json_with_a_percent_sign_is_not_url_decoded()
    {
        var document = PolicyParser.Parse(Json("{'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/100%25+x'}}"), "p");

        Assert.Equal(["arn:aws:s3:::b/100%25+x"], document.Statements[0].Resources!.Patterns.ToArray());
    }

    [Fact]
    public void A_byte_order_mark_and_surrounding_whitespace_are_ignored()
    {
        var document = PolicyParser.Parse("\uFEFF \r\n\t" + Json(ReadUploads) + "\n\n  ", "p");

        Assert.Equal("Read", document.Statements[0].Sid);
        Assert.Equal("Read", PolicyParser.Parse("\uFEFF  " + Uri.EscapeDataString(Json(ReadUploads)) + " \n", "p").Statements[0].Sid);
    }

    [Fact]
    public void A_parsed_JsonElement_gives_the_same_model_as_the_text()
    {
        var json = Json(ReadUploads);
        using var cliOutput = JsonDocument.Parse($"{{\"PolicyVersion\":{{\"Document\":{json}}}}}");

        var document = PolicyParser.Parse(cliOutput.RootElement.GetProperty("PolicyVersion").GetProperty("Document"), "p");

        Assert.Equal(PolicyModelText.Describe(PolicyParser.Parse(json, "p")), PolicyModelText.Describe(document));
    }

    [Fact]
    public void A_JsonElement_string_holding_a_url_encoded_document_is_decoded_and_parsed()
    {
        var json = Json(ReadUploads);
        using var output = JsonDocument.Parse(JsonSerializer.Serialize(Uri.EscapeDataString(json)));

        var document = PolicyParser.Parse(output.RootElement, "p");

        Assert.Equal(PolicyModelText.Describe(PolicyParser.Parse(json, "p")), PolicyModelText.Describe(document));
    }

    [Fact]
    public void Text_that_is_a_JSON_string_holding_the_document_is_parsed()
    {
        var json = Json(ReadUploads);

        var document = PolicyParser.Parse(JsonSerializer.Serialize(json), "p");

        Assert.Equal(PolicyModelText.Describe(PolicyParser.Parse(json, "p")), PolicyModelText.Describe(document));
    }

    [Fact]
    public void Trust_policy_with_a_service_principal_needs_no_Resource()
    {
        const string trust = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow','Principal':{'Service':'ecs-tasks.amazonaws.com'},'Action':'sts:AssumeRole',"
            + "'Condition':{'StringEquals':{'aws:SourceAccount':'111122223333'},'ArnLike':{'aws:SourceArn':'arn:aws:ecs:eu-west-1:111122223333:*'}}}]}";

        var statement = PolicyParser.Parse(Json(trust), "trust", PolicyKind.Resource).Statements[0];

        Assert.Null(statement.Resources);
        Assert.False(statement.Principals!.IsNegated);
        Assert.Equal([new PrincipalEntry(PrincipalType.Service, "ecs-tasks.amazonaws.com")], statement.Principals.Entries.ToArray());
        Assert.False(statement.Principals.IncludesAnyone);
        Assert.Equal(["sts:AssumeRole"], statement.Actions!.Patterns.ToArray());
        Assert.Equal(2, statement.Conditions.Length);
    }

    [Fact]
    public void Principal_maps_every_principal_type_in_order()
    {
        const string policy = "{'Statement':{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/*','Principal':{"
            + "'AWS':['arn:aws:iam::111122223333:root','444455556666'],'Service':'ecs.amazonaws.com','Federated':'cognito-identity.amazonaws.com','CanonicalUser':'79a59df900b949e5'}}}";

        var principals = PolicyParser.Parse(Json(policy), "bucket", PolicyKind.Resource).Statements[0].Principals!;

        Assert.Equal(
            [
                new PrincipalEntry(PrincipalType.Aws, "arn:aws:iam::111122223333:root"),
                new PrincipalEntry(PrincipalType.Aws, "444455556666"),
                new PrincipalEntry(PrincipalType.Service, "ecs.amazonaws.com"),
                new PrincipalEntry(PrincipalType.Federated, "cognito-identity.amazonaws.com"),
                new PrincipalEntry(PrincipalType.CanonicalUser, "79a59df900b949e5"),
            ],
            principals.Entries.ToArray());
    }

    [Theory]
    [InlineData("'*'", PrincipalType.Anyone)]
    [InlineData("{'AWS':'*'}", PrincipalType.Aws)]
    public void Star_principals_include_anyone(string principal, PrincipalType type)
    {
        var principals = PolicyParser.Parse(Json($"{{'Statement':{{'Effect':'Allow','Principal':{principal},'Action':'s3:GetObject','Resource':'*'}}}}"), "p", PolicyKind.Resource)
            .Statements[0].Principals!;

        Assert.Equal([new PrincipalEntry(type, "*")], principals.Entries.ToArray());
        Assert.True(principals.IncludesAnyone);
    }

    [Fact]
    public void NotPrincipal_is_a_negated_principal_list()
    {
        var principals = PolicyParser.Parse(Json("{'Statement':{'Effect':'Deny','NotPrincipal':{'AWS':'arn:aws:iam::111122223333:role/admin'},'Action':'s3:*','Resource':'*'}}"), "p", PolicyKind.Resource)
            .Statements[0].Principals!;

        Assert.True(principals.IsNegated);
        Assert.Equal("NotPrincipal", principals.ElementName);
    }

    [Fact]
    public void Policy_variables_and_wildcards_in_resources_are_kept_as_written()
    {
        var resources = PolicyParser.Parse(Json("{'Statement':{'Effect':'Allow','Action':'s3:*','Resource':['arn:aws:s3:::home/${aws:username}/*','arn:*:s3:::*']}}"), "p")
            .Statements[0].Resources!.Patterns.ToArray();

        Assert.Equal(["arn:aws:s3:::home/${aws:username}/*", "arn:*:s3:::*"], resources);
    }

    [Fact]
    public void TryParse_returns_the_document_or_the_error()
    {
        Assert.True(PolicyParser.TryParse(Json(ReadUploads), "p", PolicyKind.Identity, out var document, out var noError));
        Assert.NotNull(document);
        Assert.Null(noError);

        Assert.False(PolicyParser.TryParse("{", "p", PolicyKind.Identity, out var none, out var error));
        Assert.Null(none);
        Assert.Equal("p", error!.PolicyName);
    }
}
