using System.Diagnostics;
using System.Globalization;

namespace GopherCron.Testing;

/// <summary>Reads the machine's process table through /proc, to prove that no process of a run survived it.</summary>
public static class ProcessTable
{
    /// <summary>
    /// Pids of live processes whose command line (arguments joined by spaces) equals <paramref name="commandLine"/>.
    /// Zombies are dead (they only wait to be reaped) and are not counted.
    /// </summary>
    public static IReadOnlyList<int> Find(string commandLine) =>
        Scan((pid, stat, cmdline) => cmdline == commandLine && State(stat) != "Z");

    /// <summary>Zombie processes whose parent is this test process (children nobody reaped).</summary>
    public static IReadOnlyList<int> OurZombies() =>
        Scan((pid, stat, _) => State(stat) == "Z" && Parent(stat) == Environment.ProcessId);

    public static async Task WaitUntilRunningAsync(string commandLine, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Find(commandLine).Count == 0)
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
                Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private static List<int> Scan(Func<int, string, string, bool> match)
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
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var cmdline = File.ReadAllText(Path.Combine(directory, "cmdline")).TrimEnd('\0').Replace('\0', ' ');
                if (match(pid, stat, cmdline))
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

    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses, so split after the last ')'.
    private static string State(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];

    private static int Parent(string stat) =>
        int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
}
