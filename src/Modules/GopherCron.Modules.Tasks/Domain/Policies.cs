namespace GopherCron.Modules.Tasks.Domain;

/// <summary>What a fire does while the task's previous run is still going.</summary>
internal enum OverlapPolicy
{
    /// <summary>Run anyway, side by side.</summary>
    Allow,

    /// <summary>Do not run; record the fire as skipped with the reason.</summary>
    Forbid,

    /// <summary>Kill the running one, then run.</summary>
    Replace,
}

/// <summary>What happens to fires that were missed (scheduler down, failover, overload).</summary>
internal enum MisfirePolicy
{
    /// <summary>Record that they were missed; run nothing for them.</summary>
    Skip,

    /// <summary>Run once, for the latest missed instant.</summary>
    FireOnce,

    /// <summary>Run every missed instant within the catch-up window.</summary>
    FireAll,
}

internal static class PolicyNames
{
    public static readonly string[] Overlap = ["allow", "forbid", "replace"];
    public static readonly string[] Misfire = ["skip", "fireOnce", "fireAll"];

    public static string ToWire(this OverlapPolicy policy) => Overlap[(int)policy];

    public static string ToWire(this MisfirePolicy policy) => Misfire[(int)policy];

    public static OverlapPolicy ParseOverlap(string? value) => (OverlapPolicy)Math.Max(0, Array.IndexOf(Overlap, value));

    public static MisfirePolicy ParseMisfire(string? value) => (MisfirePolicy)Math.Max(0, Array.IndexOf(Misfire, value));
}
