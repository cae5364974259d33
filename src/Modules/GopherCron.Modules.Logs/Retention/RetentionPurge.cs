using GopherCron.Modules.Logs.Contracts;
using GopherCron.Modules.Logs.Data;
using GopherCron.Modules.Shared.Data;
using GopherCron.Modules.Shared.Time;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GopherCron.Modules.Logs.Retention;

/// <summary>
/// Deletes ended runs older than the retention period, with their output, in small batches with a short transaction
/// each, so the runs table is never locked for long and the scheduler's claims go on meanwhile.
/// </summary>
internal sealed partial class RetentionPurge(Database database, IOptions<LogsOptions> options, TimeProvider clock, ILogger<RetentionPurge> logger)
    : BackgroundService
{
    private const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var purged = await PurgeAsync(stoppingToken);
                if (purged > 0)
                {
                    LogPurged(purged, options.Value.RetentionDays);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPurgeFailed(e);
            }

            await Task.Delay(options.Value.PurgeInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task<long> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = (clock.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays)).ToUnixMs();
        var pending = RunStatus.Pending.ToWire();
        var running = RunStatus.Running.ToWire();
        long total = 0;
        await using var db = new LogsDb(database.Options);
        while (!cancellationToken.IsCancellationRequested)
        {
            var ids = await db.Runs
                .Where(r => r.ScheduledAt < cutoff && r.Status != pending && r.Status != running)
                .OrderBy(r => r.ScheduledAt)
                .Select(r => r.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            await using (var tx = await db.BeginTransactionAsync(cancellationToken))
            {
                await db.Output.Where(o => ids.Contains(o.RunId)).DeleteAsync(cancellationToken);
                await db.Runs.Where(r => ids.Contains(r.Id)).DeleteAsync(cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }

            total += ids.Count;
        }

        return total;
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Purged {Count} runs older than {Days} days")]
    private partial void LogPurged(long count, int days);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Run retention purge failed; it will try again at the next interval")]
    private partial void LogPurgeFailed(Exception exception);
}
