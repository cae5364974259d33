using GopherCron.Modules.Shared.Data;

namespace GopherCron.Modules.Tasks.Data;

internal static class TasksMigrations
{
    public static readonly Migration[] All =
    [
        new(1, "tasks",
            """
            CREATE TABLE tasks (
                id {id},
                project_id BIGINT NOT NULL,
                name VARCHAR(100) NOT NULL,
                cron VARCHAR(200) NOT NULL,
                time_zone VARCHAR(64) NULL,
                executor VARCHAR(64) NOT NULL,
                config_json {text} NOT NULL,
                timeout_seconds INT NOT NULL,
                enabled {bool} NOT NULL,
                overlap VARCHAR(16) NOT NULL,
                misfire VARCHAR(16) NOT NULL,
                catch_up_seconds INT NULL,
                parallel {bool} NOT NULL,
                retry_attempts INT NOT NULL,
                retry_backoff_seconds INT NOT NULL,
                remark VARCHAR(1000) NOT NULL,
                schedule_error VARCHAR(500) NULL,
                created_by BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            ){table}
            """,
            "CREATE UNIQUE INDEX ux_tasks_project_name ON tasks (project_id, name)",
            "CREATE INDEX ix_tasks_enabled ON tasks (enabled)"),
        new(2, "tasks may require agent labels",
            "ALTER TABLE tasks ADD COLUMN required_labels VARCHAR(2000) NOT NULL DEFAULT '{}'"),
        new(3, "agent weights set through the API",
            """
            CREATE TABLE agent_weights (
                agent_name VARCHAR(200) NOT NULL PRIMARY KEY,
                weight INT NOT NULL,
                updated_by BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            ){table}
            """),
        new(4, "changes made on any replica reach the leader",
            // The leader reads tasks changed since its last look (edits on followers), and tombstones of deleted ones.
            "CREATE INDEX ix_tasks_updated_at ON tasks (updated_at)",
            """
            CREATE TABLE task_tombstones (
                task_id BIGINT NOT NULL PRIMARY KEY,
                deleted_at BIGINT NOT NULL
            ){table}
            """,
            "CREATE INDEX ix_task_tombstones_deleted_at ON task_tombstones (deleted_at)"),
    ];
}
