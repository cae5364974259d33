using GopherCron.Modules.Shared.Data;

namespace GopherCron.Modules.Users.Data;

internal static class UsersSchema
{
    public static readonly Migration[] Migrations =
    [
        new(1, "users and sessions",
            """
            CREATE TABLE users (
                id {id},
                account VARCHAR(64) NOT NULL,
                name VARCHAR(100) NOT NULL,
                password_hash VARCHAR(255) NOT NULL,
                is_admin {bool} NOT NULL,
                must_change_password {bool} NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            ){table}
            """,
            "CREATE UNIQUE INDEX ux_users_account ON users (account)",
            """
            CREATE TABLE sessions (
                token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
                user_id BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                last_seen_at BIGINT NOT NULL
            ){table}
            """,
            "CREATE INDEX ix_sessions_user ON sessions (user_id)"),
    ];
}
