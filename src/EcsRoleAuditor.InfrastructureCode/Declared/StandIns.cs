namespace EcsRoleAuditor.InfrastructureCode.Declared;

/// <summary>What infrastructure code inputs write where only deployment would give a value the audit needs as one.</summary>
public static class StandIns
{
    /// <summary>The account the code's own ARNs are written in when none is given or found: IAM never assigns it.</summary>
    public const string Account = "000000000000";

    /// <summary>The region the code's own ARNs are written in when none is given.</summary>
    public const string Region = "us-east-1";
}
