using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GopherCron.Plugins.Tests.Support;

/// <summary>A real Kestrel server on a free loopback port, with the endpoints the http executor tests call.</summary>
public sealed class LoopbackServer : IAsyncLifetime
{
    public const int BigBodyBytes = 1024 * 1024;

    private WebApplication? _app;
    private X509Certificate2? _certificate;
    private int _abortedSlowRequests;
    private TaskCompletionSource _slowStarted = NewSignal();

    public string BaseUrl { get; private set; } = "";

    /// <summary>The same endpoints over TLS with a self-signed certificate nobody trusts.</summary>
    public string HttpsBaseUrl { get; private set; } = "";

    /// <summary>Slow requests whose client went away before the answer: proof that cancellation reached the socket.</summary>
    public int AbortedSlowRequests => Volatile.Read(ref _abortedSlowRequests);

    /// <summary>Completes when the next request to /slow arrives.</summary>
    public Task SlowStarted => _slowStarted.Task;

    public void ResetSlowStarted() => _slowStarted = NewSignal();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Kept until the server stops: Kestrel uses its private key at every handshake.
        var certificate = _certificate = SelfSignedCertificate();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
        });
        var app = builder.Build();

        app.MapGet("/ok", (HttpContext context) =>
        {
            context.Response.Headers["X-Test"] = "yes";
            return Results.Text("hello from kestrel", "text/plain");
        });
        app.MapGet("/fail", () => Results.Text("it broke", "text/plain", statusCode: 500));
        app.MapGet("/missing", () => Results.NotFound());
        app.MapGet("/redirect", () => Results.Redirect("/ok", permanent: true));
        app.MapGet("/slow", async (HttpContext context) =>
        {
            _slowStarted.TrySetResult();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _abortedSlowRequests);
                return Results.Empty;
            }

            return Results.Text("too late");
        });
        app.MapGet("/big", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            var block = Encoding.ASCII.GetBytes(new string('a', 1024));
            for (var i = 0; i < BigBodyBytes / block.Length; i++)
            {
                await context.Response.Body.WriteAsync(block, context.RequestAborted);
            }
        });
        app.MapGet("/broken", async (HttpContext context) =>
        {
            context.Response.ContentLength = 1000;
            await context.Response.WriteAsync("partial", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            // Abort discards output Kestrel has not sent yet; give the flushed part time to leave.
            await Task.Delay(300, context.RequestAborted);
            context.Abort();
        });
        app.Map("/echo", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var text = new StringBuilder()
                .Append("method=").Append(context.Request.Method).Append('\n')
                .Append("x-token=").Append(context.Request.Headers["X-Token"].ToString()).Append('\n')
                .Append("content-type=").Append(context.Request.ContentType).Append('\n')
                .Append("body=").Append(body).Append('\n')
                .ToString();
            return Results.Text(text, "text/plain");
        });

        await app.StartAsync();
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal)).TrimEnd('/');
        HttpsBaseUrl = addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)).TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _certificate?.Dispose();
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Through PFX so that Kestrel gets a certificate whose private key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
