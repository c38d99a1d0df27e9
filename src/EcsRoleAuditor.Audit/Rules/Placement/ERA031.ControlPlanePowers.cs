using System.Runtime.CompilerServices;
using EcsRoleAuditor.Audit.Findings;
using EcsRoleAuditor.Policy.Catalog;

namespace EcsRoleAuditor.Audit.Rules;

/// <summary>ERA031: a task or execution role holds ECS control-plane powers (what the ECS service-linked role does).</summary>
public sealed class ControlPlanePowersRule : IAuditRule
{
    /// <summary>
    /// The Allow actions of the AWS managed policy AmazonECSServiceRolePolicy (arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy),
    /// default version v24, as written in the policy. A test compares this list with the policy's current document so that a new version is noticed.
    /// </summary>
    public static IReadOnlyList<string> ServiceRolePolicyActions { get; } =
    [
        "ec2:AttachNetworkInterface", "ec2:AssociateTrunkInterface", "ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission",
        "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission", "ec2:Describe*", "ec2:DetachNetworkInterface", "ec2:DisassociateTrunkInterface",
        "elasticloadbalancing:DeregisterInstancesFromLoadBalancer", "elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:Describe*",
        "elasticloadbalancing:RegisterInstancesWithLoadBalancer", "elasticloadbalancing:RegisterTargets",
        "route53:ChangeResourceRecordSets", "route53:CreateHealthCheck", "route53:DeleteHealthCheck", "route53:Get*", "route53:List*", "route53:UpdateHealthCheck",
        "servicediscovery:DeregisterInstance", "servicediscovery:Get*", "servicediscovery:List*", "servicediscovery:RegisterInstance", "servicediscovery:UpdateInstanceCustomHealthStatus",
        "autoscaling:Describe*",
        "autoscaling:DeletePolicy", "autoscaling:PutScalingPolicy", "autoscaling:SetInstanceProtection", "autoscaling:UpdateAutoScalingGroup", "autoscaling:PutLifecycleHook",
        "autoscaling:DeleteLifecycleHook", "autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat", "autoscaling:TerminateInstanceInAutoScalingGroup",
        "autoscaling-plans:CreateScalingPlan", "autoscaling-plans:DeleteScalingPlan", "autoscaling-plans:DescribeScalingPlans", "autoscaling-plans:DescribeScalingPlanResources",
        "events:DescribeRule", "events:ListTargetsByRule", "events:PutRule", "events:PutTargets",
        "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm",
        "ec2:CreateTags",
        "logs:CreateLogGroup", "logs:DescribeLogGroups", "logs:PutRetentionPolicy", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents",
        "ssm:DescribeSessions", "ssm:StartSession", "ssmmessages:OpenDataChannel",
        "servicediscovery:CreateHttpNamespace", "servicediscovery:CreateService", "servicediscovery:TagResource", "servicediscovery:DeleteService",
        "servicediscovery:DiscoverInstances", "servicediscovery:DiscoverInstancesRevision", "servicediscovery:UpdateServiceAttributes",
        "ec2:DescribeInstanceEventWindows",
    ];

    /// <summary>
    /// Control-plane powers the issue names that the service-linked role's policy no longer lists: ECS cluster, service, capacity and
    /// container-instance management, Application Auto Scaling of services, and security groups. Running tasks and registering
    /// task definitions are privilege-escalation paths (ERA041), not listed here.
    /// </summary>
    public static IReadOnlyList<string> AdditionalControlPlaneActions { get; } =
    [
        "ecs:CreateCluster", "ecs:DeleteCluster", "ecs:UpdateCluster", "ecs:UpdateClusterSettings", "ecs:PutClusterCapacityProviders",
        "ecs:CreateCapacityProvider", "ecs:UpdateCapacityProvider", "ecs:DeleteCapacityProvider",
        "ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService", "ecs:CreateTaskSet", "ecs:UpdateTaskSet", "ecs:DeleteTaskSet", "ecs:UpdateServicePrimaryTaskSet",
        "ecs:RegisterContainerInstance", "ecs:DeregisterContainerInstance", "ecs:UpdateContainerInstancesState", "ecs:UpdateContainerAgent",
        "ecs:StopTask", "ecs:DeregisterTaskDefinition", "ecs:DeleteTaskDefinitions", "ecs:PutAccountSetting", "ecs:PutAccountSettingDefault", "ecs:DeleteAccountSetting",
        "application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy",
        "application-autoscaling:PutScheduledAction", "application-autoscaling:DeleteScheduledAction",
        "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
        "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress", "ec2:ModifyNetworkInterfaceAttribute",
    ];

