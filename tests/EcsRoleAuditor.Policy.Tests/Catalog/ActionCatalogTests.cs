using CsCheck;
using EcsRoleAuditor.Policy.Catalog;
using EcsRoleAuditor.Policy.Matching;

namespace EcsRoleAuditor.Policy.Tests.Catalog;

public class ActionCatalogTests
{
    private static readonly ActionCatalog Catalog = ActionCatalog.Default;

    private static string[] Names(ActionSet set) => [.. set.Ids.Select(id => Catalog.Actions[id].FullName)];

    [Fact]
    public void Action_resource_types_say_which_are_required()
    {
        // iam-data 0.21 lists S3's object and access-point object as alternatives, so neither is marked required.
        Assert.True(Catalog.TryGetAction("s3:GetObject", out var getObject));
        Assert.Equal([("accesspointobject", false), ("object", false)], getObject.ResourceTypes.Select(t => (t.Name, t.Required)));
        Assert.True(Catalog.TryGetAction("ecr:BatchGetImage", out var batchGetImage));
        Assert.Equal([("repository", true)], batchGetImage.ResourceTypes.Select(t => (t.Name, t.Required)));
        Assert.True(Catalog.TryGetAction("iam:PassRole", out var passRole));
        Assert.Equal([("role", true)], passRole.ResourceTypes.Select(t => (t.Name, t.Required)));
        Assert.True(Catalog.TryGetAction("ecr:GetAuthorizationToken", out var token));
        Assert.True(token.IsWildcardOnly);
    }

    [Theory]
    [InlineData(false, new[] { AccessLevel.Write, AccessLevel.PermissionsManagement })]
    [InlineData(true, new[] { AccessLevel.Write, AccessLevel.PermissionsManagement })]
    [InlineData(true, new[] { AccessLevel.Read })]
    [InlineData(false, new AccessLevel[0])]
    public void Access_level_sets_read_from_the_tables_equal_a_filter_over_the_action_objects(bool resourceScopableOnly, AccessLevel[] levels)
    {
        var fresh = ActionCatalog.LoadEmbedded();

        var fromTables = fresh.WithAccessLevels(levels, resourceScopableOnly);

        var expected = Catalog.Actions.Where(a => levels.Contains(a.AccessLevel) && (!resourceScopableOnly || !a.IsWildcardOnly)).Select(a => a.Id);
        Assert.Equal(expected, fromTables.Ids);
        Assert.Equal(levels.Length > 0, fromTables.Count > 1000);
    }

    [Fact]
    public void Services_carry_their_name_and_resource_types_with_arn_templates()
    {
        var ecr = Catalog.FindService("ECR");
        Assert.NotNull(ecr);
        Assert.Equal("ecr", ecr.Prefix);
        Assert.Equal("Amazon Elastic Container Registry", ecr.Name);
        var repository = Assert.Single(ecr.ResourceTypes, t => t.Name == "repository");
        Assert.Equal("arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}", repository.ArnTemplate);
        Assert.Null(Catalog.FindService("nosuchservice"));
    }

