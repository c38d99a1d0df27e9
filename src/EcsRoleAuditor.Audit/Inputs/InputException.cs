namespace EcsRoleAuditor.Audit.Inputs;

/// <summary>An input file is not what it should be; the message says what is wrong and where (file and JSON path).</summary>
public sealed class InputException(string message) : Exception(message);
