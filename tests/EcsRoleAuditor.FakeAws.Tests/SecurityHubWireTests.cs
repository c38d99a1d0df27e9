using System.Net;
using System.Text.Json.Nodes;
using static EcsRoleAuditor.FakeAws.Tests.SecurityHubServer;
using static EcsRoleAuditor.FakeAws.Tests.SecurityHubWire;

namespace EcsRoleAuditor.FakeAws.Tests;

/// <summary>
/// Security Hub's three operations on the fake: batch limits, how an import updates a finding, BatchUpdateFindings,
/// GetFindings' filters and pages, and the error answers. Sources: "BatchImportFindings", "BatchUpdateFindings",
/// "GetFindings", "StringFilter", "MapFilter" (AWS Security Hub API Reference,
/// https://docs.aws.amazon.com/securityhub/1.0/APIReference/) and "BatchImportFindings for finding providers"
/// (User Guide, https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchimportfindings.html).
/// </summary>
public sealed class SecurityHubWireTests
{
    private static JsonObject Stored(FakeAwsServer aws, string id) => aws.SecurityHub.Findings(Account, Region).Single(f => f.Id == id).Node;

    private static JsonObject Findings(params JsonObject[] findings) => new() { ["Findings"] = new JsonArray([.. findings.Select(f => (JsonNode)f)]) };

    // "BatchImportFindings" (API Reference): Findings, "Maximum of 100 findings per request"; the model's minimum is 1.
    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task An_import_of_no_or_more_than_100_findings_is_refused_whole(int count)
    {
        await using var aws = await StartAsync();

        var error = await ErrorAsync(aws, HttpMethod.Post, "/findings/import", Findings([.. Enumerable.Range(0, count).Select(i => Finding($"f{i}"))]));

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidInputException"), error);
        Assert.Empty(aws.SecurityHub.Findings(Account, Region));
    }

    [Fact]
    public async Task An_import_of_100_findings_is_taken()
    {
        await using var aws = await StartAsync();

        var answer = await ImportAsync(aws, [.. Enumerable.Range(0, 100).Select(i => Finding($"f{i}"))]);

        Assert.Equal((100, 0), (answer["SuccessCount"]!.GetValue<int>(), answer["FailedCount"]!.GetValue<int>()));
        Assert.Equal(100, aws.SecurityHub.Findings(Account, Region).Count);
    }

    private static JsonObject OfSize(string id, int bytes)
    {
        var finding = Finding(id);
        finding["Resources"]![0]!["Details"] = new JsonObject { ["Other"] = new JsonObject { ["padding"] = "" } };
        var padding = bytes - System.Text.Encoding.UTF8.GetByteCount(finding.ToJsonString());
        finding["Resources"]![0]!["Details"]!["Other"]!["padding"] = new string('p', padding);
        Assert.Equal(bytes, System.Text.Encoding.UTF8.GetByteCount(finding.ToJsonString()));
        return finding;
    }

    // "BatchImportFindings for finding providers": up to 240 KB per finding and 6 MB per batch.
    [Fact]
    public async Task A_finding_over_240_KB_fails_alone_and_one_of_240_KB_is_taken()
    {
        await using var aws = await StartAsync();

        var answer = await ImportAsync(aws, OfSize("largest", 240 * 1024), OfSize("too-large", (240 * 1024) + 1));

        Assert.Equal(1, answer["SuccessCount"]!.GetValue<int>());
        var failed = Assert.Single(answer["FailedFindings"]!.AsArray())!;
        Assert.Equal(("too-large", "FindingSizeExceeded"), (failed["Id"]!.GetValue<string>(), failed["ErrorCode"]!.GetValue<string>()));
        Assert.Equal(["largest"], aws.SecurityHub.Findings(Account, Region).Select(f => f.Id));
    }

    [Fact]
    public async Task An_import_over_6_MB_is_refused_whole()
    {
        await using var aws = await StartAsync();
        var findings = Enumerable.Range(0, 26).Select(i => OfSize($"f{i}", 240 * 1024)).ToArray();

        var error = await ErrorAsync(aws, HttpMethod.Post, "/findings/import", Findings(findings));

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidInputException"), error);
        Assert.Empty(aws.SecurityHub.Findings(Account, Region));
    }

