using Amazon.Runtime;

namespace EcsRoleAuditor.Aws.Runtime;

/// <summary>
/// The SDK's defaults modes (<c>AWS_DEFAULTS_MODE</c> / profile <c>defaults_mode</c>) with the timeouts of AWS's
/// smart-defaults specification; every mode uses standard retries.
/// </summary>
internal static class ServiceDefaultConfigurations
{
    /// <summary>All modes, Standard first (the SDK falls back to the first when the mode is legacy or unknown).</summary>
    public static IReadOnlyList<IDefaultConfiguration> All { get; } =
    [
        Mode(DefaultConfigurationMode.Standard, connectMilliseconds: 3100),
        Mode(DefaultConfigurationMode.InRegion, connectMilliseconds: 1100),
        Mode(DefaultConfigurationMode.CrossRegion, connectMilliseconds: 3100),
        Mode(DefaultConfigurationMode.Mobile, connectMilliseconds: 30000),
        Mode(DefaultConfigurationMode.Auto, connectMilliseconds: 1100),
    ];

    private static DefaultConfiguration Mode(DefaultConfigurationMode name, int connectMilliseconds) => new()
    {
        Name = name,
        RetryMode = RequestRetryMode.Standard,
        S3UsEast1RegionalEndpoint = S3UsEast1RegionalEndpointValue.Regional,
        ConnectTimeout = TimeSpan.FromMilliseconds(connectMilliseconds),
        TlsNegotiationTimeout = TimeSpan.FromMilliseconds(connectMilliseconds),
        TimeToFirstByteTimeout = null,
        HttpRequestTimeout = null,
    };
}
