namespace GopherCron.Agent;

/// <summary>Settings of one agent (the in-process agent of a host, or a standalone agent).</summary>
public sealed class AgentOptions
{
    /// <summary>The agent's name, unique in the fleet; shown in rejections ("not available on agent X") and in the UI.</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>
    /// How many runs may execute at once; a dispatch beyond it is rejected so the host can pick another agent.
    /// 0 (the default) means unlimited: the host's weights and per-task overlap policies are the first line of defence.
    /// </summary>
    public int MaxConcurrentRuns { get; set; }

    /// <summary>Output is sent as soon as this many characters are buffered (default 16 Ki).</summary>
    public int OutputChunkSize { get; set; } = 16 * 1024;

    /// <summary>Output is sent at the latest this long after its first unsent character (default 100 ms).</summary>
    public TimeSpan OutputFlushDelay { get; set; } = TimeSpan.FromMilliseconds(100);
}
