using GopherCron.Modules.Shared.Data;

namespace GopherCron.Modules.Logs.Data;

internal static class LogsMigrations
{
    public static readonly Migration[] All =
    [
        new(1, "runs and their output",
            """
            CREATE TABLE runs (
                id {id},
                project_id BIGINT NOT NULL,
                task_id BIGINT NOT NULL,
                fire_at BIGINT NULL,
                slot VARCHAR(128) NOT NULL,
                claim_batch BIGINT NOT NULL,
                trigger_kind VARCHAR(16) NOT NULL,
                attempt INT NOT NULL,
                parent_run_id BIGINT NULL,
                status VARCHAR(16) NOT NULL,
                scheduled_at BIGINT NOT NULL,
                started_at BIGINT NULL,
                finished_at BIGINT NULL,
                agent VARCHAR(200) NULL,
                exit_code INT NULL,
                error VARCHAR(2000) NULL,
                term BIGINT NOT NULL,
                output_bytes BIGINT NOT NULL,
                output_truncated {bool} NOT NULL,
                created_at BIGINT NOT NULL
            ){table}
            """,
            // The claim key: one run per (task, fire instant, slot); manual runs have no fire instant.
            "CREATE UNIQUE INDEX ux_runs_fire ON runs (task_id, fire_at, slot)",
            "CREATE INDEX ix_runs_claim_batch ON runs (claim_batch)",
            // Latest runs of a task (run history pages).
            "CREATE INDEX ix_runs_task_id ON runs (task_id, id)",
            // Failures of a project in a time range; dashboards.
            "CREATE INDEX ix_runs_project_status ON runs (project_id, status, scheduled_at)",
            // Unfinished runs at take-over, and the retention purge.
            "CREATE INDEX ix_runs_status ON runs (status, id)",
            "CREATE INDEX ix_runs_scheduled_at ON runs (scheduled_at)",
            """
            CREATE TABLE run_output (
                run_id BIGINT NOT NULL,
                seq INT NOT NULL,
                content {text} NOT NULL,
                PRIMARY KEY (run_id, seq)
            ){table}
            """),
        new(2, "runs record the agent process they were handed to",
            "ALTER TABLE runs ADD COLUMN agent_id VARCHAR(200) NULL"),
    ];
}
