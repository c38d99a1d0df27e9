using System.Text.Json;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Policy.Tests.Parsing;

public class PolicyParserErrorTests
{
    private static string Json(string text) => text.Replace('\'', '"');

    private static PolicyParseError ErrorOf(string text, PolicyKind kind = PolicyKind.Identity) =>
        Assert.Throws<PolicyParseException>(() => PolicyParser.Parse(text, "policy.json", kind)).Error;

    private static PolicyParseError StructureErrorOf(string json, PolicyKind kind = PolicyKind.Identity)
    {
        var error = ErrorOf(Json(json), kind);
        Assert.Null(error.Line);
        Assert.Null(error.Column);
        return error;
    }

    private static string Statement(string elements) => $"{{'Version':'2012-10-17','Statement':[{{{elements}}}]}}";

    private const string Allow = "'Effect':'Allow','Action':'s3:GetObject','Resource':'*'";

    // ---- JSON syntax: 1-based line and character column ----

    [Fact]
    public void Trailing_comma_is_reported_at_its_line_and_column()
    {
        const string text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"},\n  ]\n}";

        var error = ErrorOf(text);

        Assert.Equal((5L, 3L), (error.Line, error.Column));
        Assert.Null(error.JsonPath);
        Assert.Equal("policy.json: 5:3: invalid JSON: a trailing comma before a closing bracket or brace is not allowed", error.ToString());
    }

