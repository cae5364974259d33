using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using GopherCron.Plugins.Abstractions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace GopherCron.Plugins.Sql;

/// <summary>
/// Runs a task's statements in order on a connection defined on the agent, by default in one transaction that a
/// failure rolls back. Each statement reports its affected rows, or its result sets as tables of at most
/// <c>maxRows</c> rows.
/// </summary>
internal sealed class SqlExecutor(SqlOptions options, TimeProvider time, ILogger<SqlExecutor> logger) : ITaskExecutor
{
    public string Kind => "sql";

    public ExecutorDescriptor Descriptor { get; } = new(
        "SQL statements",
        "Runs SQL statements on a database connection defined on the agent (MySQL/MariaDB, PostgreSQL or SQLite), " +
        "in one transaction by default; affected rows and the first rows of each result set are kept as output.",
        SqlTaskConfiguration.Schema);

    public IReadOnlyList<ConfigurationError> Validate(JsonElement configuration)
    {
        SqlTaskConfiguration.Parse(configuration, out var errors);
        return errors;
    }

    public async ValueTask<ExecutionResult> ExecuteAsync(
        ExecutionRequest request, IExecutionOutput output, CancellationToken cancellationToken)
    {
        var config = SqlTaskConfiguration.Parse(request.Configuration, out var errors);
        if (config is null)
        {
            return ExecutionResult.Failed(
                "invalid configuration: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }

        if (!options.Connections.TryGetValue(config.Connection, out var definition))
        {
            var known = options.Connections.Count == 0 ? "none" : string.Join(", ", options.Connections.Keys.Order(StringComparer.Ordinal));
            return ExecutionResult.Failed(
                $"connection '{config.Connection}' is not defined on this agent (Plugins:sql:Connections; defined: {known})");
        }

        Log.Executing(logger, request.RunId, config.Statements.Count, definition.Name, definition.Provider);
        var statementTimeout = config.Timeout is { } own && own < request.Timeout ? own : request.Timeout;

        await using var connection = definition.Factory.CreateConnection()
            ?? throw new InvalidOperationException($"{definition.Provider} returned no connection");
        connection.ConnectionString = definition.ConnectionString;
        DbTransaction? transaction = null;
        var current = 0;
        using var timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        // SQLite runs a statement synchronously inside one call and ignores the token; interrupting the
        // connection is what stops it. The other drivers cancel server-side through the token.
        using var interrupt = connection is SqliteConnection sqlite
            ? linked.Token.Register(() => Interrupt(sqlite))
            : default;
        try
        {
            await connection.OpenAsync(linked.Token);
            if (config.Transaction)
            {
                transaction = await connection.BeginTransactionAsync(linked.Token);
            }

            for (current = 0; current < config.Statements.Count; current++)
            {
                var sql = config.Statements[current];
                await output.WriteLineAsync($"-- [{current + 1}] {Summary(sql)}", linked.Token);
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.Transaction = transaction;
                command.CommandTimeout = (int)Math.Clamp(Math.Ceiling(statementTimeout.TotalSeconds), 1, int.MaxValue);
                timeout.CancelAfter(statementTimeout);
                await RunStatementAsync(command, config.MaxRows, output, linked.Token);
                // MySQL answers a killed SLEEP() with a result, not an error: the token says what happened.
                linked.Token.ThrowIfCancellationRequested();
                timeout.CancelAfter(Timeout.InfiniteTimeSpan);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(linked.Token);
            }

            return ExecutionResult.Succeeded;
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or DbException)
        {
            await RollbackAsync(transaction, request.RunId);
            await output.WriteLineAsync("-- cancelled; " + (transaction is null ? "statements already run stay applied" : "transaction rolled back"),
                CancellationToken.None);
            throw new OperationCanceledException("The run was cancelled.", e, cancellationToken);
        }
        catch (Exception e) when (timeout.IsCancellationRequested && e is OperationCanceledException or DbException)
        {
            await RollbackAsync(transaction, request.RunId);
            var seconds = statementTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
            await output.WriteLineAsync($"-- statement {current + 1} timed out after {seconds} s" + RolledBack(transaction), CancellationToken.None);
            return ExecutionResult.Failed($"statement {current + 1} timed out after {seconds} s");
        }
        catch (DbException e)
        {
            await RollbackAsync(transaction, request.RunId);
            await output.WriteLineAsync($"ERROR: {e.Message}" + RolledBack(transaction), CancellationToken.None);
            return ExecutionResult.Failed(current < config.Statements.Count
                ? $"statement {current + 1}: {e.Message}"
                : e.Message);
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    private static async Task RunStatementAsync(DbCommand command, int maxRows, IExecutionOutput output, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sawResultSet = false;
        do
        {
            if (reader.FieldCount > 0)
            {
                sawResultSet = true;
                await ResultTable.WriteAsync(reader, maxRows, output, cancellationToken);
            }
        }
        while (await reader.NextResultAsync(cancellationToken));

        if (!sawResultSet)
        {
            var affected = reader.RecordsAffected;
            await output.WriteLineAsync(affected >= 0 ? $"({affected} rows affected)" : "(ok)", cancellationToken);
        }
    }

    private async Task RollbackAsync(DbTransaction? transaction, long runId)
    {
        if (transaction?.Connection is null)
        {
            return;
        }

        try
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The server ends the transaction itself when the connection closes, which disposing it does next.
            Log.RollbackFailed(logger, e, runId);
        }
    }

    private static string RolledBack(DbTransaction? transaction) => transaction is null ? string.Empty : "; transaction rolled back";

    private static void Interrupt(SqliteConnection connection)
    {
        if (connection.Handle is { } handle)
        {
            SQLitePCL.raw.sqlite3_interrupt(handle);
        }
    }

    private static string Summary(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 100 ? line : line[..97] + "...";
    }
}
