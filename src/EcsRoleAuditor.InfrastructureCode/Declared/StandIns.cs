namespace EcsRoleAuditor.InfrastructureCode.Declared;

/// <summary>What infrastructure code inputs write where only deployment would give a value the audit needs as one.</summary>
public static class StandIns
{
    /// <summary>The account the code's own ARNs are written in when none is given or found (<see cref="Policy.Model.UnresolvedValue.StandInAccount"/>).</summary>
    public const string Account = Policy.Model.UnresolvedValue.StandInAccount;

    /// <summary>The region the code's own ARNs are written in when none is given.</summary>
    public const string Region = "us-east-1";
}
