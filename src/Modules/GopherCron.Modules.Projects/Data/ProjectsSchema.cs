using GopherCron.Modules.Shared.Data;

namespace GopherCron.Modules.Projects.Data;

internal static class ProjectsSchema
{
    public static readonly Migration[] Migrations =
    [
        new(1, "projects and members",
            """
            CREATE TABLE projects (
                id {id},
                name VARCHAR(100) NOT NULL,
                remark VARCHAR(1000) NOT NULL,
                token VARCHAR(64) NOT NULL,
                created_by BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            ){table}
            """,
            // Agents authenticate by token: it must find exactly one project, quickly.
            "CREATE UNIQUE INDEX ux_projects_token ON projects (token)",
            """
            CREATE TABLE project_members (
                project_id BIGINT NOT NULL,
                user_id BIGINT NOT NULL,
                role INT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (project_id, user_id)
            ){table}
            """,
            "CREATE INDEX ix_project_members_user ON project_members (user_id)"),
    ];
}