    // "Determining whether to create or update a finding": a later UpdatedAt updates; the same or an earlier one is ignored.
    [Theory]
    [InlineData("2026-12-01T10:00:00.000Z")]
    [InlineData("2026-12-01T09:59:59.999Z")]
    public async Task An_import_not_later_than_the_stored_finding_is_ignored(string updatedAt)
    {
        await using var aws = await StartAsync();
        await ImportAsync(aws, Finding("f"));
        var stale = Finding("f", updatedAt);
        stale["Title"] = "Changed";

        var answer = await ImportAsync(aws, stale);

        Assert.Equal((1, 0), (answer["SuccessCount"]!.GetValue<int>(), answer["FailedCount"]!.GetValue<int>()));
        Assert.Equal("Task role holds ECR pull permissions", Stored(aws, "f")["Title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_later_import_updates_the_finding_but_not_its_workflow_or_note()
    {
        await using var aws = await StartAsync();
        await ImportAsync(aws, Finding("f"));
        await UpdateAsync(aws, new JsonObject
        {
            ["FindingIdentifiers"] = new JsonArray(Identifier("f")),
            ["Workflow"] = new JsonObject { ["Status"] = "SUPPRESSED" },
            ["Note"] = new JsonObject { ["Text"] = "accepted risk", ["UpdatedBy"] = "alice" },
        });
        var later = Finding("f", "2026-12-02T10:00:00.000Z");
        later["Title"] = "Changed";
        later["Workflow"] = new JsonObject { ["Status"] = "NEW" };
        later["Note"] = new JsonObject { ["Text"] = "provider note", ["UpdatedBy"] = "provider", ["UpdatedAt"] = "2026-12-02T10:00:00Z" };
        later["UserDefinedFields"] = new JsonObject { ["owner"] = "provider" };

        await ImportAsync(aws, later);

        var stored = Stored(aws, "f");
        Assert.Equal(("Changed", "2026-12-02T10:00:00.000Z"), (stored["Title"]!.GetValue<string>(), stored["UpdatedAt"]!.GetValue<string>()));
        Assert.Equal("SUPPRESSED", stored["Workflow"]!["Status"]!.GetValue<string>());
        Assert.Equal(("accepted risk", "alice"), (stored["Note"]!["Text"]!.GetValue<string>(), stored["Note"]!["UpdatedBy"]!.GetValue<string>()));
        Assert.Null(stored["UserDefinedFields"]);
    }

    // The restriction is for existing findings only: a new finding keeps the import's Workflow; without one it is NEW.
    [Fact]
    public async Task A_new_finding_takes_the_imports_workflow_or_starts_new_and_active()
    {
        await using var aws = await StartAsync();
        var notified = Finding("notified");
        notified["Workflow"] = new JsonObject { ["Status"] = "NOTIFIED" };

        await ImportAsync(aws, notified, Finding("plain"));

        Assert.Equal("NOTIFIED", Stored(aws, "notified")["Workflow"]!["Status"]!.GetValue<string>());
        var plain = Stored(aws, "plain");
        Assert.Equal(("NEW", "ACTIVE", Region), (plain["Workflow"]!["Status"]!.GetValue<string>(), plain["RecordState"]!.GetValue<string>(), plain["Region"]!.GetValue<string>()));
    }

    // "Using FindingProviderFields" (User Guide): a new finding with both takes FindingProviderFields' value at both levels;
    // FindingProviderFields is filled from the top level when only that is given.
    [Fact]
    public async Task A_new_finding_with_types_at_both_levels_takes_finding_provider_fields()
    {
        await using var aws = await StartAsync();
        var both = Finding("both");
        both["FindingProviderFields"] = new JsonObject { ["Types"] = new JsonArray("TTPs/Privilege Escalation"), ["Severity"] = new JsonObject { ["Label"] = "CRITICAL" } };

        await ImportAsync(aws, both, Finding("top"));

        var stored = Stored(aws, "both");
        Assert.Equal("[\"TTPs/Privilege Escalation\"]", stored["Types"]!.ToJsonString());
        Assert.Equal("CRITICAL", stored["Severity"]!["Label"]!.GetValue<string>());
        var top = Stored(aws, "top");
        Assert.Equal(top["Types"]!.ToJsonString(), top["FindingProviderFields"]!["Types"]!.ToJsonString());
        Assert.Equal("HIGH", top["FindingProviderFields"]!["Severity"]!["Label"]!.GetValue<string>());
    }

    // Existing finding: only FindingProviderFields given → both levels take it; only the top level → it overwrites
    // FindingProviderFields; neither → both kept (an update needs neither Types nor Severity).
    [Fact]
    public async Task An_update_moves_types_through_finding_provider_fields_as_documented()
    {
        await using var aws = await StartAsync();
        await ImportAsync(aws, Finding("provider"), Finding("top"), Finding("neither"));
        var provider = Finding("provider", "2026-12-02T10:00:00.000Z");
        provider.Remove("Types");
        provider["FindingProviderFields"] = new JsonObject { ["Types"] = new JsonArray("Effects/Data Exposure") };
        var top = Finding("top", "2026-12-02T10:00:00.000Z");
        top["Types"] = new JsonArray("TTPs/Discovery");
        var neither = Finding("neither", "2026-12-02T10:00:00.000Z");
        neither.Remove("Types");
        neither.Remove("Severity");

        var answer = await ImportAsync(aws, provider, top, neither);

        Assert.Equal(0, answer["FailedCount"]!.GetValue<int>());
        Assert.Equal(("[\"Effects/Data Exposure\"]", "[\"Effects/Data Exposure\"]"), (Stored(aws, "provider")["Types"]!.ToJsonString(), Stored(aws, "provider")["FindingProviderFields"]!["Types"]!.ToJsonString()));
        Assert.Equal(("[\"TTPs/Discovery\"]", "[\"TTPs/Discovery\"]"), (Stored(aws, "top")["Types"]!.ToJsonString(), Stored(aws, "top")["FindingProviderFields"]!["Types"]!.ToJsonString()));
        var kept = Stored(aws, "neither");
        Assert.Equal("[\"Software and Configuration Checks/AWS Security Best Practices\"]", kept["Types"]!.ToJsonString());
        Assert.Equal("HIGH", kept["Severity"]!["Label"]!.GetValue<string>());
    }

    // "Severity" (API Reference): a Label alone gets its Normalized score and a Normalized score alone its Label.
    [Fact]
    public async Task Severity_label_and_normalized_score_complete_each_other()
    {
        await using var aws = await StartAsync();
        var scored = Finding("scored");
        scored["Severity"] = new JsonObject { ["Normalized"] = 45 };

        await ImportAsync(aws, Finding("labelled"), scored);

        Assert.Equal(70, Stored(aws, "labelled")["Severity"]!["Normalized"]!.GetValue<int>());
        Assert.Equal("MEDIUM", Stored(aws, "scored")["Severity"]!["Label"]!.GetValue<string>());
    }

    // "Workflow" (API Reference): NOTIFIED or RESOLVED goes back to NEW when RecordState turns ACTIVE from ARCHIVED or
    // Compliance.Status leaves PASSED for WARNING, FAILED or NOT_AVAILABLE.
    [Fact]
    public async Task A_resolved_finding_that_comes_back_is_new_again()
    {
        await using var aws = await StartAsync();
        var archived = Finding("archived");
        archived["RecordState"] = "ARCHIVED";
        var passed = Finding("passed");
        passed["Compliance"] = new JsonObject { ["Status"] = "PASSED" };
        await ImportAsync(aws, archived, passed, Finding("still-failing"));
        await UpdateAsync(aws, new JsonObject
        {
            ["FindingIdentifiers"] = new JsonArray(Identifier("archived"), Identifier("passed"), Identifier("still-failing")),
            ["Workflow"] = new JsonObject { ["Status"] = "RESOLVED" },
        });

        var active = Finding("archived", "2026-12-02T10:00:00Z");
        active["RecordState"] = "ACTIVE";
        await ImportAsync(aws, active, Finding("passed", "2026-12-02T10:00:00Z"), Finding("still-failing", "2026-12-02T10:00:00Z"));

        Assert.Equal(
            ["NEW", "NEW", "RESOLVED"],
            new[] { "archived", "passed", "still-failing" }.Select(id => Stored(aws, id)["Workflow"]!["Status"]!.GetValue<string>()));
    }

    // "BatchUpdateFindings": sets Workflow and Note and does not change UpdatedAt; "BatchUpdateFindingsUnprocessedFinding":
    // FindingNotFound and DuplicatedFindingIdentifier.
    [Fact]
    public async Task Batch_update_sets_workflow_and_note_records_who_and_reports_unknown_and_repeated_findings()
    {
        await using var aws = await StartAsync();
        await ImportAsync(aws, Finding("a"), Finding("b"));

        var answer = await UpdateAsync(aws, new JsonObject
        {
            ["FindingIdentifiers"] = new JsonArray(Identifier("a"), Identifier("missing"), Identifier("b"), Identifier("b")),
            ["Workflow"] = new JsonObject { ["Status"] = "RESOLVED" },
            ["Note"] = new JsonObject { ["Text"] = "fixed in orders-api:4", ["UpdatedBy"] = "ecs-role-auditor" },
        });

        Assert.Equal("[{\"Id\":\"a\",\"ProductArn\":\"" + ProductArn + "\"}]", answer["ProcessedFindings"]!.ToJsonString());
        Assert.Equal(
            [("missing", "FindingNotFound"), ("b", "DuplicatedFindingIdentifier"), ("b", "DuplicatedFindingIdentifier")],
            answer["UnprocessedFindings"]!.AsArray().Select(u => (u!["FindingIdentifier"]!["Id"]!.GetValue<string>(), u["ErrorCode"]!.GetValue<string>())));
        var a = Stored(aws, "a");
        Assert.Equal(("RESOLVED", "fixed in orders-api:4", "ecs-role-auditor"), (a["Workflow"]!["Status"]!.GetValue<string>(), a["Note"]!["Text"]!.GetValue<string>(), a["Note"]!["UpdatedBy"]!.GetValue<string>()));
        Assert.Equal("2026-12-01T10:00:00.000Z", a["UpdatedAt"]!.GetValue<string>());
        Assert.Equal("NEW", Stored(aws, "b")["Workflow"]!["Status"]!.GetValue<string>());
        var update = Assert.Single(aws.SecurityHub.Updates);
        Assert.Equal(($"arn:aws:iam::{Account}:user/auditor", "a", "RESOLVED", "ecs-role-auditor"), (update.CallerArn, update.Id, update.WorkflowStatus, update.NoteUpdatedBy));
    }

    public static TheoryData<string> BadUpdates =>
    [
        """{"FindingIdentifiers":[]}""",
        """{"FindingIdentifiers":[{"Id":"a","ProductArn":"p"}]}""",
        """{"FindingIdentifiers":[{"Id":"a","ProductArn":"p"}],"Workflow":{"Status":"DONE"}}""",
        """{"FindingIdentifiers":[{"Id":"a","ProductArn":"p"}],"Note":{"Text":"no author"}}""",
        $$$"""{"FindingIdentifiers":[{"Id":"a","ProductArn":"p"}],"Note":{"Text":"{{{new string('n', 513)}}}","UpdatedBy":"me"}}""",
        """{"FindingIdentifiers":[{"Id":"a"}],"Workflow":{"Status":"NEW"}}""",
    ];

    // "NoteUpdate": Text and UpdatedBy required, Text at most 512; "WorkflowUpdate": the four statuses; 1 to 100 identifiers.
    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task A_bad_batch_update_is_invalid_input(string body)
    {
        await using var aws = await StartAsync();

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidInputException"), await ErrorAsync(aws, Patch, "/findings/batchupdate", JsonNode.Parse(body)!.AsObject()));
    }

    [Fact]
    public async Task Batch_update_of_101_findings_is_invalid_input()
    {
        await using var aws = await StartAsync();
        var body = new JsonObject
        {
            ["FindingIdentifiers"] = new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode)Identifier($"f{i}"))]),
            ["Workflow"] = new JsonObject { ["Status"] = "NEW" },
        };

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidInputException"), await ErrorAsync(aws, Patch, "/findings/batchupdate", body));
    }

    private static async Task<JsonObject> ThreeFindingsAsync(FakeAwsServer aws)
    {
        var other = Finding("era/ERA031/billing-worker");
        other["GeneratorId"] = "ERA031";
        other["ProductFields"] = new JsonObject { ["era/fingerprint"] = "f-2", ["era/rule"] = "ERA031" };
        var third = Finding("other-tool/1");
        third["GeneratorId"] = "other-tool";
        third["ProductFields"] = new JsonObject { ["era/fingerprint"] = "f-3" };
        await ImportAsync(aws, Finding(), other, third);
        return new JsonObject();
    }

    private static IEnumerable<string> Ids(JsonNode answer) => answer["Findings"]!.AsArray().Select(f => f!["Id"]!.GetValue<string>());

    // "StringFilter": EQUALS and PREFIX filters of one attribute are joined by OR; attributes by AND.
    [Fact]
    public async Task String_filters_are_or_within_an_attribute_and_and_across_attributes()
    {
        await using var aws = await StartAsync();
        await ThreeFindingsAsync(aws);

        var either = await GetAsync(aws, new JsonObject
        {
            ["Filters"] = new JsonObject
            {
                ["GeneratorId"] = new JsonArray(new JsonObject { ["Value"] = "ERA031", ["Comparison"] = "EQUALS" }, new JsonObject { ["Value"] = "other", ["Comparison"] = "PREFIX" }),
            },
        });
        var both = await GetAsync(aws, new JsonObject
        {
            ["Filters"] = new JsonObject
            {
                ["Id"] = new JsonArray(new JsonObject { ["Value"] = "era/", ["Comparison"] = "PREFIX" }),
                ["ResourceId"] = new JsonArray(new JsonObject { ["Value"] = $"arn:aws:iam::{Account}:role/orders-task", ["Comparison"] = "EQUALS" }),
                ["GeneratorId"] = new JsonArray(new JsonObject { ["Value"] = "ERA030", ["Comparison"] = "NOT_EQUALS" }),
            },
        });

        Assert.Equal(["era/ERA031/billing-worker", "other-tool/1"], Ids(either));
        Assert.Equal(["era/ERA031/billing-worker"], Ids(both));
    }

    // "MapFilter": ProductFields by Key and Value; EQUALS filters of one attribute are joined by OR.
    [Fact]
    public async Task Product_fields_filters_match_key_and_value()
    {
        await using var aws = await StartAsync();
        await ThreeFindingsAsync(aws);

        var one = await GetAsync(aws, new JsonObject
        {
            ["Filters"] = new JsonObject { ["ProductFields"] = new JsonArray(new JsonObject { ["Key"] = "era/rule", ["Value"] = "ERA031", ["Comparison"] = "EQUALS" }) },
        });
        var two = await GetAsync(aws, new JsonObject
        {
            ["Filters"] = new JsonObject
            {
                ["ProductFields"] = new JsonArray(
                    new JsonObject { ["Key"] = "era/fingerprint", ["Value"] = "f-1", ["Comparison"] = "EQUALS" },
                    new JsonObject { ["Key"] = "era/fingerprint", ["Value"] = "f-3", ["Comparison"] = "EQUALS" }),
            },
        });
        var none = await GetAsync(aws, new JsonObject
        {
            ["Filters"] = new JsonObject { ["ProductFields"] = new JsonArray(new JsonObject { ["Key"] = "era/ERA031", ["Value"] = "era/rule", ["Comparison"] = "EQUALS" }) },
        });

        Assert.Equal(["era/ERA031/billing-worker"], Ids(one));
        Assert.Equal(["era/ERA030/orders-api", "other-tool/1"], Ids(two));
        Assert.Empty(Ids(none));
    }

    [Fact]
    public async Task Get_findings_pages_with_max_results_and_next_token_and_sees_only_the_callers_region()
    {
        await using var aws = await StartAsync();
        await ThreeFindingsAsync(aws);
        await ImportAsync(aws, [Finding("us", region: "us-east-1")], "us-east-1");

        var first = await GetAsync(aws, new JsonObject { ["MaxResults"] = 2 });
        var second = await GetAsync(aws, new JsonObject { ["MaxResults"] = 2, ["NextToken"] = first["NextToken"]!.GetValue<string>() });

        Assert.Equal(["era/ERA030/orders-api", "era/ERA031/billing-worker"], Ids(first));
        Assert.Equal(["other-tool/1"], Ids(second));
        Assert.Null(second["NextToken"]);
        Assert.Equal(ProductArn, first["Findings"]![0]!["ProductArn"]!.GetValue<string>());
    }

    public static TheoryData<string> BadQueries =>
    [
        """{"MaxResults":0}""",
        """{"MaxResults":101}""",
        """{"NextToken":"not-a-token"}""",
        """{"Filters":{"Id":[{"Value":"a","Comparison":"EQUALS"},{"Value":"b","Comparison":"NOT_EQUALS"}]}}""",
        """{"Filters":{"Id":[{"Value":"a","Comparison":"CONTAINS_WORD"}]}}""",
        """{"Filters":{"Criticality":[{"Gte":1}]}}""",
        """{"Filters":{"ProductFields":[{"Value":"a","Comparison":"EQUALS"}]}}""",
        "{\"Filters\":{\"Id\":[" + string.Join(",", Enumerable.Range(0, 21).Select(i => $"{{\"Value\":\"{i}\",\"Comparison\":\"EQUALS\"}}")) + "]}}",
        "{\"Filters\":{" + string.Join(",", new[] { "ProductArn", "AwsAccountId", "Id", "GeneratorId", "Region", "Title", "Description", "RecordState", "ComplianceStatus", "WorkflowStatus", "SeverityLabel" }.Select(a => $"\"{a}\":[{{\"Value\":\"x\",\"Comparison\":\"EQUALS\"}}]")) + "}}",
    ];

    // "GetFindings": MaxResults 1 to 100, at most 10 attributes of 20 values; "StringFilter": EQUALS cannot join NOT_EQUALS.
    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_bad_query_is_invalid_input(string body)
    {
        await using var aws = await StartAsync();

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidInputException"), await ErrorAsync(aws, HttpMethod.Post, "/findings", JsonNode.Parse(body)!.AsObject()));
    }

    // "BatchImportFindings for finding providers": Security Hub disabled → the findings fail with InvalidAccess; the other
    // operations fail with InvalidAccessException (401 in the model).
    [Fact]
    public async Task Without_security_hub_imports_fail_per_finding_and_other_calls_are_invalid_access()
    {
        await using var aws = await StartAsync();
        aws.SecurityHub.Disable(Account, Region);

        var answer = await ImportAsync(aws, Finding("a"), Finding("b"));
        var get = await ErrorAsync(aws, HttpMethod.Post, "/findings", new JsonObject());
        var update = await ErrorAsync(aws, Patch, "/findings/batchupdate", new JsonObject { ["FindingIdentifiers"] = new JsonArray(Identifier("a")), ["Workflow"] = new JsonObject { ["Status"] = "NEW" } });

        Assert.Equal((0, 2), (answer["SuccessCount"]!.GetValue<int>(), answer["FailedCount"]!.GetValue<int>()));
        Assert.All(answer["FailedFindings"]!.AsArray(), f => Assert.Equal("InvalidAccess", f!["ErrorCode"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.Unauthorized, "InvalidAccessException"), get);
        Assert.Equal((HttpStatusCode.Unauthorized, "InvalidAccessException"), update);
    }

    [Fact]
    public async Task Faults_answer_in_security_hubs_words_and_unsigned_calls_are_refused()
    {
        await using var aws = await StartAsync();
        aws.Faults.Throttle("GetFindings").DenyAccess("BatchUpdateFindings", times: 1).Fail("BatchImportFindings");
        using var wire = new WireClient(aws);

        var throttled = await ErrorAsync(aws, HttpMethod.Post, "/findings", new JsonObject());
        var denied = await ErrorAsync(aws, Patch, "/findings/batchupdate", new JsonObject());
        var failed = await ErrorAsync(aws, HttpMethod.Post, "/findings/import", Findings(Finding()));
        using var unsigned = await wire.SecurityHubAsync(HttpMethod.Post, "/findings", "{}", sign: false);
        using var unknown = await wire.SecurityHubAsync(HttpMethod.Get, "/findings/import", "{}");

        Assert.Equal((HttpStatusCode.TooManyRequests, "LimitExceededException"), throttled);
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDeniedException"), denied);
        Assert.Equal((HttpStatusCode.InternalServerError, "InternalException"), failed);
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(["GetFindings", "BatchUpdateFindings", "BatchImportFindings"], aws.Calls.All.Take(3).Select(c => c.Operation));
        Assert.All(aws.Calls.All.Take(3), c => Assert.Equal("securityhub", c.Service));
    }

    [Fact]
    public async Task Seeded_findings_are_served_and_reset_forgets_them()
    {
        await using var aws = await StartAsync();
        aws.SecurityHub.Seed(Account, Region, Finding("seeded").ToJsonString());

        Assert.Equal(["seeded"], Ids(await GetAsync(aws, new JsonObject())));
        aws.Reset();
        Assert.Empty(aws.SecurityHub.Findings(Account, Region));
    }
}
