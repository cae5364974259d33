using System.Runtime.InteropServices;

namespace GopherCron.Plugins.Shell;

/// <summary>
/// The processes of one run: the shell (a session and process-group leader, thanks to <c>setsid</c>) and everything
/// it starts, unless a descendant deliberately leaves the group (its own <c>setsid</c>, a double-forking daemon);
/// only a cgroup would catch those.
/// </summary>
/// <remarks>
/// The group is signalled by id after its leader has been reaped (to reach leftovers). That is safe while any member
/// lives, because a process-group id is not reused while the group exists; once it is empty the kernel answers ESRCH
/// and we stop. The remaining window (the group empties and a new process takes the same id as a group leader
/// between two polls 50 ms apart) would need pid wrap-around within that time.
/// </remarks>
internal sealed partial class ProcessGroup(int id, bool isGroup, TimeProvider time, Func<bool>? leaderRunning = null)
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int NoSuchProcess = 3; // ESRCH

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan KillSettleTime = TimeSpan.FromSeconds(2);

    /// <summary>The process-group id, equal to the leader's pid.</summary>
    public int Id { get; } = id;

    /// <summary>False when setsid was missing: then only the leader itself can be signalled.</summary>
    public bool IsGroup { get; } = isGroup;

    /// <summary>True while any process (zombies included) is still in the group.</summary>
    public bool IsAlive => Signal(0);

    /// <summary>
    /// SIGTERM to every member, then SIGKILL to whatever is left after <paramref name="grace"/>.
    /// Returns false when the group was already empty.
    /// </summary>
    public async Task<bool> TerminateAsync(TimeSpan grace)
    {
        if (!Signal(SigTerm))
        {
            return false;
        }

        await WaitUntilEmptyAsync(grace);
        if (Signal(SigKill))
        {
            // SIGKILL cannot be ignored, but dying and being reaped takes a moment; report the run only once it is over.
            await WaitUntilEmptyAsync(KillSettleTime);
        }

        return true;
    }

    private async Task WaitUntilEmptyAsync(TimeSpan limit)
    {
        var started = time.GetTimestamp();
        while (IsAlive && time.GetElapsedTime(started) < limit)
        {
            // Not cancellable on purpose: stopping a run's processes must finish even while everything else is torn down.
            await Task.Delay(PollInterval, time, CancellationToken.None);
        }
    }

    private bool Signal(int signal)
    {
        // A negative pid addresses the whole process group.
        if (Kill(IsGroup ? -Id : Id, signal) == 0)
        {
            return true;
        }

        // EPERM means someone is there that we may not signal (a setuid child); it still counts as alive.
        if (Marshal.GetLastPInvokeError() != NoSuchProcess)
        {
            return true;
        }

        // A kill right after the start can come before setsid has made the child a group leader: there is no group
        // yet, but the child runs (and would go on to run the whole command). It is signalled itself; once the group
        // exists, the next signal reaches all of it.
        return IsGroup && leaderRunning?.Invoke() == true && Kill(Id, signal) == 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