    [Fact]
    public void Action_names_are_sorted_ignoring_case_within_each_service()
    {
        foreach (var service in Catalog.Services)
        {
            var names = Enumerable.Range(service.FirstActionId, service.ActionCount).Select(id => Catalog.Actions[id].Name).ToList();
            Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), names);
        }
    }

    [Fact]
    public void Concurrent_first_accesses_hand_out_one_object_per_action()
    {
        var fresh = ActionCatalog.LoadEmbedded();
        var seen = new CatalogAction[fresh.ActionCount];
        Parallel.For(0, 4, _ =>
        {
            for (var id = 0; id < fresh.ActionCount; id++)
            {
                var action = fresh.Actions[id];
                var first = Interlocked.CompareExchange(ref seen[id], action, null);
                Assert.Same(first ?? action, action);
            }
        });
        Assert.Equal(Enumerable.Range(0, fresh.ActionCount), seen.Select(a => a.Id));
    }

    [Fact]
    public void Describe_star_expands_to_every_describe_action_of_ec2()
    {
        var expected = Catalog.Actions.Where(a => a.Service == "ec2" && a.Name.StartsWith("Describe", StringComparison.Ordinal)).Select(a => a.FullName);
        var names = Names(Catalog.Expand("ec2:Describe*"));
        Assert.Equal(expected, names);
        Assert.Contains("ec2:DescribeInstances", names);
        Assert.True(names.Length > 100);
    }

    [Fact]
    public void NotAction_complement_is_every_action_except_the_set()
    {
        var set = Catalog.Expand("s3:*");
        var expected = Catalog.All.Clone();
        expected.ExceptWith(set);

        var complement = set.Complement();

        Assert.True(complement.SetEquals(expected));
        Assert.Equal(Catalog.ActionCount - set.Count, complement.Count);
        Assert.False(complement.Contains(Catalog.Expand("s3:GetObject").Ids.Single()));
        Assert.True(complement.Contains(Catalog.Expand("ec2:RunInstances").Ids.Single()));
    }

    [Theory]
    [InlineData("s3*")]
    [InlineData("*GetObject")]
    [InlineData("s?:GetObject")]
    [InlineData("*:GetObject")]
    [InlineData("ec2:Describe*:*")]
    [InlineData("s3:GetObject*Tagging")]
    [InlineData("")]
    [InlineData(":")]
    public void Unusual_patterns_expand_like_matching_every_full_name(string pattern) =>
        Assert.Equal(BruteForce(pattern), Names(Catalog.Expand(pattern)));

    private static IEnumerable<string> BruteForce(string pattern) =>
        Catalog.Actions.Where(a => Wildcard.IsMatch(pattern, a.FullName, ignoreCase: true)).Select(a => a.FullName);

    [Fact]
    public void Expansion_equals_brute_force_for_wildcards_anywhere_including_the_colon()
    {
        var actions = Catalog.Actions;
        var edit = Gen.Select(Gen.Int[0, 200], Gen.OneOf("*", "?", "**", ""), Gen.Int[0, 12]);
        Gen.Select(Gen.Int[0, actions.Count - 1], edit.Array[1, 3], Gen.Bool.Array[80]).Sample((id, edits, flips) =>
        {
            var pattern = string.Concat(actions[id].FullName.Select((c, i) => flips[i % flips.Length] ? char.ToUpperInvariant(c) : c));
            foreach (var (position, wildcard, removed) in edits)
            {
                var at = position % (pattern.Length + 1);
                pattern = pattern[..at] + wildcard + pattern[Math.Min(pattern.Length, at + removed)..];
            }
            Assert.Equal(BruteForce(pattern), Names(Catalog.Expand(pattern)));
        }, iter: 200);
    }

    [Theory]
    [InlineData("s3:GetObject", AccessLevel.Read, "object")]
    [InlineData("iam:PassRole", AccessLevel.Write, "role")]
    [InlineData("iam:PutRolePolicy", AccessLevel.PermissionsManagement, "role")]
    [InlineData("ec2:CreateTags", AccessLevel.Tagging, "instance")]
    [InlineData("s3:ListAllMyBuckets", AccessLevel.List, null)]
    [InlineData("ecr:GetAuthorizationToken", AccessLevel.Read, null)]
    public void Known_actions_carry_access_level_and_resource_types(string name, AccessLevel level, string? resourceType)
    {
        Assert.True(Catalog.TryGetAction(name, out var action));
        Assert.Equal(name, action.FullName);
        Assert.Equal(level, action.AccessLevel);
        if (resourceType is null)
        {
            Assert.True(action.IsWildcardOnly);
        }
        else
        {
            var type = Assert.Single(action.ResourceTypes, t => t.Name == resourceType);
            Assert.StartsWith("arn:${Partition}:", type.ArnTemplate, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_action_id_is_its_index_and_services_are_contiguous_ranges()
    {
        for (var i = 0; i < Catalog.ActionCount; i++)
        {
            Assert.Equal(i, Catalog.Actions[i].Id);
        }
        foreach (var service in Catalog.Services)
        {
            for (var id = service.FirstActionId; id < service.FirstActionId + service.ActionCount; id++)
            {
                Assert.Equal(service.Prefix, Catalog.Actions[id].Service);
            }
        }
        Assert.Equal(Catalog.ActionCount, Catalog.Services.Sum(s => s.ActionCount));
    }

    [Fact]
    public void Lookup_ignores_case()
    {
        Assert.True(Catalog.TryGetAction("S3:getobject", out var action));
        Assert.Equal("s3:GetObject", action.FullName);
        Assert.True(Catalog.IsKnownService("ECR"));
        Assert.False(Catalog.TryGetAction("s3:GetObjekt", out _));
    }

    [Fact]
    public void Star_expands_to_every_action()
    {
        Assert.Equal(Catalog.ActionCount, Catalog.Expand("*").Count);
        Assert.Equal(Catalog.ActionCount, Catalog.Expand("*:*").Count);
    }

    [Fact]
    public void Service_wildcards_expand_to_that_service_only()
    {
        var names = Names(Catalog.Expand("s3:Get*"));
        Assert.Contains("s3:GetObject", names);
        Assert.Contains("s3:GetBucketPolicy", names);
        Assert.All(names, n => Assert.StartsWith("s3:Get", n, StringComparison.Ordinal));
        Assert.Equal(Catalog.FindService("s3")!.ActionCount, Catalog.Expand("s3:*").Count);
    }

    [Fact]
    public void Inner_and_single_character_wildcards_expand()
    {
        var roles = Names(Catalog.Expand("iam:*Role*"));
        Assert.Contains("iam:PassRole", roles);
        Assert.Contains("iam:ListRoles", roles);
        Assert.Contains("iam:CreateServiceLinkedRole", roles);
        Assert.DoesNotContain("iam:GetUser", roles);
        Assert.Equal(["ec2:DescribeInstances"], Names(Catalog.Expand("ec2:?escribeInstances")));
        Assert.Equal(Names(Catalog.Expand("ec2:Describe*")), Names(Catalog.Expand("EC2:describe*")));
    }

    [Theory]
    [InlineData("s3:GetObjekt")]
    [InlineData("madeup:GetThing")]
    [InlineData("madeup:*")]
    [InlineData("GetObject")]
    public void Patterns_naming_no_action_expand_to_nothing(string pattern) =>
        Assert.Equal(0, Catalog.Expand(pattern).Count);

    [Fact]
    public void Expansions_are_read_only_and_complement_is_exact()
    {
        var iam = Catalog.Expand("iam:*");
        Assert.Throws<InvalidOperationException>(() => iam.Add(0));
        var notIam = iam.Complement();
        Assert.Equal(Catalog.ActionCount, iam.Count + notIam.Count);
        Assert.False(iam.Overlaps(notIam));
    }

    [Fact]
    public void Expansion_equals_brute_force_matching_of_every_action()
    {
        var actions = Catalog.Actions;
        Gen.Select(Gen.Int[0, actions.Count - 1], Gen.Int[0, 7].Array[1, 4], Gen.Bool).Sample((id, edits, upper) =>
        {
            var pattern = Mutate(actions[id].FullName, edits, upper);
            var expected = actions.Where(a => Wildcard.IsMatch(pattern, a.FullName, ignoreCase: true)).Select(a => a.FullName);
            Assert.Equal(expected, Names(Catalog.Expand(pattern)));
        }, iter: 300);
    }

    /// <summary>Turns an action name into a pattern: each edit puts a '*' or '?' at a position derived from it.</summary>
    private static string Mutate(string name, int[] edits, bool upper)
    {
        var chars = (upper ? name.ToUpperInvariant() : name).ToCharArray().ToList();
        foreach (var edit in edits)
        {
            var position = edit * 7 % chars.Count;
            if (chars[position] == ':')
            {
                continue;
            }
            if (edit % 2 == 0)
            {
                chars[position] = '?';
            }
            else
            {
                var end = Math.Min(chars.Count, position + edit);
                var colon = chars.IndexOf(':');
                if (position < colon && end > colon)
                {
                    end = colon;
                }
                chars.RemoveRange(position, end - position);
                chars.Insert(position, '*');
            }
        }
        return new string([.. chars]);
    }

    [Fact]
    public void Format_round_trips_and_is_deterministic()
    {
        ServiceDefinition[] services =
        [
            new("zz", "Zed Service", [("thing", "arn:${Partition}:zz:${Region}:${Account}:thing/${Name}")],
                [new ActionDefinition("PutThing", AccessLevel.Write, [("thing", true)]), new ActionDefinition("ListThings", AccessLevel.List, [])]),
            new("aa", "A Service", [], [new ActionDefinition("TagIt", AccessLevel.Tagging, [])]),
        ];
        var date = new DateTimeOffset(2026, 9, 23, 0, 0, 0, TimeSpan.Zero);
        byte[] Write()
        {
            using var stream = new MemoryStream();
            CatalogFormat.Write(stream, "test@1", date, services);
            return stream.ToArray();
        }

        var bytes = Write();
        Assert.Equal(bytes, Write());
        var catalog = ActionCatalog.Load(new MemoryStream(bytes));
        Assert.Equal("test@1", catalog.Source);
        Assert.Equal(date, catalog.DataDate);
        Assert.Equal(["aa:TagIt", "zz:ListThings", "zz:PutThing"], catalog.Actions.Select(a => a.FullName));
        Assert.True(catalog.TryGetAction("zz:putthing", out var put));
        Assert.Equal(AccessLevel.Write, put.AccessLevel);
        var type = Assert.Single(put.ResourceTypes);
        Assert.True(type.Required);
        Assert.Equal("arn:${Partition}:zz:${Region}:${Account}:thing/${Name}", type.ArnTemplate);
    }

    [Fact]
    public void Corrupt_catalog_data_is_rejected_with_a_clear_error()
    {
        using var stream = new MemoryStream();
        CatalogFormat.Write(stream, "test@1", DateTimeOffset.UnixEpoch, [new("aa", "A", [], [new ActionDefinition("X", AccessLevel.Read, [])])]);
        var truncated = stream.ToArray()[..^6];
        Assert.Throws<InvalidDataException>(() => ActionCatalog.Load(new MemoryStream(truncated)));
        Assert.Throws<InvalidDataException>(() => ActionCatalog.Load(new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8])));
    }
}
