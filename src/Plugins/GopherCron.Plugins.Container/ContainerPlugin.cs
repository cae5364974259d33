using Docker.DotNet;
using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Plugins.Container;

/// <summary>
/// Registers the <c>container</c> executor: runs each task in a new container through the Docker Engine API.
/// </summary>
/// <remarks>
/// Plugin configuration (<c>Plugins:container</c>): <c>DockerHost</c>, the engine's address (otherwise the
/// <c>DOCKER_HOST</c> environment variable, otherwise <c>unix:///var/run/docker.sock</c>), and
/// <c>StopGraceSeconds</c> (default 10), how long a killed or timed-out container gets between SIGTERM and SIGKILL.
/// </remarks>
public sealed class ContainerPlugin : IExecutorPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        var options = ContainerOptions.From(configuration);
        services.AddSingleton(options);
        // No connection is made here: an engine that is down (or starts later) fails runs, not the agent.
        services.AddSingleton<IDockerClient>(_ => new DockerClientConfiguration(options.DockerHost).CreateClient());
        services.AddSingleton<ITaskExecutor, ContainerExecutor>();
    }
}
