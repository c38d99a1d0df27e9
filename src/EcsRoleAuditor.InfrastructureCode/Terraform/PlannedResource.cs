using System.Text.Json;

namespace EcsRoleAuditor.InfrastructureCode.Terraform;

/// <summary>One resource instance as the plan will leave it.</summary>
/// <param name="Address">Its full address: <c>module.app[0].aws_iam_role.task[1]</c>, <c>data.aws_iam_policy_document.task</c>.</param>
/// <param name="Module">The module instance it is in (<c>module.app[0]</c>), empty for the root module.</param>
/// <param name="IsData">True for a data source (<c>mode</c> <c>data</c>), false for a managed resource.</param>
/// <param name="Type">The resource type, <c>aws_iam_role</c>.</param>
/// <param name="Name">The resource name in the configuration.</param>
/// <param name="Key">The <c>count</c> or <c>for_each</c> key as the address writes it (<c>[1]</c>, <c>["blue"]</c>), or null.</param>
/// <param name="Values">Its attributes after the plan, with what is unknown until apply.</param>
internal sealed record PlannedResource(string Address, string Module, bool IsData, string Type, string Name, string? Key, PlanValue Values)
{
    /// <summary>The address inside its module, without instance keys, as the configuration names it: <c>aws_iam_role.task</c>.</summary>
    public string ConfigAddress => IsData ? $"data.{Type}.{Name}" : $"{Type}.{Name}";

    /// <summary>An instance key from the plan's <c>index</c> (a number for <c>count</c>, a string for <c>for_each</c>).</summary>
    public static string? KeyOf(JsonElement? index) => index switch
    {
        { ValueKind: JsonValueKind.Number } number => $"[{number.GetRawText()}]",
        { ValueKind: JsonValueKind.String } text => $"[\"{text.GetString()}\"]",
        _ => null,
    };
}
