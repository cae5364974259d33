using Microsoft.Extensions.Hosting;

namespace GopherCron.Modules.Tasks.Dispatching;

/// <summary>Tells the dispatcher when etcd reports an agent gone, so its detached runs are settled at once.</summary>
internal sealed class AgentDeathWatch(EtcdAgentDirectory directory, Dispatcher dispatcher) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        directory.Vanished += OnVanished;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        directory.Vanished -= OnVanished;
        return Task.CompletedTask;
    }

    private void OnVanished(GopherCron.Agent.Protocol.AgentPresenceRecord record) => dispatcher.AgentVanished(record.Id, record.Name);
}
