namespace GopherCron.Api.Tests.Infrastructure;

/// <summary>A fact about MySQL/MariaDB behaviour only: reported as skipped in the SQLite pass.</summary>
public sealed class MariaDbFactAttribute : FactAttribute
{
    public MariaDbFactAttribute()
    {
        if (!TestDatabase.IsMariaDb)
        {
            Skip = "Runs in the MariaDB pass (GOPHERCRON_TEST_STORE=mariadb).";
        }
    }
}
