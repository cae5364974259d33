using System.Text.Json;
using GopherCron.Agent.Protocol;
using GopherCron.Plugins.Tests.Support;

namespace GopherCron.Plugins.Tests;

/// <summary>The sql plugin against the MariaDB server of scripts/services.sh, each test on its own table.</summary>
public sealed class MariaDbExecutorTests : IDisposable
{
    private readonly string _table = "plugin_test_" + Guid.NewGuid().ToString("N")[..12];
    private readonly PluginHarness? _agent;

    public MariaDbExecutorTests()
    {
        if (MariaDb.RawConnectionString is { } connectionString)
        {
            _agent = new PluginHarness(new Dictionary<string, string?>
            {
                ["Plugins:sql:Connections:maria:Provider"] = "mariadb",
                ["Plugins:sql:Connections:maria:ConnectionString"] = connectionString,
            });
        }
    }

    private PluginHarness Agent => _agent ?? throw new InvalidOperationException(MariaDb.ConnectionString);

    [MariaDbFact]
    public async Task Statements_run_in_a_transaction_and_a_select_is_written_as_a_table()
    {
        var (finished, output) = await Run(new
        {
            connection = "maria",
            statements = new[]
            {
                $"CREATE TABLE {_table} (id INT PRIMARY KEY, name VARCHAR(20) NULL)",
                $"INSERT INTO {_table} (id, name) VALUES (1, 'Ada'), (2, NULL)",
                $"SELECT id, name FROM {_table} ORDER BY id",
            },
        });

        finished.Outcome.ShouldBe(RunOutcome.Succeeded, output);
        output.ShouldContain("(2 rows affected)\n");
        output.ShouldEndWith("id  name\n--  ----\n1   Ada\n2   NULL\n(2 rows)\n");
    }

    [MariaDbFact]
    public async Task A_failing_statement_rolls_back_and_reports_the_database_message()
    {
        (await Run(new { connection = "maria", sql = $"CREATE TABLE {_table} (id INT PRIMARY KEY) ENGINE=InnoDB" }))
            .Finished.Outcome.ShouldBe(RunOutcome.Succeeded);

        var (failed, _) = await Run(new
        {
            connection = "maria",
            statements = new[] { $"INSERT INTO {_table} (id) VALUES (1)", $"INSERT INTO {_table} (id) VALUES (1)" },
        });
        var (_, countOutput) = await Run(new { connection = "maria", sql = $"SELECT count(*) AS n FROM {_table}" });

        failed.Outcome.ShouldBe(RunOutcome.Failed);
        failed.Error.ShouldNotBeNull().ShouldContain("Duplicate entry '1'");
        countOutput.ShouldEndWith("n\n-\n0\n(1 row)\n");
    }

    [MariaDbFact]
    public async Task Kill_stops_a_sleeping_query_promptly()
    {
        var agent = Agent;

        var (finished, killToFinish) = await agent.RunAndKillAsync("sql",
            JsonSerializer.Serialize(new { connection = "maria", sql = "SELECT SLEEP(30)" }),
            runId => agent.Link.WaitForOutputAsync(runId, "-- [1]"));

        finished.Outcome.ShouldBe(RunOutcome.Killed);
        killToFinish.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    public void Dispose()
    {
        if (_agent is not null)
        {
            // Best effort: a failed test may have left the table behind.
            _agent.RunAsync("sql", JsonSerializer.Serialize(new { connection = "maria", sql = $"DROP TABLE IF EXISTS {_table}" }))
                .GetAwaiter().GetResult();
            _agent.Dispose();
        }
    }

    private Task<(RunFinished Finished, string Output)> Run(object config) => Agent.RunAsync("sql", JsonSerializer.Serialize(config));
}
