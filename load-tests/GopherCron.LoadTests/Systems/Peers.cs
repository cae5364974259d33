using System.Collections.Specialized;
using System.Diagnostics;
using System.Globalization;
using GopherCron.LoadTests.Harness;
using Hangfire;
using Hangfire.Server;
using MySqlConnector;
using Quartz;

namespace GopherCron.LoadTests.Systems;

/// <summary>
/// The peers, each run in a child process of the harness (<c>peer-child --system ...</c>) so that CPU and RSS are
/// theirs alone. Every job body records its start against its scheduled instant, exactly as GopherCron's noop
/// executor does.
/// </summary>
internal static class Peers
{
    public const string QuartzRam = "quartz-ram";
    public const string QuartzAdo = "quartz-ado";
    public const string Hangfire = "hangfire-inmemory";

    internal static RecordWriter? Recorder;

    /// <summary>The child's entry: schedules N jobs every second, prints "ready", runs until killed.</summary>
    public static async Task<int> RunChildAsync(Options options)
    {
        var system = options.String("system", "");
        var tasks = options.Int("tasks", 1000);
        Recorder = new RecordWriter(options.String("record", "records.bin"));
        var setup = Stopwatch.StartNew();
        IAsyncDisposable running = system switch
        {
            QuartzRam => await StartQuartzAsync(tasks, ado: null),
            QuartzAdo => await StartQuartzAsync(tasks, ado: options["mysql"] ?? throw new ArgumentException("--mysql is required")),
            Hangfire => StartHangfire(tasks),
            _ => throw new ArgumentException($"unknown peer '{system}'"),
        };
        Console.WriteLine($"ready setup_s={setup.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}");
        await using (running)
        {
            // The parent measures, then kills this process; stdin closing is the other way out.
            await Task.Run(() => Console.In.ReadToEnd());
        }

        return 0;
    }

    private static async Task<IAsyncDisposable> StartQuartzAsync(int tasks, string? ado)
    {
        var properties = new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = "bench",
            ["quartz.scheduler.instanceId"] = "AUTO",
            // Defaults but one: let the scheduler thread take as many due triggers per acquisition as it has threads
            // (Quartz's own advice for many triggers firing at once; the default of 1 would be unfair to it).
            ["quartz.threadPool.maxConcurrency"] = "10",
            ["quartz.scheduler.batchTriggerAcquisitionMaxCount"] = "10",
        };
        if (ado is not null)
        {
            properties["quartz.jobStore.type"] = "Quartz.Impl.AdoJobStore.JobStoreTX, Quartz";
            properties["quartz.jobStore.driverDelegateType"] = "Quartz.Impl.AdoJobStore.MySQLDelegate, Quartz";
            properties["quartz.jobStore.dataSource"] = "bench";
            properties["quartz.jobStore.tablePrefix"] = "QRTZ_";
            properties["quartz.jobStore.clustered"] = "true";
            properties["quartz.dataSource.bench.provider"] = "MySqlConnector";
            properties["quartz.dataSource.bench.connectionString"] = ado;
            properties["quartz.serializer.type"] = "stj";
        }

        // Without a job store type Quartz keeps everything in memory (RAMJobStore).
        var scheduler = await QuartzSchedulerBuilder.Create(_ => { }).UseProperties(properties).BuildScheduler();
        var jobs = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>(tasks);
        for (var i = 1; i <= tasks; i++)
        {
            var name = i.ToString(CultureInfo.InvariantCulture);
            var job = JobBuilder.Create<QuartzNoopJob>().WithIdentity(name).Build();
            var trigger = TriggerBuilder.Create().WithIdentity(name).WithCronSchedule("* * * * * ?").Build();
            jobs[job] = [trigger];
            if (jobs.Count == 1000)
            {
                await scheduler.ScheduleJobs(jobs, ScheduleJobOptions.Replacing);
                jobs.Clear();
            }
        }

        if (jobs.Count > 0)
        {
            await scheduler.ScheduleJobs(jobs, ScheduleJobOptions.Replacing);
        }

        await scheduler.Start();
        return new Stopper(async () => await scheduler.Shutdown(waitForJobsToComplete: false));
    }

    /// <summary>Creates a fresh database with Quartz's tables (load-tests' own DDL) and returns its connection string.</summary>
    public static async Task<string> CreateQuartzDatabaseAsync(string baseConnectionString)
    {
        var builder = new MySqlConnectionStringBuilder(baseConnectionString);
        var name = $"{builder.Database}_quartz_{DateTime.UtcNow:HHmmss}_{Random.Shared.Next(1000, 9999)}";
        await using (var connection = new MySqlConnection(baseConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new MySqlCommand($"CREATE DATABASE `{name}`", connection);
            await create.ExecuteNonQueryAsync();
        }

        builder.Database = name;
        await using (var connection = new MySqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            using var ddl = new StreamReader(typeof(Peers).Assembly.GetManifestResourceStream("quartz_mysql.sql")!);
            var script = string.Join('\n', (await ddl.ReadToEndAsync()).Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal)));
            foreach (var statement in script.Split(';').Select(s => s.Trim()).Where(s => s.Length > 0))
            {
                await using var command = new MySqlCommand(statement, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        return builder.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString);
        var name = builder.Database;
        builder.Database = "";
        await using var connection = new MySqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new MySqlCommand($"DROP DATABASE IF EXISTS `{name}`", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static IAsyncDisposable StartHangfire(int tasks)
    {
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseInMemoryStorage();
        var manager = new RecurringJobManager();
        for (var i = 1; i <= tasks; i++)
        {
            var task = (long)i;
            manager.AddOrUpdate("t" + i.ToString(CultureInfo.InvariantCulture), () => HangfireNoopJob.Run(task, null!), "* * * * * *");
        }

        // Default server but one setting: a seconds schedule needs the scheduler to poll more often than the 15 s
        // default (Hangfire's own guidance for sub-minute recurring jobs).
        var server = new BackgroundJobServer(new BackgroundJobServerOptions { SchedulePollingInterval = TimeSpan.FromMilliseconds(100) });
        return new Stopper(() =>
        {
            server.Dispose();
            return ValueTask.CompletedTask;
        });
    }

    private sealed class Stopper(Func<ValueTask> stop) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => stop();
    }
}

internal sealed class QuartzNoopJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        Peers.Recorder?.Record(long.Parse(context.JobDetail.Key.Name, CultureInfo.InvariantCulture),
            context.ScheduledFireTimeUtc ?? context.FireTimeUtc, started);
        return ValueTask.CompletedTask;
    }
}

public static class HangfireNoopJob
{
    /// <summary>
    /// Hangfire's recurring-job scheduler stamps each job it creates with the "Time" parameter: the occurrence it
    /// was created for (unix seconds). That is the scheduled instant.
    /// </summary>
    public static void Run(long task, PerformContext context)
    {
        var started = DateTimeOffset.UtcNow;
        var time = context.GetJobParameter<long?>("Time");
        var scheduled = time is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MinValue;
        Peers.Recorder?.Record(task, scheduled, started);
    }
}
