using GopherCron.Modules.Shared.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GopherCron.Modules.Tasks.Scheduling;

/// <summary>Ready when this replica can do its part: the leader once its schedule is loaded; a follower at once.</summary>
internal sealed class SchedulerHealthCheck(Scheduler scheduler, ILeadership leadership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var leads = leadership.Role is ClusterRole.Standalone or ClusterRole.Leader;
        return Task.FromResult(!leads || scheduler.IsScheduling
            ? HealthCheckResult.Healthy(leads ? "scheduling" : "following")
            : HealthCheckResult.Unhealthy("the scheduler has not loaded its schedule yet"));
    }
}
