using System.Net;

namespace GopherCron.Plugins.Http;

/// <summary>
/// One <see cref="HttpClient"/> per (followRedirects, verifyTls) pair, shared by every run: connection pooling and
/// DNS refresh (through <see cref="SocketsHttpHandler.PooledConnectionLifetime"/>) without a socket per run.
/// </summary>
internal sealed class HttpClients : IDisposable
{
    private readonly HttpClient[] _clients = new HttpClient[4];

    public HttpClients()
    {
        for (var i = 0; i < _clients.Length; i++)
        {
            _clients[i] = Create(followRedirects: (i & 1) != 0, verifyTls: (i & 2) != 0);
        }
    }

    public HttpClient Get(bool followRedirects, bool verifyTls) =>
        _clients[(followRedirects ? 1 : 0) | (verifyTls ? 2 : 0)];

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private static HttpClient Create(bool followRedirects, bool verifyTls)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = followRedirects,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            UseCookies = false,
        };

        if (!verifyTls)
        {
            // The task asked for it explicitly (self-signed internal endpoints); the default stays verifying.
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }

        // Each run bounds its own request through its cancellation token; the client-wide timeout would cut
        // long runs at 100 s regardless of the task's timeout.
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
