using System.Collections.Concurrent;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Tasks.Scheduling;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace GopherCron.Modules.Tasks.Data;

/// <summary>A deleted project takes its tasks with it; the scheduler forgets them once the deletion commits.</summary>
internal sealed class ProjectTasksDeletion(TaskChangeFeed changes) : IProjectDeletionParticipant
{
    private readonly ConcurrentDictionary<long, List<long>> _deleting = new();

    public async Task DeleteProjectDataAsync(DataConnection connection, long projectId, CancellationToken cancellationToken)
    {
        var tasks = connection.GetTable<TaskRow>().Where(t => t.ProjectId == projectId);
        _deleting[projectId] = await tasks.Select(t => t.Id).ToListAsync(cancellationToken);
        await tasks.DeleteAsync(cancellationToken);
    }

    public Task ProjectDeletedAsync(long projectId, CancellationToken cancellationToken)
    {
        if (_deleting.TryRemove(projectId, out var ids))
        {
            ids.ForEach(changes.Changed);
        }

        return Task.CompletedTask;
    }
}
