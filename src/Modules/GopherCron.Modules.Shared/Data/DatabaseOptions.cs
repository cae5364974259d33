using System.ComponentModel.DataAnnotations;

namespace GopherCron.Modules.Shared.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>sqlite</c> (the embedded default), <c>mysql</c> (MySQL 8) or <c>mariadb</c> (MariaDB 10.6+).</summary>
    [Required, RegularExpression("^(sqlite|mysql|mariadb)$", ErrorMessage = "Database:Provider must be sqlite, mysql or mariadb.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>ADO.NET connection string; for SQLite, relative paths are resolved against the working directory.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/gophercron.db";
}
