using Amazon;
using Amazon.Runtime;

namespace EcsRoleAuditor.Aws.Tests.Clients;

/// <summary>Tests that change the process environment; they run alone, never beside tests that read it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentTests
{
    public const string Name = "Process environment";
}

/// <summary>
/// Sets environment variables for one test and restores the previous values; also points the shared credentials file
/// (and the config file beside it) at files of the test's own, so no developer profile or real credential is read.
/// The SDK reads AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE once per process, so the files are redirected through
/// <see cref="AWSConfigs.AWSProfilesLocation"/> instead.
/// </summary>
internal sealed class EnvironmentScope : IDisposable
{
    private static readonly string[] Isolated =
    [
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_ECS", "AWS_ENDPOINT_URL_SNS", "AWS_ENDPOINT_URL_STS",
        "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_ORGANIZATIONS", "AWS_ENDPOINT_URL_SQS",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    ];

    private readonly Dictionary<string, string?> saved = Isolated.ToDictionary(n => n, Environment.GetEnvironmentVariable);
    private readonly string directory = Directory.CreateTempSubdirectory("era-aws-env-").FullName;
    private readonly string? savedProfilesLocation = AWSConfigs.AWSProfilesLocation;

    public EnvironmentScope(string config = "", string credentials = "")
    {
        foreach (var name in Isolated)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        Write("config", config);
        AWSConfigs.AWSProfilesLocation = Write("credentials", credentials);
        FallbackRegionFactory.Reset();
    }

    public EnvironmentScope Set(string name, string? value)
    {
        Environment.SetEnvironmentVariable(name, value);
        return this;
    }

    public void Dispose()
    {
        foreach (var (name, value) in saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        AWSConfigs.AWSProfilesLocation = savedProfilesLocation;
        FallbackRegionFactory.Reset();
        Directory.Delete(directory, recursive: true);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
