namespace EcsRoleAuditor.Policy.Parsing;

/// <summary>Which grammar a document must follow.</summary>
public enum PolicyKind
{
    /// <summary>Identity policies and permission boundaries: Action/NotAction and Resource/NotResource required, no Principal.</summary>
    Identity,
    /// <summary>Trust policies and other resource-based policies: Principal/NotPrincipal required, Resource optional.</summary>
    Resource,
}
