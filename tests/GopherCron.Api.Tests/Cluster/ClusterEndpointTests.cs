using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GopherCron.Api.Tests.Infrastructure;

namespace GopherCron.Api.Tests.Cluster;

public sealed class ClusterEndpointTests(GopherCronApp app) : IClassFixture<GopherCronApp>
{
    [Fact]
    public async Task The_embedded_host_reports_itself_standalone()
    {
        var admin = await app.AdminClientAsync();
        var cluster = await admin.GetFromJsonAsync<JsonElement>("/api/v1/cluster");

        cluster.GetProperty("role").GetString().ShouldBe("standalone");
        cluster.GetProperty("term").GetInt64().ShouldBe(1);
        cluster.GetProperty("replicas").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Anonymous_callers_are_refused()
    {
        using var anonymous = app.CreateAnonymousClient();
        (await anonymous.GetAsync("/api/v1/cluster")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
