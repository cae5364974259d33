using System.Collections.Concurrent;
using GopherCron.Modules.Projects.Contracts;
using GopherCron.Modules.Tasks.Scheduling;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace GopherCron.Modules.Tasks.Data;

/// <summary>A deleted project takes its tasks with it; the scheduler forgets them once the deletion commits.</summary>
internal sealed class ProjectTasksDeletion(TaskChangeFeed changes, TimeProvider clock) : IProjectDeletionParticipant
{
    private readonly ConcurrentDictionary<long, List<long>> _deleting = new();

    public async Task DeleteProjectDataAsync(DataConnection connection, long projectId, CancellationToken cancellationToken)
    {
        var tasks = connection.GetTable<TaskRow>().Where(t => t.ProjectId == projectId);
        var ids = await tasks.Select(t => t.Id).ToListAsync(cancellationToken);
        _deleting[projectId] = ids;
        await tasks.DeleteAsync(cancellationToken);
        await TaskTombstones.WriteAsync(connection, ids, clock, cancellationToken);
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

/// <summary>Deleted tasks' tombstones: written in the deleting transaction, read by the leader, purged after a day.</summary>
internal static class TaskTombstones
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    public static async Task WriteAsync(DataConnection connection, IReadOnlyCollection<long> taskIds, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (taskIds.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await connection.GetTable<TaskTombstoneRow>().BulkCopyAsync(
            new BulkCopyOptions { BulkCopyType = BulkCopyType.MultipleRows },
            taskIds.Select(id => new TaskTombstoneRow { TaskId = id, DeletedAt = now }), cancellationToken);
    }
}
