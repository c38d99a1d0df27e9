namespace EcsRoleAuditor.Policy.Catalog;

/// <summary>The access level AWS assigns to an action in the Service Authorization Reference.</summary>
public enum AccessLevel
{
    /// <summary>List resources.</summary>
    List,
    /// <summary>Read resources or data.</summary>
    Read,
    /// <summary>Create, change or delete resources.</summary>
    Write,
    /// <summary>Change who can access what (policies, grants, roles).</summary>
    PermissionsManagement,
    /// <summary>Change tags only.</summary>
    Tagging,
}
