using GopherCron.LoadTests.Harness;

namespace GopherCron.LoadTests.Scenarios;

/// <summary>What every scenario gets: its options, a scratch folder, the results folder and the MariaDB to use.</summary>
internal sealed record Context(Options Options, string WorkDirectory, string ResultsDirectory, string Command)
{
    /// <summary>The MariaDB for Quartz's ADO store, or null (with the reason) when there is none.</summary>
    public (string? ConnectionString, string? Why) MySql
    {
        get
        {
            if (Environment.GetEnvironmentVariable("GOPHERCRON_SKIP_MARIADB") == "1")
            {
                return (null, "GOPHERCRON_SKIP_MARIADB=1");
            }

            var cs = Options["mysql"] ?? Environment.GetEnvironmentVariable("GOPHERCRON_TEST_MYSQL");
            return string.IsNullOrEmpty(cs) ? (null, "GOPHERCRON_TEST_MYSQL is not set (source .services/services.env after scripts/services.sh start)") : (cs, null);
        }
    }

    public string Work(string name)
    {
        var path = Path.Combine(WorkDirectory, name);
        Directory.CreateDirectory(path);
        return path;
    }
}

internal static class Fmt
{
    public static string Ms(double ms) => double.IsNaN(ms) ? "–" : Report.Format(ms);

    public static string N(long n) => n.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture);
}
