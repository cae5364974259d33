using System.Text.Json;
using GopherCron.Agent.Protocol;
using GopherCron.Plugins.Tests.Support;

namespace GopherCron.Plugins.Tests;

/// <summary>The http plugin, loaded from plugins/http/, against a real Kestrel server on loopback.</summary>
public sealed class HttpExecutorTests(LoopbackServer server) : IClassFixture<LoopbackServer>, IDisposable
{
    private readonly PluginHarness _agent = new();

    [Fact]
    public async Task A_2xx_response_succeeds_and_its_status_headers_and_body_are_the_output()
    {
        var (finished, output) = await _agent.RunAsync("http", Config(new { url = server.BaseUrl + "/ok" }));

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        finished.ExitCode.ShouldBe(0);
        output.ShouldStartWith("HTTP/1.1 200 OK\n");
        output.ShouldContain("\nX-Test: yes\n");
        output.ShouldContain("\nContent-Type: text/plain");
        output.ShouldEndWith("\n\nhello from kestrel");
    }

    [Fact]
    public async Task A_500_fails_with_the_status_and_the_accepted_codes()
    {
        var (finished, output) = await _agent.RunAsync("http", Config(new { url = server.BaseUrl + "/fail" }));

        finished.Outcome.ShouldBe(RunOutcome.Failed);
        finished.ExitCode.ShouldBe(1);
        finished.Error.ShouldBe("HTTP 500 Internal Server Error (accepted: 2xx)");
        output.ShouldEndWith("\n\nit broke");
    }

    [Fact]
    public async Task Accepted_status_codes_may_list_codes_classes_and_ranges()
    {
        var (finished, _) = await _agent.RunAsync("http",
            Config(new { url = server.BaseUrl + "/missing", acceptedStatusCodes = new object[] { "2xx", 301, "400-404" } }));

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
    }

    [Fact]
    public async Task Redirects_are_followed_unless_disabled()
    {
        var (followed, followedOutput) = await _agent.RunAsync("http", Config(new { url = server.BaseUrl + "/redirect" }));
        var (notFollowed, notFollowedOutput) = await _agent.RunAsync("http",
            Config(new { url = server.BaseUrl + "/redirect", followRedirects = false }));

        followed.Outcome.ShouldBe(RunOutcome.Succeeded);
        followedOutput.ShouldEndWith("hello from kestrel");
        notFollowed.Outcome.ShouldBe(RunOutcome.Failed);
        notFollowed.Error.ShouldBe("HTTP 301 Moved Permanently (accepted: 2xx)");
        notFollowedOutput.ShouldContain("\nLocation: /ok\n");
    }

    [Fact]
    public async Task Method_headers_and_body_reach_the_server()
    {
        var (finished, output) = await _agent.RunAsync("http", Config(new
        {
            method = "put",
            url = server.BaseUrl + "/echo",
            headers = new Dictionary<string, string> { ["X-Token"] = "s3cret", ["Content-Type"] = "application/json" },
            body = """{"a":1}""",
        }));

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        output.ShouldContain("method=PUT\nx-token=s3cret\ncontent-type=application/json\nbody={\"a\":1}\n");
    }

