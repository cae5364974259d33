using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Mapping;

namespace GopherCron.Modules.Users.Data;

/// <summary>The Users module's connection: it touches only its own tables.</summary>
internal sealed class UsersDb(DataOptions options) : DataConnection(options)
{
    public ITable<UserRow> Users => this.GetTable<UserRow>();

    public ITable<SessionRow> Sessions => this.GetTable<SessionRow>();
}

[Table("users")]
internal sealed class UserRow
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }

    /// <summary>Always stored lower-cased, so the unique index is case-insensitive on every store.</summary>
    [Column("account"), NotNull] public string Account { get; set; } = "";

    [Column("name"), NotNull] public string Name { get; set; } = "";

    [Column("password_hash"), NotNull] public string PasswordHash { get; set; } = "";

    [Column("is_admin")] public bool IsAdmin { get; set; }

    [Column("must_change_password")] public bool MustChangePassword { get; set; }

    [Column("created_at")] public long CreatedAt { get; set; }

    [Column("updated_at")] public long UpdatedAt { get; set; }
}

[Table("sessions")]
internal sealed class SessionRow
{
    /// <summary>SHA-256 (hex) of the bearer token; the token itself is never stored.</summary>
    [Column("token_hash"), PrimaryKey, NotNull] public string TokenHash { get; set; } = "";

    [Column("user_id")] public long UserId { get; set; }

    [Column("created_at")] public long CreatedAt { get; set; }

    [Column("expires_at")] public long ExpiresAt { get; set; }

    [Column("last_seen_at")] public long LastSeenAt { get; set; }
}
