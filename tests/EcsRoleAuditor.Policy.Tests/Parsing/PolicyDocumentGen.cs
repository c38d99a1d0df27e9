using System.Collections.Immutable;
using System.Globalization;
using CsCheck;
using EcsRoleAuditor.Policy.Model;
using EcsRoleAuditor.Policy.Parsing;

namespace EcsRoleAuditor.Policy.Tests.Parsing;

/// <summary>CsCheck generators of valid policy documents (as models) for the parser's properties.</summary>
internal static class PolicyDocumentGen
{
    // Letters mostly, plus the characters that stress JSON escaping and URL encoding ('"', '\\', '+', '%', '&', controls, non-ASCII).
    private static readonly Gen<char> TextChar = Gen.Frequency(
        (12, Gen.Char['a', 'z']),
        (4, Gen.Char[' ', '~']),
        (2, Gen.Char["\"\\+%&=/\n\t\u0001{}[]:,"]),
        (2, Gen.Char['\u00a0', '\u07ff']),
        (1, Gen.Char['\u3000', '\ud7ff']));

    private static readonly Gen<string> Text = TextChar.Array[0, 10].Select(chars => new string(chars));
    private static readonly Gen<string> Word = Gen.Char['a', 'z'].Array[1, 8].Select(chars => new string(chars));

    private static readonly Gen<string> Action = Gen.Frequency(
        (1, Gen.Const("*")),
        (8, Gen.Select(Gen.OneOf("s3", "ecr", "logs", "iam", "secretsmanager", "S3"), Word, Text, (service, verb, rest) => $"{service}:{verb}{rest}")));

    private static readonly Gen<string> Resource = Gen.Frequency(
        (1, Gen.Const("*")),
        (6, Text.Select(rest => "arn:aws:s3:::" + rest)),
        (1, Gen.Const("arn:aws:s3:::home/${aws:username}/*")));

    private static readonly Gen<string> ConditionValue = Gen.Frequency(
        (6, Text),
        (2, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("true", "false", "1.50", "-0.5e3")));

    private static readonly Gen<(ConditionOperator Operator, SetQualifier Qualifier, bool IfExists)> Operator =
        Gen.Select(Gen.Enum<ConditionOperator>(), Gen.Enum<SetQualifier>(), Gen.Bool)
            .Select((o, q, ifExists) => (o, q, ifExists && o != ConditionOperator.Null));

    private static readonly Gen<ImmutableArray<ConditionClause>> Conditions =
        Gen.Select(Operator, Gen.Select(Word, Text, (prefix, name) => $"{prefix}:{name}").Array[1, 3], ConditionValue.Array[1, 3],
                (op, keys, values) => (op, keys, values))
            .Array[0, 3]
            .Select(blocks => blocks
                .DistinctBy(b => ConditionOperatorNames.Spell(b.op.Operator, b.op.Qualifier, b.op.IfExists))
                .SelectMany(b => b.keys.Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).Select(key => new ConditionClause(
                    ConditionOperatorNames.Spell(b.op.Operator, b.op.Qualifier, b.op.IfExists), b.op.Operator, b.op.Qualifier, b.op.IfExists,
                    key, [.. b.values])))
                .ToImmutableArray());

    private static readonly Gen<PrincipalList> Principals = Gen.Frequency(
        (1, Gen.Bool.Select(negated => new PrincipalList(negated, [new PrincipalEntry(PrincipalType.Anyone, "*")]))),
        (4, Gen.Select(Gen.Bool, Gen.Select(Gen.OneOf(PrincipalType.Aws, PrincipalType.Service, PrincipalType.Federated, PrincipalType.CanonicalUser),
                Gen.OneOf(Text.Where(t => t.Length > 0), Gen.Const("*")).Array[1, 3], (type, values) => (type, values)).Array[1, 4],
            (negated, groups) => new PrincipalList(negated, [.. groups.DistinctBy(g => g.type).SelectMany(g => g.values.Select(v => new PrincipalEntry(g.type, v)))]))));

    private sealed record StatementShape(string? Sid, Effect Effect, ActionList Actions, ResourceList? Resources, PrincipalList? Principals, ImmutableArray<ConditionClause> Conditions);

    private static Gen<StatementShape> Statement(PolicyKind kind) =>
        Gen.Select(
            Gen.Select(Gen.Bool, Gen.Enum<Effect>(), Gen.Bool, Action.Array[1, 4], Gen.Bool, Resource.Array[1, 3], Gen.Int[0, 2],
                (hasSid, effect, notAction, actions, notResource, resources, resourceChoice) =>
                    (hasSid, effect, Actions: new ActionList(notAction, [.. actions]),
                        Resources: kind == PolicyKind.Resource && resourceChoice == 0 ? null : new ResourceList(notResource, [.. resources]))),
            Principals,
            Conditions,
            (core, principals, conditions) => new StatementShape(core.hasSid ? "" : null, core.effect, core.Actions, core.Resources,
                kind == PolicyKind.Resource ? principals : null, conditions));

    /// <summary>A valid document of the given kind.</summary>
    public static Gen<PolicyDocument> Document(PolicyKind kind) =>
        Gen.Select(Gen.OneOf<string?>(PolicyDocument.CurrentVersion, PolicyDocument.LegacyVersion, null), Gen.OneOf<string?>(null, "policy-id"),
                Statement(kind).Array[1, 5], Gen.Bool)
            .Select((version, id, shapes, bareSingle) => new PolicyDocument("generated", version, id, [.. shapes.Select((s, i) =>
            {
                var path = bareSingle && shapes.Length == 1 ? "$.Statement" : $"$.Statement[{i}]";
                return new Statement(i, s.Sid is null ? null : $"Sid{i}", s.Effect, s.Actions, s.Resources, s.Principals, s.Conditions) { Path = path };
            })]));
}
