using System.Net.Sockets;
using System.Text.Json;

namespace GopherCron.Plugins.Tests.Support;

/// <summary>
/// A fact that needs a Docker engine at the address the container plugin would use (<c>DOCKER_HOST</c>, else
/// <c>unix:///var/run/docker.sock</c>). Skipped, with that reason, when a quick ping there gets no answer: there is no
/// engine on the project's own machines, and none is faked.
/// </summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (!DockerEngine.Reachable.Value)
        {
            Skip = $"no Docker engine reachable at {DockerEngine.Address}";
        }
    }
}

internal static class DockerEngine
{
    public static string Address =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } value ? value : "unix:///var/run/docker.sock";

    public static Lazy<bool> Reachable { get; } = new(() => PingAsync(Address).GetAwaiter().GetResult());

    /// <summary>GET /_ping with a short timeout, over a unix socket or TCP; any failure means no engine.</summary>
    private static async Task<bool> PingAsync(string address)
    {
        try
        {
            using var client = CreateClient(address, TimeSpan.FromSeconds(3));
            using var response = await client.GetAsync(new Uri("/_ping", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException or UriFormatException or IOException)
        {
            return false;
        }
    }

    /// <summary>The containers (running or not) labelled with <paramref name="runId"/>, as the engine lists them.</summary>
    public static async Task<JsonElement[]> ContainersOfRunAsync(long runId)
    {
        using var client = CreateClient(Address, TimeSpan.FromSeconds(30));
        var filters = Uri.EscapeDataString($$"""{"label":["gophercron.run-id={{runId}}"]}""");
        var json = await client.GetStringAsync(new Uri($"/containers/json?all=1&filters={filters}", UriKind.Relative));
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    public static async Task RemoveContainerAsync(string id)
    {
        using var client = CreateClient(Address, TimeSpan.FromSeconds(30));
        using var response = await client.DeleteAsync(new Uri($"/containers/{id}?force=1", UriKind.Relative));
    }

    private static HttpClient CreateClient(string address, TimeSpan timeout)
    {
        var uri = new Uri(address);
        var handler = new SocketsHttpHandler();
        var baseAddress = new Uri($"http://{uri.Host}:{(uri.Port > 0 ? uri.Port : 2375)}/");
        if (uri.Scheme == "unix")
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(uri.LocalPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            baseAddress = new Uri("http://docker/");
        }

        return new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = timeout };
    }
}