    // What the roles legitimately do although the service-linked role does it too: the agent's calls, ECS Exec's channels on
    // the task role, and CloudWatch Logs (log groups and retention are what logging sidecars such as the CloudWatch agent
    // manage; the service-linked role's grant is limited to /aws/ecs/* groups and is not a control-plane power).
    private static readonly string[] RoleVocabulary =
        ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel", "logs:*"];

    /// <summary>ERA031, the descriptor its findings carry and tests pick them by.</summary>
    public static readonly RuleDescriptor Rule = new(
        "ERA031",
        "Task or execution role holds ECS control-plane powers",
        Severity.High,
        "Attaching network interfaces, registering targets with load balancers, changing security groups, managing clusters and services, "
        + "scaling and service discovery are what ECS itself does through its service-linked role (AmazonECSServiceRolePolicy). "
        + "No container and no agent call needs them; on a task role they let the application's code (or whoever compromises it) "
        + "rewire the network and the services around it.",
        "Remove the control-plane actions from the role (AmazonECS_FullAccess and similar policies belong to people and pipelines, not to tasks).",
        ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using-service-linked-roles.html",
         "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSServiceRolePolicy.html"]);

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public RuleExamples Examples { get; } = new(
        new("The task role may register targets with load balancers and change services.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"ops":{"Version":"2012-10-17","Statement":[{"Sid":"Ops","Effect":"Allow","Action":["elasticloadbalancing:RegisterTargets","ecs:UpdateService"],"Resource":"*"}]}}}]}
            """),
        new("The task role reads what it needs to describe its service.", """
            {"taskDefinition":{"family":"web","taskRoleArn":"arn:aws:iam::111122223333:role/web-task","containerDefinitions":[{"name":"web","image":"nginx:1.27"}]},
             "roles":[{"arn":"arn:aws:iam::111122223333:role/web-task","inline":{"ops":{"Version":"2012-10-17","Statement":[{"Sid":"Ops","Effect":"Allow","Action":["elasticloadbalancing:DescribeTargetHealth","ecs:DescribeServices"],"Resource":"*"}]}}}]}
            """));

    /// <inheritdoc/>
    public IEnumerable<Finding> Evaluate(AuditContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var role in context.Roles.DistinctBy(r => r.Role.Arn, StringComparer.OrdinalIgnoreCase))
        {
            var permissions = role.Permissions;
            var powers = ControlPlaneSets.GetValue(permissions.Catalog, Compute);
            var slotName = role.Slot == RoleSlot.Task ? "Task" : "Execution";
            foreach (var grant in BreadthAnalysis.AllowsBelowAdmin(role))
            {
                if (!grant.Actions.Overlaps(powers))
                {
                    continue;
                }
                var held = permissions.ReachedThrough(grant);
                held.IntersectWith(powers);
                var actions = BreadthAnalysis.Names(held);
                if (actions.Count == 0)
                {
                    continue;
                }
                var source = role.SourceOf(grant.Source);
                yield return BreadthAnalysis.StatementFinding(Descriptor, role, role.Slot, grant,
                    $"{slotName} role {role.Role.Name} holds {FindingFactory.Count(actions.Count, "ECS control-plane action")} through {source} "
                    + $"({FindingFactory.Summarise(actions)}): what ECS's service-linked role does, which no task needs",
                    PlacementPolicyText.EditStatement(role, grant, $"remove {FindingFactory.Summarise(actions)}"
                        + (source.IsAwsManagedPolicy ? "" : $": {PlacementPolicyText.QuotedStatement(grant.Source.Statement)}")),
                    actions,
                    [.. permissions.ScopesThrough(grant, held)]);
            }
        }
    }

    // Expanding the lists scans services' actions; done once per catalog (the sets are never modified).
    private static readonly ConditionalWeakTable<ActionCatalog, ActionSet> ControlPlaneSets = new();

    /// <summary>The control-plane powers: the listed actions that change something (write, permissions management, tagging), minus what task and execution roles legitimately call.</summary>
    public static ActionSet ControlPlane(ActionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return ControlPlaneSets.GetValue(catalog, Compute).Clone();
    }

    private static ActionSet Compute(ActionCatalog catalog)
    {
        var listed = PlacementPolicyText.ToActionSet(catalog, ServiceRolePolicyActions.Concat(AdditionalControlPlaneActions));
        var powers = new ActionSet(catalog);
        foreach (var action in listed.Actions)
        {
            if (action.AccessLevel is AccessLevel.Write or AccessLevel.PermissionsManagement or AccessLevel.Tagging)
            {
                powers.Add(action.Id);
            }
        }
        powers.ExceptWith(PlacementPolicyText.ToActionSet(catalog, PlacementPolicyText.ExecutionRoleVocabulary.Concat(RoleVocabulary)));
        return powers;
    }
}
