using GopherCron.Modules.Projects.Contracts;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace GopherCron.Modules.Logs.Data;

/// <summary>A deleted project takes its run history with it.</summary>
internal sealed class ProjectRunsDeletion : IProjectDeletionParticipant
{
    public async Task DeleteProjectDataAsync(DataConnection connection, long projectId, CancellationToken cancellationToken)
    {
        var runs = connection.GetTable<RunRow>().Where(r => r.ProjectId == projectId).Select(r => r.Id);
        await connection.GetTable<OutputRow>().Where(o => runs.Contains(o.RunId)).DeleteAsync(cancellationToken);
        await connection.GetTable<RunRow>().Where(r => r.ProjectId == projectId).DeleteAsync(cancellationToken);
    }

    public Task ProjectDeletedAsync(long projectId, CancellationToken cancellationToken) => Task.CompletedTask;
}
