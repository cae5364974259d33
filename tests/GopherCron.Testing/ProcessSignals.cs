using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GopherCron.Testing;

/// <summary>Stopping the real processes tests start, the way a service manager or a crash would.</summary>
public static partial class ProcessSignals
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    /// <summary>Graceful stop: SIGTERM, then SIGKILL to the tree if it has not exited within <paramref name="patience"/>.</summary>
    public static async Task StopAsync(Process process, TimeSpan? patience = null)
    {
        if (process.HasExited)
        {
            return;
        }

        Send(process.Id, SigTerm);
        using var wait = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Crash: SIGKILL to the process alone; no shutdown code runs and its children live on as orphans.</summary>
    public static async Task KillAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Sends a signal; false when the process no longer exists.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
