using System.Net;
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
    private int _abortedSlowRequests;
    private TaskCompletionSource _slowStarted = NewSignal();

    public string BaseUrl { get; private set; } = "";

    /// <summary>Slow requests whose client went away before the answer: proof that cancellation reached the socket.</summary>
    public int AbortedSlowRequests => Volatile.Read(ref _abortedSlowRequests);

    /// <summary>Completes when the next request to /slow arrives.</summary>
    public Task SlowStarted => _slowStarted.Task;

    public void ResetSlowStarted() => _slowStarted = NewSignal();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
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
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
