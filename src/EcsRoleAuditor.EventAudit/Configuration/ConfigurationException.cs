namespace EcsRoleAuditor.EventAudit.Configuration;

/// <summary>
/// The environment does not configure the function correctly. The message names each variable that is wrong and
/// never repeats a value (a value could be a secret pasted into the wrong variable). Reported as the init error.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>A configuration error with the given problems, one per line.</summary>
    public ConfigurationException(IReadOnlyList<string> problems)
        : base("The function's configuration is invalid: " + string.Join(" ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    /// <summary>A configuration error with no detail.</summary>
    public ConfigurationException()
        : this([])
    {
    }

    /// <summary>A configuration error with one message.</summary>
    public ConfigurationException(string message)
        : this([message])
    {
    }

    /// <summary>A configuration error with one message and its cause.</summary>
    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Each problem, naming its variable.</summary>
    public IReadOnlyList<string> Problems { get; }
}