    [Fact]
    public void Unterminated_string_is_reported_at_its_line()
    {
        var error = ErrorOf("{\n  \"Version\": \"2012-10-17,\n  \"Statement\": []\n}");

        Assert.Equal(2L, error.Line);
        Assert.StartsWith("invalid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Columns_count_characters_not_utf8_bytes()
    {
        // "ü" and "€" take 2 and 3 bytes in UTF-8; the stray 'x' is the 31st character of line 1.
        var error = ErrorOf("{\"Id\": \"üüü€€€\", \"Statement\": x}");

        Assert.Equal((1L, 31L), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("{\"Version\":\"2012-10-17\",\n \"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get\\udc4c\",\"Resource\":\"*\"}]}", 2L, 42L)]
    [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Eff\\uD800ect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}", 1L, 39L)]
    public void An_escaped_lone_surrogate_is_a_json_error_with_its_position(string json, long line, long column)
    {
        var error = ErrorOf(json);

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith("invalid JSON: a string holds an escaped lone surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_escaped_surrogate_pair_is_text()
    {
        var document = PolicyParser.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Cat\\ud83d\\ude3a\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}", "pair");

        Assert.Equal("Cat\U0001F63A", document.Statements[0].Sid);
    }

    [Fact]
    public void Comments_are_not_allowed()
    {
        var error = ErrorOf("{\n// all reads\n\"Statement\": []}");

        Assert.Equal((2L, 1L), (error.Line, error.Column));
        Assert.Equal("invalid JSON: comments are not allowed in a policy document", error.Message);
    }

    [Fact]
    public void Syntax_errors_in_url_encoded_text_say_the_position_is_in_the_decoded_text()
    {
        var error = ErrorOf("%7B%22Statement%22%3A%5B%5D%2C%7D");

        Assert.Equal(1L, error.Line);
        Assert.EndsWith("(in the URL-decoded text)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\uFEFF")]
    [InlineData("{")]
    [InlineData("{} {}")]
    [InlineData("%")]
    [InlineData("%E0%A4%A")]
    [InlineData("\ud800{}")]
    public void Text_that_is_not_json_is_a_syntax_error_with_a_position(string text)
    {
        var error = ErrorOf(text);

        Assert.NotNull(error.Line);
        Assert.NotNull(error.Column);
    }

    [Fact]
    public void Deeply_nested_input_is_a_clean_error()
    {
        var error = ErrorOf(new string('[', 100_000) + new string(']', 100_000));

        Assert.Equal((1L, (long)PolicyText.MaxDepth + 1), (error.Line, error.Column));
        Assert.Contains("nested deeper than", error.Message, StringComparison.Ordinal);
    }

    // ---- document structure: JSON paths ----

    [Fact]
    public void Null_text_is_an_error_without_a_place()
    {
        var error = Assert.Throws<PolicyParseException>(() => PolicyParser.Parse((string)null!, "p")).Error;

        Assert.Equal("p: there is no document text (null)", error.ToString());
    }

    [Fact]
    public void An_empty_JsonElement_is_an_error()
    {
        var error = Assert.Throws<PolicyParseException>(() => PolicyParser.Parse(default(JsonElement), "p")).Error;

        Assert.Equal("$", error.JsonPath);
    }

    [Fact]
    public void A_JsonElement_of_a_disposed_document_is_an_error()
    {
        var document = JsonDocument.Parse(Json(Statement(Allow)));
        var root = document.RootElement;
        document.Dispose();

        Assert.Throws<PolicyParseException>(() => PolicyParser.Parse(root, "p"));
    }

    [Theory]
    [InlineData("[]", "a policy document must be a JSON object, found an array")]
    [InlineData("42", "a policy document must be a JSON object, found a number")]
    [InlineData("'\\'{}\\''", "the JSON string holds another JSON string; expected a policy document (a JSON object)")]
    [InlineData("{}", "the policy has no Statement element (it is required)")]
    [InlineData("{'Version':'2012-10-17','Statement':[]}", "Statement must hold at least one statement, found an empty array")]
    public void Documents_without_statements_are_errors(string json, string message)
    {
        var error = ErrorOf(Json(json));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Missing_Effect_names_the_statement()
    {
        var error = StructureErrorOf($"{{'Statement':[{{{Allow}}},{{'Action':'s3:GetObject','Resource':'*'}}]}}");

        Assert.Equal("policy.json: $.Statement[1]: the statement has no Effect element (it is required: \"Allow\" or \"Deny\")", error.ToString());
    }

    [Theory]
    [InlineData("allow ")]
    [InlineData("allow")]
    [InlineData("ALLOW")]
    [InlineData("Permit")]
    public void Effect_must_be_exactly_Allow_or_Deny(string effect)
    {
        var error = StructureErrorOf(Statement($"'Effect':'{effect}','Action':'s3:GetObject','Resource':'*'"));

        Assert.Equal("$.Statement[0].Effect", error.JsonPath);
        Assert.Equal($"Effect must be \"Allow\" or \"Deny\" (case-sensitive), not \"{effect}\"", error.Message);
    }

    [Fact]
    public void Action_without_a_service_prefix_is_named_with_its_path()
    {
        var error = StructureErrorOf(Statement("'Effect':'Allow','Action':['s3:ListBucket','GetObject'],'Resource':'*'"));

        Assert.Equal("$.Statement[0].Action[1]", error.JsonPath);
        Assert.Equal("\"GetObject\" is an action without a service prefix; write \"service:action\", e.g. \"s3:GetObject\" (or \"*\")", error.Message);
    }

    [Theory]
    [InlineData("':GetObject'", "$.Statement[0].Action", "\":GetObject\" has an empty service prefix")]
    [InlineData("'s3:'", "$.Statement[0].Action", "\"s3:\" has no action name after the service prefix")]
    [InlineData("''", "$.Statement[0].Action", "\"\" is an action without a service prefix")]
    [InlineData("[]", "$.Statement[0].Action", "Action must not be an empty array")]
    [InlineData("42", "$.Statement[0].Action", "Action must be a string or an array of strings, found a number")]
    [InlineData("['s3:GetObject',null]", "$.Statement[0].Action[1]", "each Action entry must be a string, found null")]
    [InlineData("{'s3':'GetObject'}", "$.Statement[0].Action", "Action must be a string or an array of strings, found an object")]
    public void Malformed_actions_are_errors(string action, string path, string messageStart)
    {
        var error = StructureErrorOf(Statement($"'Effect':'Allow','Action':{action},'Resource':'*'"));

        Assert.Equal(path, error.JsonPath);
        Assert.StartsWith(messageStart, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'uploads/*'", "$.Statement[0].Resource", "\"uploads/*\" is neither \"*\" nor an ARN (ARNs start with \"arn:\")")]
    [InlineData("['*','ARN:aws:s3:::b']", "$.Statement[0].Resource[1]", "\"ARN:aws:s3:::b\" is neither \"*\" nor an ARN (ARNs start with \"arn:\")")]
    [InlineData("[]", "$.Statement[0].Resource", "Resource must not be an empty array")]
    public void Resources_must_be_star_or_ARNs(string resource, string path, string message)
    {
        var error = StructureErrorOf(Statement($"'Effect':'Allow','Action':'s3:*','Resource':{resource}"));

        Assert.Equal((path, message), (error.JsonPath, error.Message));
    }

    [Theory]
    [InlineData("'Action':'s3:GetObject','NotAction':'s3:PutObject','Resource':'*'", "$.Statement[0].NotAction", "a statement may have Action or NotAction, not both")]
    [InlineData("'NotResource':'*','Action':'s3:GetObject','Resource':'*'", "$.Statement[0].Resource", "a statement may have NotResource or Resource, not both")]
    [InlineData("'Resource':'*'", "$.Statement[0]", "the statement has neither Action nor NotAction (one of them is required)")]
    [InlineData("'Action':'s3:GetObject'", "$.Statement[0]", "the statement has neither Resource nor NotResource (one of them is required in an identity policy)")]
    public void Action_and_Resource_need_exactly_one_form(string elements, string path, string message)
    {
        var error = StructureErrorOf(Statement("'Effect':'Allow'," + elements));

        Assert.Equal((path, message), (error.JsonPath, error.Message));
    }

    [Theory]
    [InlineData("Principal")]
    [InlineData("NotPrincipal")]
    public void Principal_in_an_identity_policy_is_an_error(string element)
    {
        var error = StructureErrorOf(Statement($"{Allow},'{element}':{{'AWS':'*'}}"));

        Assert.Equal($"$.Statement[0].{element}", error.JsonPath);
        Assert.Equal($"{element} is not allowed in an identity policy or permission boundary (only resource-based and trust policies name principals)", error.Message);
    }

    [Theory]
    [InlineData("", "$.Statement[0]", "the statement has neither Principal nor NotPrincipal (one of them is required in a resource-based or trust policy)")]
    [InlineData(",'Principal':'ecs-tasks.amazonaws.com'", "$.Statement[0].Principal", "Principal must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::111122223333:root\"}, not the string \"ecs-tasks.amazonaws.com\"")]
    [InlineData(",'Principal':{}", "$.Statement[0].Principal", "Principal must name at least one principal, found an empty object")]
    [InlineData(",'Principal':{'Service':[]}", "$.Statement[0].Principal.Service", "Service must not be an empty array")]
    [InlineData(",'Principal':{'service':'ecs.amazonaws.com'}", "$.Statement[0].Principal.service", "unknown principal type \"service\" in a Principal (names are case-sensitive: did you mean \"Service\"?)")]
    [InlineData(",'Principal':{'Group':'x'}", "$.Statement[0].Principal.Group", "unknown principal type \"Group\" in a Principal; allowed: AWS, Service, Federated, CanonicalUser")]
    [InlineData(",'Principal':{'AWS':'*','AWS':'111122223333'}", "$.Statement[0].Principal.AWS", "duplicate key \"AWS\" (JSON objects in a policy may not repeat a key)")]
    [InlineData(",'Principal':'*','NotPrincipal':'*'", "$.Statement[0].NotPrincipal", "a statement may have Principal or NotPrincipal, not both")]
    [InlineData(",'Principal':[]", "$.Statement[0].Principal", "Principal must be \"*\" or an object mapping AWS, Service, Federated or CanonicalUser to principals, found an array")]
    public void Resource_policy_principals_are_checked(string principal, string path, string message)
    {
        var error = StructureErrorOf(Statement("'Effect':'Allow','Action':'sts:AssumeRole'" + principal), PolicyKind.Resource);

        Assert.Equal((path, message), (error.JsonPath, error.Message));
    }

    [Theory]
    [InlineData("{'Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*'},'Statement':[]}", "$.Statement", "duplicate key \"Statement\" (JSON objects in a policy may not repeat a key)")]
    [InlineData("{'Statement':{'Effect':'Allow','Effect':'Deny','Action':'s3:*','Resource':'*'}}", "$.Statement.Effect", "duplicate key \"Effect\" (JSON objects in a policy may not repeat a key)")]
    [InlineData("{'Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'Bool':{'aws:SecureTransport':'true'},'Bool':{}}}}", "$.Statement.Condition.Bool", "duplicate condition operator \"Bool\" (JSON objects in a policy may not repeat a key)")]
    [InlineData("{'Statement':{'Effect':'Allow','Action':'s3:*','Resource':'*','Condition':{'StringEquals':{'aws:SourceAccount':'1','aws:SourceAccount':'2'}}}}", "$.Statement.Condition.StringEquals['aws:SourceAccount']", "duplicate condition key \"aws:SourceAccount\" (JSON objects in a policy may not repeat a key)")]
    public void Duplicate_keys_are_named_with_their_path(string json, string path, string message)
    {
        var error = StructureErrorOf(json);

        Assert.Equal((path, message), (error.JsonPath, error.Message));
    }

    [Fact]
    public void Duplicate_Sids_are_an_error_in_identity_policies()
    {
        var error = StructureErrorOf($"{{'Statement':[{{'Sid':'A',{Allow}}},{{'Sid':'A',{Allow}}}]}}");

        Assert.Equal("$.Statement[1].Sid", error.JsonPath);
        Assert.Equal("duplicate Sid \"A\" (also at $.Statement[0].Sid); Sids must be unique within a policy", error.Message);
    }

    [Theory]
    [InlineData("{'Version':'2012-10-17','statement':[]}", "$.statement", "unknown element \"statement\" in a policy document (names are case-sensitive: did you mean \"Statement\"?)")]
    [InlineData("{'Version':'2012-10-17','Statements':[]}", "$.Statements", "unknown element \"Statements\" in a policy document; allowed: Version, Id, Statement")]
    [InlineData("{'Statement':[{'effect':'Allow','Action':'s3:*','Resource':'*'}]}", "$.Statement[0].effect", "unknown element \"effect\" in a statement (names are case-sensitive: did you mean \"Effect\"?)")]
    [InlineData("{'Statement':[{'Effect':'Allow','Action':'s3:*','Resource':'*','Conditions':{}}]}", "$.Statement[0].Conditions", "unknown element \"Conditions\" in a statement; allowed: Sid, Effect, Action, NotAction, Resource, NotResource, Principal, NotPrincipal, Condition")]
    [InlineData("{'Statement':[{'Effect':'Allow','Action':'s3:*','Resource':'*','x y':1}]}", "$.Statement[0]['x y']", "unknown element \"x y\" in a statement; allowed: Sid, Effect, Action, NotAction, Resource, NotResource, Principal, NotPrincipal, Condition")]
    public void Unknown_elements_are_named(string json, string path, string message)
    {
        var error = StructureErrorOf(json);

        Assert.Equal((path, message), (error.JsonPath, error.Message));
    }

    [Theory]
    [InlineData("{'Version':'2012-10-18','Statement':[]}", "$.Version", "Version must be \"2012-10-17\" or \"2008-10-17\" (or absent), not \"2012-10-18\"")]
    [InlineData("{'Version':20121017,'Statement':[]}", "$.Version", "Version must be a string, found a number")]
    [InlineData("{'Id':['a'],'Statement':[]}", "$.Id", "Id must be a string, found an array")]
    [InlineData("{'Statement':'Allow'}", "$.Statement", "Statement must be an object or an array of objects, found a string")]
    [InlineData("{'Statement':[{'Effect':'Allow','Action':'s3:*','Resource':'*'},null]}", "$.Statement[1]", "each statement must be a JSON object, found null")]
    [InlineData("{'Statement':[{'Sid':1,'Effect':'Allow','Action':'s3:*','Resource':'*'}]}", "$.Statement[0].Sid", "Sid must be a string, found a number")]
    [InlineData("{'Statement':[{'Effect':true,'Action':'s3:*','Resource':'*'}]}", "$.Statement[0].Effect", "Effect must be a string, found a boolean")]
    public void Wrong_json_types_say_what_was_expected_and_found(string json, string path, string message)
    {
        var error = StructureErrorOf(json);

        Assert.Equal((path, message), (error.JsonPath, error.Message));
    }

    // ---- Condition ----

    private static PolicyParseError ConditionErrorOf(string condition) =>
        StructureErrorOf(Statement($"{Allow},'Condition':{condition}"));

    [Fact]
    public void Unknown_operator_is_named_with_a_suggestion()
    {
        var error = ConditionErrorOf("{'StringEqualz':{'aws:SourceAccount':'111122223333'}}");

        Assert.Equal("$.Statement[0].Condition.StringEqualz", error.JsonPath);
        Assert.Equal("unknown condition operator \"StringEqualz\" (did you mean \"StringEquals\"?)", error.Message);
    }

    [Theory]
    [InlineData("stringEquals", "$.Statement[0].Condition.stringEquals", "unknown condition operator \"stringEquals\" (operator names are case-sensitive: did you mean \"StringEquals\"?)")]
    [InlineData("forAnyValue:stringlikeifexists", "$.Statement[0].Condition['forAnyValue:stringlikeifexists']", "unknown condition operator \"forAnyValue:stringlikeifexists\" (operator names are case-sensitive: did you mean \"ForAnyValue:StringLikeIfExists\"?)")]
    [InlineData("NullIfExists", "$.Statement[0].Condition.NullIfExists", "\"NullIfExists\": IfExists cannot be added to the Null operator (Null itself tests whether the key exists)")]
    [InlineData("ForSomeValues:StringLike", "$.Statement[0].Condition['ForSomeValues:StringLike']", "unknown condition operator \"ForSomeValues:StringLike\"; valid operators are ")]
    [InlineData("IfExists", "$.Statement[0].Condition.IfExists", "unknown condition operator \"IfExists\"; valid operators are ")]
    public void Operator_names_are_case_sensitive_and_checked(string @operator, string path, string messageStart)
    {
        var error = ConditionErrorOf($"{{'{@operator}':{{'aws:SourceAccount':'1'}}}}");

        Assert.Equal(path, error.JsonPath);
        Assert.StartsWith(messageStart, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "$.Statement[0].Condition", "Condition must be an object mapping condition operators to {key: values} objects, found an array")]
    [InlineData("{'StringEquals':'x'}", "$.Statement[0].Condition.StringEquals", "the StringEquals block must be an object mapping condition keys to values, found a string")]
    [InlineData("{'StringEquals':{'aws:SourceAccount':[]}}", "$.Statement[0].Condition.StringEquals['aws:SourceAccount']", "a condition key needs at least one value, found an empty array")]
    [InlineData("{'StringEquals':{'aws:SourceAccount':{'a':'b'}}}", "$.Statement[0].Condition.StringEquals['aws:SourceAccount']", "a condition value must be a string, number, boolean or an array of those, found an object")]
    [InlineData("{'StringEquals':{'aws:SourceAccount':null}}", "$.Statement[0].Condition.StringEquals['aws:SourceAccount']", "a condition value must be a string, number, boolean or an array of those, found null")]
    [InlineData("{'StringEquals':{'aws:SourceAccount':['1',['2']]}}", "$.Statement[0].Condition.StringEquals['aws:SourceAccount'][1]", "each condition value must be a string, number or boolean, found an array")]
    [InlineData("{'StringEquals':{'':'1'}}", "$.Statement[0].Condition.StringEquals['']", "a condition key must not be empty")]
    public void Malformed_condition_blocks_are_errors(string condition, string path, string message)
    {
        var error = ConditionErrorOf(condition);

        Assert.Equal((path, message), (error.JsonPath, error.Message));
    }

    [Fact]
    public void Error_text_stays_on_one_line_whatever_the_input_holds()
    {
        var error = ErrorOf(Json(Statement("'Effect':'Allow\\n\\u0007','Action':'s3:*','Resource':'*'")));

        Assert.Equal("policy.json: $.Statement[0].Effect: Effect must be \"Allow\" or \"Deny\" (case-sensitive), not \"Allow\\n\\u0007\"", error.ToString());
    }

    [Fact]
    public void Exception_message_is_the_error_text()
    {
        var exception = Assert.Throws<PolicyParseException>(() => PolicyParser.Parse("{\"Statement\":[]}", "inline:app"));

        Assert.Equal("inline:app: $.Statement: Statement must hold at least one statement, found an empty array", exception.Message);
    }
}
