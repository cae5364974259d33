using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace GopherCron.Agent.Service;

/// <summary>A project this agent serves and the token that proves it may.</summary>
internal sealed record ProjectCredential(long ProjectId, string Token);

/// <summary>
/// The standalone agent's settings, section <c>Agent</c>. Lists also take a compact form for command lines and
/// environment variables: <c>Agent:Hosts=http://a:6307,http://b:6307</c>, <c>Agent:Project=3:token,4:token</c>,
/// <c>Agent:Labels=region=eu,disk=ssd</c>.
/// </summary>
internal sealed class StandaloneAgentOptions
{
    public const string Section = "Agent";

    /// <summary>Host gRPC addresses (port 6307 by default), tried in order; the next one after a failure.</summary>
    public List<string> Hosts { get; } = [];

    public string Name { get; set; } = Environment.MachineName;

    public List<ProjectCredential> Projects { get; } = [];

    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    public int Weight { get; set; } = 100;

    public string PluginsPath { get; set; } = "plugins";

    /// <summary>The first wait before reconnecting; doubled after each failure up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an idle stream is pinged, and how long a ping may go unanswered before the host counts as gone.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a stopping agent waits for the host to acknowledge the results of the runs it killed.</summary>
    public TimeSpan ShutdownResultsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public string ResolvedPluginsPath => Path.IsPathRooted(PluginsPath) ? PluginsPath : Path.Combine(AppContext.BaseDirectory, PluginsPath);

    public static StandaloneAgentOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var options = new StandaloneAgentOptions();
        options.Name = section[nameof(Name)] is { Length: > 0 } name ? name : options.Name;
        options.Weight = section.GetValue(nameof(Weight), options.Weight);
        options.PluginsPath = section[nameof(PluginsPath)] is { Length: > 0 } plugins ? plugins : options.PluginsPath;
        options.ReconnectDelay = section.GetValue(nameof(ReconnectDelay), options.ReconnectDelay);
        options.MaxReconnectDelay = section.GetValue(nameof(MaxReconnectDelay), options.MaxReconnectDelay);
        options.KeepAlivePingDelay = section.GetValue(nameof(KeepAlivePingDelay), options.KeepAlivePingDelay);
        options.KeepAlivePingTimeout = section.GetValue(nameof(KeepAlivePingTimeout), options.KeepAlivePingTimeout);
        options.ShutdownResultsTimeout = section.GetValue(nameof(ShutdownResultsTimeout), options.ShutdownResultsTimeout);
        options.Hosts.AddRange(ListOf(section.GetSection(nameof(Hosts))));

        foreach (var project in section.GetSection(nameof(Projects)).GetChildren())
        {
            if (long.TryParse(project["ProjectId"], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && project["Token"] is { Length: > 0 } token)
            {
                options.Projects.Add(new ProjectCredential(id, token));
            }
        }

        foreach (var item in Compact(section["Project"]))
        {
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(item[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                options.Projects.Add(new ProjectCredential(id, item[(colon + 1)..]));
            }
            else
            {
                throw new InvalidOperationException($"Agent:Project entry '{item}' is not of the form <projectId>:<token>");
            }
        }

        var labels = section.GetSection(nameof(Labels));
        foreach (var label in labels.Value is { } compact
                     ? Compact(compact).Select(l => l.Split('=', 2)).Select(p => (p[0].Trim(), p.Length > 1 ? p[1].Trim() : ""))
                     : labels.GetChildren().Select(c => (c.Key, c.Value ?? "")))
        {
            options.Labels[label.Item1] = label.Item2;
        }

        if (options.Hosts.Count == 0)
        {
            throw new InvalidOperationException("Agent:Hosts names no host to connect to (for example http://gophercron:6307)");
        }

        if (options.Weight is < 0 or > 100)
        {
            throw new InvalidOperationException($"Agent:Weight must be between 0 and 100, not {options.Weight}");
        }

        return options;
    }

    private static IEnumerable<string> ListOf(IConfigurationSection section) =>
        section.Value is { } compact ? Compact(compact) : section.GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0);

    private static IEnumerable<string> Compact(string? value) =>
        (value ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
