using LinqToDB;
using LinqToDB.Data;
using LinqToDB.Mapping;

namespace GopherCron.Modules.Projects.Data;

/// <summary>The Projects module's connection: it touches only its own tables.</summary>
internal sealed class ProjectsDb(DataOptions options) : DataConnection(options)
{
    public ITable<ProjectRow> Projects => this.GetTable<ProjectRow>();

    public ITable<MemberRow> Members => this.GetTable<MemberRow>();
}

[Table("projects")]
internal sealed class ProjectRow
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }

    [Column("name"), NotNull] public string Name { get; set; } = "";

    [Column("remark"), NotNull] public string Remark { get; set; } = "";

    /// <summary>The agent token. Stored readable because project admins must be able to show it again.</summary>
    [Column("token"), NotNull] public string Token { get; set; } = "";

    [Column("created_by")] public long CreatedBy { get; set; }

    [Column("created_at")] public long CreatedAt { get; set; }

    [Column("updated_at")] public long UpdatedAt { get; set; }
}

[Table("project_members")]
internal sealed class MemberRow
{
    [Column("project_id"), PrimaryKey(0)] public long ProjectId { get; set; }

    [Column("user_id"), PrimaryKey(1)] public long UserId { get; set; }

    /// <summary>A <see cref="Contracts.ProjectRole"/> value.</summary>
    [Column("role")] public int Role { get; set; }

    [Column("created_at")] public long CreatedAt { get; set; }
}
