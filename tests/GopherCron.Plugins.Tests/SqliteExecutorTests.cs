using System.Text.Json;
using GopherCron.Agent.Protocol;
using GopherCron.Plugins.Tests.Support;

namespace GopherCron.Plugins.Tests;

/// <summary>The sql plugin, loaded from plugins/sql/, against a real SQLite database file.</summary>
public sealed class SqliteExecutorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gophercron-sql-").FullName;
    private readonly PluginHarness _agent;

    public SqliteExecutorTests()
    {
        _agent = new PluginHarness(new Dictionary<string, string?>
        {
            ["Plugins:sql:Connections:local:Provider"] = "sqlite",
            ["Plugins:sql:Connections:local:ConnectionString"] = $"Data Source={Path.Combine(_folder, "test.db")};Pooling=False",
        });
    }

    [Fact]
    public async Task Statements_run_in_order_and_a_select_is_written_as_a_table()
    {
        var (finished, output) = await Run(new
        {
            connection = "local",
            statements = new[]
            {
                "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, note TEXT)",
                "INSERT INTO people (name, note) VALUES ('Ada', NULL), ('Grace', 'two\nlines')",
                "SELECT id, name, note FROM people ORDER BY id",
            },
        });

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        output.ShouldBe("""
            -- [1] CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, note TEXT)
            (0 rows affected)
            -- [2] INSERT INTO people (name, note) VALUES ('Ada', NULL), ('Grace', 'two lines')
            (2 rows affected)
            -- [3] SELECT id, name, note FROM people ORDER BY id
            id  name   note
            --  -----  ----------
            1   Ada    NULL
            2   Grace  two\nlines
            (2 rows)

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_statement_rolls_the_transaction_back()
    {
        (await Run(new { connection = "local", sql = "CREATE TABLE items (id INTEGER PRIMARY KEY)" })).Finished.Outcome
            .ShouldBe(RunOutcome.Succeeded);

        var (failed, failedOutput) = await Run(new
        {
            connection = "local",
            statements = new[] { "INSERT INTO items (id) VALUES (1), (2)", "INSERT INTO no_such_table VALUES (1)" },
        });
        var (_, countOutput) = await Run(new { connection = "local", sql = "SELECT count(*) AS n FROM items" });

        failed.Outcome.ShouldBe(RunOutcome.Failed);
        failed.ExitCode.ShouldBe(1);
        failed.Error.ShouldNotBeNull().ShouldContain("statement 2: ");
        failed.Error.ShouldContain("no such table: no_such_table");
        failedOutput.ShouldContain("; transaction rolled back");
        countOutput.ShouldContain("\n0\n(1 row)\n");
    }

    [Fact]
    public async Task Without_a_transaction_the_statements_before_the_failure_stay()
    {
        await Run(new { connection = "local", sql = "CREATE TABLE kept (id INTEGER PRIMARY KEY)" });

        var (failed, _) = await Run(new
        {
            connection = "local",
            transaction = false,
            statements = new[] { "INSERT INTO kept (id) VALUES (1)", "INSERT INTO kept (id) VALUES (1)" },
        });
        var (_, countOutput) = await Run(new { connection = "local", sql = "SELECT count(*) AS n FROM kept" });

        failed.Outcome.ShouldBe(RunOutcome.Failed);
        failed.Error.ShouldNotBeNull().ShouldContain("UNIQUE constraint failed");
        countOutput.ShouldContain("\n1\n(1 row)\n");
    }

    [Fact]
    public async Task A_result_set_longer_than_maxRows_is_cut()
    {
        var (finished, output) = await Run(new
        {
            connection = "local",
            maxRows = 5,
            sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50) SELECT x FROM c",
        });

        finished.Outcome.ShouldBe(RunOutcome.Succeeded);
        output.ShouldEndWith("x\n-\n1\n2\n3\n4\n5\n(5 rows, truncated)\n");
    }

    [Fact]
    public async Task Kill_interrupts_a_long_query_promptly()
    {
        var (finished, killToFinish) = await _agent.RunAndKillAsync("sql", Json(new
        {
            connection = "local",
            sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000000) SELECT count(*) FROM c",
        }), runId => _agent.Link.WaitForOutputAsync(runId, "-- [1]"));

        finished.Outcome.ShouldBe(RunOutcome.Killed);
        killToFinish.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_task_timeout_interrupts_a_long_query()
    {
        var (finished, _) = await Run(new
        {
            connection = "local",
            timeoutSeconds = 1,
            sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000000) SELECT count(*) FROM c",
        });

        finished.Outcome.ShouldBe(RunOutcome.Failed);
        finished.Error.ShouldBe("statement 1 timed out after 1 s");
    }

    [Fact]
    public async Task A_connection_unknown_to_the_agent_fails_the_run_and_names_the_known_ones()
    {
        var (finished, _) = await Run(new { connection = "elsewhere", sql = "SELECT 1" });

        finished.Outcome.ShouldBe(RunOutcome.Failed);
        finished.Error.ShouldBe("connection 'elsewhere' is not defined on this agent (Plugins:sql:Connections; defined: local)");
    }

    [Fact]
    public void An_unknown_connection_name_is_not_a_validation_error()
    {
        _agent.Validate("sql", """{"connection": "on-another-agent", "statements": ["SELECT 1"]}""").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"statements": ["SELECT 1"]}""", "connection")]
    [InlineData("""{"connection": "x"}""", "statements")]
    [InlineData("""{"connection": "x", "statements": []}""", "statements")]
    [InlineData("""{"connection": "x", "statements": ["SELECT 1", 2]}""", "statements[1]")]
    [InlineData("""{"connection": "x", "statements": ["SELECT 1", "  "]}""", "statements[1]")]
    [InlineData("""{"connection": "x", "sql": ""}""", "sql")]
    [InlineData("""{"connection": "x", "sql": "SELECT 1", "maxRows": 0}""", "maxRows")]
    [InlineData("""{"connection": "x", "sql": "SELECT 1", "maxRows": 100001}""", "maxRows")]
    [InlineData("""{"connection": "x", "sql": "SELECT 1", "timeoutSeconds": -5}""", "timeoutSeconds")]
    [InlineData("""{"connection": "x", "sql": "SELECT 1", "transaction": "yes"}""", "transaction")]
    [InlineData("""{"connection": "x", "sql": "SELECT 1", "connectionString": "Server=evil"}""", "connectionString")]
    public void Validation_names_the_field_at_fault(string json, string field)
    {
        _agent.Validate("sql", json).Select(e => e.Field).ShouldBe([field]);
    }

    public void Dispose()
    {
        _agent.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<(RunFinished Finished, string Output)> Run(object config) => _agent.RunAsync("sql", Json(config));

    private static string Json(object config) => JsonSerializer.Serialize(config);
}