    [Fact]
    public async Task A_large_body_is_cut_at_maxBodyBytes_with_a_marker()
    {
        var (finished, output) = await _agent.RunAsync("http", Config(new { url = server.BaseUrl + "/big", maxBodyBytes = 1000 }));

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        var body = output[(output.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
        body.ShouldBe(new string('a', 1000) + "\n[body truncated after 1000 bytes (maxBodyBytes)]\n");
    }

    [Fact]
    public async Task The_default_cap_is_64_KiB()
    {
        var (_, output) = await _agent.RunAsync("http", Config(new { url = server.BaseUrl + "/big" }));

        output.Count(c => c == 'a').ShouldBeInRange(64 * 1024, 64 * 1024 + 100); // headers may hold a few
        output.ShouldEndWith("[body truncated after 65536 bytes (maxBodyBytes)]\n");
    }

    [Fact]
    public async Task The_task_timeout_aborts_the_request()
    {
        var aborted = server.AbortedSlowRequests;

        var (finished, _) = await _agent.RunAsync("http", Config(new { url = server.BaseUrl + "/slow", timeoutSeconds = 1 }));

        finished.Outcome.ShouldBe(RunOutcome.Failed);
        finished.Error.ShouldBe("request timed out after 1 s (timeoutSeconds)");
        await WaitUntil(() => server.AbortedSlowRequests > aborted);
    }

    [Fact]
    public async Task The_run_timeout_stops_the_request()
    {
        var (finished, _) = await _agent.RunAsync("http", Config(new { url = server.BaseUrl + "/slow" }), timeoutSeconds: 1);

        finished.Outcome.ShouldBe(RunOutcome.TimedOut);
    }

    [Fact]
    public async Task Kill_aborts_the_request_on_the_server()
    {
        server.ResetSlowStarted();
        var aborted = server.AbortedSlowRequests;

        var (finished, killToFinish) = await _agent.RunAndKillAsync("http", Config(new { url = server.BaseUrl + "/slow" }),
            _ => server.SlowStarted);

        finished.Outcome.ShouldBe(RunOutcome.Killed);
        killToFinish.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        await WaitUntil(() => server.AbortedSlowRequests > aborted);
    }

    [Fact]
    public async Task An_unreachable_server_fails_with_the_reason()
    {
        var (finished, _) = await _agent.RunAsync("http", Config(new { url = "http://127.0.0.1:1/" }));

        finished.Outcome.ShouldBe(RunOutcome.Failed);
        finished.Error.ShouldNotBeNull().ShouldStartWith("request to http://127.0.0.1:1 failed: ");
    }

    [Fact]
    public async Task A_connection_broken_in_the_middle_of_the_body_fails_the_run_and_keeps_what_arrived()
    {
        var (finished, output) = await _agent.RunAsync("http", Config(new { url = server.BaseUrl + "/broken" }));

        finished.Outcome.ShouldBe(RunOutcome.Failed);
        finished.Error.ShouldNotBeNull().ShouldStartWith($"request to {server.BaseUrl} failed: ");
        output.ShouldContain("\n\npartial");
    }

    [Fact]
    public async Task An_untrusted_certificate_fails_unless_verifyTls_is_off()
    {
        var (verified, _) = await _agent.RunAsync("http", Config(new { url = server.HttpsBaseUrl + "/ok" }));
        var (unverified, output) = await _agent.RunAsync("http", Config(new { url = server.HttpsBaseUrl + "/ok", verifyTls = false }));

        verified.Outcome.ShouldBe(RunOutcome.Failed);
        verified.Error.ShouldNotBeNull().ShouldContain("SSL");
        unverified.Outcome.ShouldBe(RunOutcome.Succeeded, unverified.Error);
        output.ShouldEndWith("hello from kestrel");
    }

    [Theory]
    [InlineData("""{"method": "GET"}""", "url")]
    [InlineData("""{"url": "ftp://example.com/"}""", "url")]
    [InlineData("""{"url": "/relative"}""", "url")]
    [InlineData("""{"url": "http://x/", "method": "GE T"}""", "method")]
    [InlineData("""{"url": "http://x/", "headers": {"X-A": 1}}""", "headers.X-A")]
    [InlineData("""{"url": "http://x/", "acceptedStatusCodes": ["2xx", "abc"]}""", "acceptedStatusCodes[1]")]
    [InlineData("""{"url": "http://x/", "acceptedStatusCodes": [200, 999]}""", "acceptedStatusCodes[1]")]
    [InlineData("""{"url": "http://x/", "timeoutSeconds": 0}""", "timeoutSeconds")]
    [InlineData("""{"url": "http://x/", "maxBodyBytes": -1}""", "maxBodyBytes")]
    [InlineData("""{"url": "http://x/", "verifyTls": "no"}""", "verifyTls")]
    [InlineData("""{"url": "http://x/", "body": "x"}""", "body")]
    [InlineData("""{"url": "http://x/", "tiemout": 3}""", "tiemout")]
    public void Validation_names_the_field_at_fault(string json, string field)
    {
        _agent.Validate("http", json).Select(e => e.Field).ShouldBe([field]);
    }

    [Fact]
    public void A_complete_configuration_is_valid()
    {
        _agent.Validate("http", """
            {"method": "POST", "url": "https://example.com/hook", "headers": {"Authorization": "Bearer x"}, "body": "{}",
             "timeoutSeconds": 10, "acceptedStatusCodes": ["2xx", 301, "400-404"], "followRedirects": false,
             "verifyTls": false, "maxBodyBytes": 1024}
            """).ShouldBeEmpty();
    }

    public void Dispose() => _agent.Dispose();

    private static string Config(object config) => JsonSerializer.Serialize(config);

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        condition().ShouldBeTrue("the server saw the request aborted");
    }
}
