using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Modules.Shared.Cluster;

/// <summary>
/// Requests only the scheduling leader can serve (run now, kill, the agents connected to it) are forwarded by a
/// follower to the leader, with the caller's credentials, and the leader's answer is passed back unchanged. The
/// caller's access was already checked here (the store is shared); the leader checks it again.
/// </summary>
public static class LeaderForwarding
{
    /// <summary>Set on a forwarded request: a replica that receives it and does not lead answers 503 instead of forwarding again.</summary>
    public const string ForwardedHeader = "X-GopherCron-Forwarded-By";

    public const string HttpClientName = "gophercron-leader";

    /// <summary>Serves the endpoint on the leader; a follower forwards it there (503 with Retry-After if there is no leader).</summary>
    public static TBuilder ServedByLeader<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var leadership = http.RequestServices.GetRequiredService<ILeadership>();
            if (leadership.Role is ClusterRole.Standalone or ClusterRole.Leader)
            {
                return await next(context);
            }

            if (http.Request.Headers.ContainsKey(ForwardedHeader))
            {
                return NoLeader("The replica this request was forwarded to no longer leads scheduling (leadership is moving).");
            }

            var fence = http.RequestServices.GetRequiredService<LeadershipFence>();
            var office = await fence.ReadAsync(http.RequestAborted);
            var leader = leadership.LeaderReplica;
            if (leader is null || office is not { ApiUrl.Length: > 0 } || office.Replica != leader)
            {
                return NoLeader(leader is null
                    ? "No replica leads scheduling right now (an election is in progress, or there is no quorum)."
                    : $"Replica {leader} was just elected and has not taken scheduling office yet.");
            }

            var self = await http.RequestServices.GetRequiredService<IReplicaIdentity>().GetAsync(http.RequestAborted);
            return new ForwardedResult(office.ApiUrl, self.Replica);
        });

    private static IResult NoLeader(string detail)
    {
        return new RetryLater(TypedResults.Problem(detail + " Retry shortly.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "No scheduling leader"));
    }

    private sealed class RetryLater(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = "1";
            return inner.ExecuteAsync(httpContext);
        }
    }

    private sealed class ForwardedResult(string leaderApi, string self) : IResult
    {
        private static readonly string[] RequestHeaders = ["Authorization", "Accept", "Accept-Language"];
        private static readonly string[] ResponseHeaders = ["Location", "Retry-After", "Cache-Control"];

        public async Task ExecuteAsync(HttpContext http)
        {
            var request = http.Request;
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), leaderApi + request.Path + request.QueryString);
            foreach (var name in RequestHeaders)
            {
                if (request.Headers.TryGetValue(name, out var values))
                {
                    message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }

            message.Headers.TryAddWithoutValidation(ForwardedHeader, self);
            if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                // The body was read to bind the endpoint's parameters; requests are buffered in cluster mode so it rewinds.
                if (request.Body.CanSeek)
                {
                    request.Body.Position = 0;
                }

                var body = new MemoryStream();
                await request.Body.CopyToAsync(body, http.RequestAborted);
                body.Position = 0;
                message.Content = new StreamContent(body);
                if (request.ContentType is { } contentType)
                {
                    message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }
            }

            var client = http.RequestServices.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !http.RequestAborted.IsCancellationRequested)
            {
                await NoLeader($"The leader at {leaderApi} could not be reached ({e.Message}).").ExecuteAsync(http);
                return;
            }

            using (response)
            {
                http.Response.StatusCode = (int)response.StatusCode;
                foreach (var name in ResponseHeaders)
                {
                    if (response.Headers.TryGetValues(name, out var values))
                    {
                        http.Response.Headers[name] = values.ToArray();
                    }
                }

                if (response.Content.Headers.ContentType is { } type)
                {
                    http.Response.ContentType = type.ToString();
                }

                await using var stream = await response.Content.ReadAsStreamAsync(http.RequestAborted);
                try
                {
                    await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !http.RequestAborted.IsCancellationRequested)
                {
                    // The leader went away mid-answer (a long stream such as /events): end ours; the client reconnects.
                    http.Abort();
                }
            }
        }
    }
}
