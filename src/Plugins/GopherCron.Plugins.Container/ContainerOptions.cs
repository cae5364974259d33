using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace GopherCron.Plugins.Container;

/// <summary>Agent-wide settings of the container executor (the <c>Plugins:container</c> configuration section).</summary>
/// <param name="DockerHost">The Docker Engine API address: unix:///path, tcp://host:port or npipe://./pipe/name.</param>
/// <param name="StopGrace">How long a stopped container gets between SIGTERM and SIGKILL.</param>
internal sealed record ContainerOptions(Uri DockerHost, TimeSpan StopGrace)
{
    public const string DefaultDockerHost = "unix:///var/run/docker.sock";

    public static ContainerOptions From(IConfiguration configuration)
    {
        // The same precedence the docker CLI uses, minus contexts: explicit setting, then DOCKER_HOST, then the default socket.
        var address = configuration["DockerHost"] is { Length: > 0 } configured ? configured
            : Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } fromEnvironment ? fromEnvironment
            : DefaultDockerHost;

        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("unix" or "tcp" or "http" or "https" or "npipe"))
        {
            throw new InvalidOperationException(
                $"Plugins:container:DockerHost (or DOCKER_HOST) must be a unix://, tcp:// or npipe:// address; not '{address}'.");
        }

        var grace = TimeSpan.FromSeconds(10);
        if (configuration["StopGraceSeconds"] is { Length: > 0 } graceText)
        {
            if (!double.TryParse(graceText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is < 0 or > 3600)
            {
                throw new InvalidOperationException(
                    $"Plugins:container:StopGraceSeconds must be a number of seconds between 0 and 3600; not '{graceText}'.");
            }

            grace = TimeSpan.FromSeconds(seconds);
        }

        return new ContainerOptions(uri, grace);
    }
}
