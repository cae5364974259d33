namespace GopherCron.Testing;

/// <summary>Reads the machine's process table, to prove that no process of a run survived it.</summary>
public static class ProcessTable
{
    /// <summary>The pids of live processes whose command line (arguments joined by spaces) equals <paramref name="commandLine"/>.</summary>
    public static IReadOnlyList<int> Find(string commandLine)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var raw = File.ReadAllText(Path.Combine(dir, "cmdline"));
                var state = File.ReadAllText(Path.Combine(dir, "stat"));
                // Zombies (state Z) are dead; they only wait for their parent to reap them.
                var zombie = state.Length > state.LastIndexOf(')') + 2 && state[state.LastIndexOf(')') + 2] == 'Z';
                if (!zombie && raw.TrimEnd('\0').Replace('\0', ' ') == commandLine)
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
