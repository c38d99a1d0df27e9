using EcsRoleAuditor.FakeLambdaRuntime;

namespace EcsRoleAuditor.Lambda.Tests.Hosting;

/// <summary>
/// The Native AOT bootstrap, published once per test run (and reused across runs while src/ is unchanged, see
/// <see cref="PublishedBootstrap"/>). The publish takes minutes on a loaded machine, hence the generous timeout.
/// </summary>
public sealed class PublishedBootstrapFixture : IAsyncLifetime
{
    public BootstrapCommand Command { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Command = await PublishedBootstrap.PublishAsync(BootstrapFlavor.NativeAot, TimeSpan.FromMinutes(20));

    public Task DisposeAsync() => Task.CompletedTask;
}
