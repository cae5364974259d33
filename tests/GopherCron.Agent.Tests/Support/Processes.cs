namespace GopherCron.Agent.Tests.Support;

/// <summary>Looks at the real process table through /proc.</summary>
internal static class Processes
{
    /// <summary>Pids of live processes whose command line is exactly <paramref name="commandLine"/> (arguments joined by spaces).</summary>
    public static IReadOnlyList<int> WithCommandLine(string commandLine)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var text = File.ReadAllText(Path.Combine(directory, "cmdline")).TrimEnd('\0').Replace('\0', ' ');
                if (text == commandLine)
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Exited while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Zombie processes whose parent is this test process (children nobody reaped).</summary>
    public static IReadOnlyList<int> OurZombies()
    {
        var zombies = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] == "Z" && int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == Environment.ProcessId)
                {
                    zombies.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }

        return zombies;
    }

    public static async Task WaitUntilRunningAsync(string commandLine, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (WithCommandLine(commandLine).Count == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{commandLine}' never started");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Test cleanup for processes a test deliberately let escape (by pid, never by name).</summary>
    public static void Kill(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
