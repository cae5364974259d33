namespace GopherCron.Plugins.Tests.Support;

/// <summary>
/// A fact that needs the MariaDB server scripts/services.sh starts (its connection string in
/// <c>GOPHERCRON_TEST_MYSQL</c>). Skipped on a developer machine without it; in CI (<c>CI</c> set) it runs and fails
/// with <see cref="MariaDb.ConnectionString"/>'s message instead, so a missing database cannot pass unnoticed.
/// </summary>
/// <remarks>Mirrors tests/GopherCron.Api.Tests/Infrastructure/MariaDbFactAttribute.cs.</remarks>
public sealed class MariaDbFactAttribute : FactAttribute
{
    public MariaDbFactAttribute()
    {
        if (MariaDb.RawConnectionString is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = "Needs MariaDB: run scripts/test.sh, or source .services/services.env after scripts/services.sh start (GOPHERCRON_TEST_MYSQL).";
        }
    }
}

internal static class MariaDb
{
    public static string? RawConnectionString =>
        Environment.GetEnvironmentVariable("GOPHERCRON_TEST_MYSQL") is { Length: > 0 } value ? value : null;

    public static string ConnectionString => RawConnectionString ?? throw new InvalidOperationException(
        "GOPHERCRON_TEST_MYSQL is not set, and CI is: the MariaDB tests must run there. Start MariaDB with " +
        "scripts/services.sh start and source .services/services.env (scripts/test.sh does both).");
}
