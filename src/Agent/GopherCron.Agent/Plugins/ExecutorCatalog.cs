using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using GopherCron.Plugins.Abstractions;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GopherCron.Agent.Plugins;

/// <summary>
/// The executors an agent can run, by kind (case-insensitive): executor plugins loaded from a plugins folder, plus
/// any registered directly. A broken plugin is logged, listed in <see cref="Failures"/> and skipped; loading never
/// throws.
/// </summary>
/// <remarks>
/// <para>
/// Layout: <c>&lt;plugins&gt;/&lt;name&gt;/</c> holds the plugin's entry assembly and its private dependencies (never
/// <c>GopherCron.Plugins.Abstractions.dll</c>: plugins bind to the agent's copy). The entry assembly is
/// <c>&lt;name&gt;.dll</c>, or else the single <c>*.&lt;name&gt;.dll</c>, so that the built-in
/// <c>plugins/shell/GopherCron.Plugins.Shell.dll</c> keeps its project's name. <c>build/Plugin.targets</c> produces
/// this layout from a project reference.
/// </para>
/// <para>
/// Each plugin gets its own load context (sharing only the SDK, DI, configuration and logging contracts) and its own
/// service provider holding <see cref="ILoggerFactory"/>, <see cref="TimeProvider"/> and the configuration section
/// <c>Plugins:&lt;name&gt;</c>. Loading is additive and remembers loaded folders, so calling
/// <see cref="LoadPlugins"/> again picks up only new folders: the hook for hot reload.
/// </para>
/// </remarks>
public sealed class ExecutorCatalog : IDisposable
{
    private static readonly Type[] SharedTypes =
    [
        typeof(ITaskExecutor), typeof(IServiceCollection), typeof(IConfiguration), typeof(ILogger),
        typeof(ILoggerFactory), typeof(TimeProvider),
    ];

    private readonly IConfiguration _configuration;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ExecutorCatalog> _logger;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _seenFolders = new(StringComparer.Ordinal);
    private readonly List<ServiceProvider> _providers = [];
    private readonly List<PluginLoader> _loaders = [];
    private readonly List<PluginLoadFailure> _failures = [];
    private readonly List<LoadedPlugin> _plugins = [];
    private PluginFolderWatcher? _watcher;

    // Replaced wholesale under _gate, read without it: runs look executors up while a reload may be adding some.
    private volatile ImmutableDictionary<string, (ITaskExecutor Executor, string Source)> _executors =
        ImmutableDictionary.Create<string, (ITaskExecutor, string)>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates an empty catalog.</summary>
    /// <param name="configuration">The agent's configuration; plugin <c>x</c> sees the section <c>Plugins:x</c>.</param>
    /// <param name="loggerFactory">Logging for the catalog and, through their service providers, the plugins.</param>
    /// <param name="timeProvider">The clock handed to plugins.</param>
    public ExecutorCatalog(IConfiguration configuration, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        _configuration = configuration;
        _loggerFactory = loggerFactory;
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<ExecutorCatalog>();
    }

    /// <summary>
    /// Raised (on the loading thread, outside the catalog's lock) with the new set of kinds after a load added some;
    /// handlers must not throw.
    /// </summary>
    public event Action<IReadOnlyCollection<string>>? KindsChanged;

    /// <summary>The executors by kind, with their descriptors (read these without holding any lock).</summary>
    public IReadOnlyList<ITaskExecutor> Executors => [.. _executors.Values.Select(v => v.Executor).OrderBy(e => e.Kind, StringComparer.OrdinalIgnoreCase)];

    /// <summary>The available executor kinds.</summary>
    public IReadOnlyCollection<string> Kinds => [.. _executors.Keys.Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Plugin folders that were skipped, with the reason.</summary>
    public IReadOnlyList<PluginLoadFailure> Failures
    {
        get
        {
            lock (_gate)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Plugin folders that were loaded.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins
    {
        get
        {
            lock (_gate)
            {
                return [.. _plugins];
            }
        }
    }

    /// <summary>Creates a catalog and loads every plugin folder under <paramref name="pluginsPath"/>.</summary>
    /// <param name="pluginsPath">The plugins folder (for example <c>AppContext.BaseDirectory/plugins</c>).</param>
    /// <param name="configuration">The agent's configuration.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="timeProvider">The clock handed to plugins.</param>
    public static ExecutorCatalog Load(
        string pluginsPath, IConfiguration configuration, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        var catalog = new ExecutorCatalog(configuration, loggerFactory, timeProvider);
        catalog.LoadPlugins(pluginsPath);
        return catalog;
    }

    /// <summary>Finds the executor for <paramref name="kind"/> (case-insensitive).</summary>
    /// <param name="kind">The executor kind, for example <c>shell</c>.</param>
    /// <param name="executor">The executor, when found.</param>
    public bool TryGet(string kind, [MaybeNullWhen(false)] out ITaskExecutor executor)
    {
        if (_executors.TryGetValue(kind, out var entry))
        {
            executor = entry.Executor;
            return true;
        }

        executor = null;
        return false;
    }

    /// <summary>Adds an executor that lives in the agent's own load context (built-ins, tests).</summary>
    /// <param name="executor">The executor.</param>
    /// <exception cref="ArgumentException">Its kind is already registered.</exception>
    public void Register(ITaskExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        lock (_gate)
        {
            if (CheckKinds([executor]) is { } conflict)
            {
                throw new ArgumentException(conflict, nameof(executor));
            }

            _executors = _executors.Add(executor.Kind, (executor, executor.GetType().Assembly.GetName().Name ?? "agent"));
        }
    }

    /// <summary>
    /// Loads every plugin folder under <paramref name="pluginsPath"/> that was not loaded (or tried) before; folders
    /// whose name starts with a dot are ignored.
    /// Failures are logged and listed in <see cref="Failures"/>; this method does not throw for a bad plugin.
    /// </summary>
    /// <param name="pluginsPath">The plugins folder; a missing folder means no plugins.</param>
    public void LoadPlugins(string pluginsPath) => LoadPlugins(pluginsPath, isReady: null);

    /// <summary>
    /// Watches <paramref name="pluginsPath"/> and loads plugin folders added to it while the agent runs (hot load).
    /// A new folder is loaded once its files have stopped changing for <paramref name="quietPeriod"/>, so a plugin
    /// that is still being copied is not half-loaded; a broken one ends up in <see cref="Failures"/> like at start.
    /// Removing or replacing a loaded plugin still needs a restart. Stops when the catalog is disposed.
    /// </summary>
    /// <param name="pluginsPath">The plugins folder; created when missing, so that it can be watched.</param>
    /// <param name="quietPeriod">How long a new folder's files must stay unchanged; 1 s when null.</param>
    public void Watch(string pluginsPath, TimeSpan? quietPeriod = null)
    {
        var root = Path.GetFullPath(pluginsPath);
        Directory.CreateDirectory(root);
        lock (_gate)
        {
            if (_watcher is not null)
            {
                throw new InvalidOperationException("The catalog already watches a plugins folder.");
            }

            _watcher = new PluginFolderWatcher(this, root, quietPeriod ?? TimeSpan.FromSeconds(1), _logger);
        }

        // Folders added between the first load and the watcher starting.
        _watcher.Poke();
    }

    /// <summary>Loads the unseen folders for which <paramref name="isReady"/> holds (all when null); the others stay unseen.</summary>
    internal void LoadPlugins(string pluginsPath, Func<string, bool>? isReady)
    {
        var root = Path.GetFullPath(pluginsPath);
        if (!Directory.Exists(root))
        {
            Log.PluginsFolderMissing(_logger, root);
            return;
        }

        var added = false;
        foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            lock (_gate)
            {
                // Hidden folders (.staging, .git) are where plugins are prepared, not plugins.
                if (Path.GetFileName(folder).StartsWith('.') || _seenFolders.Contains(folder) || (isReady is not null && !isReady(folder)))
                {
                    continue;
                }

                _seenFolders.Add(folder);
                added |= LoadFolder(folder);
            }
        }

        if (added)
        {
            try
            {
                KindsChanged?.Invoke(Kinds);
            }
            catch (Exception e)
            {
                Log.KindsChangedHandlerFailed(_logger, e);
            }
        }
    }

    /// <summary>Whether a folder was already loaded or tried.</summary>
    internal bool HasSeen(string folder)
    {
        lock (_gate)
        {
            return _seenFolders.Contains(folder);
        }
    }

    /// <summary>Disposes the plugins' service providers (and so their executors) and loaders.</summary>
    public void Dispose()
    {
        PluginFolderWatcher? watcher;
        lock (_gate)
        {
            watcher = _watcher;
            _watcher = null;
        }

        watcher?.Dispose();
        lock (_gate)
        {
            foreach (var provider in _providers)
            {
                provider.Dispose();
            }

            foreach (var loader in _loaders)
            {
                loader.Dispose();
            }

            _providers.Clear();
            _loaders.Clear();
            _executors = _executors.Clear();
        }
    }

    private bool LoadFolder(string folder)
    {
        var name = Path.GetFileName(folder);
        ServiceProvider? provider = null;
        try
        {
            var entry = FindEntryAssembly(folder, name, out var problem);
            if (entry is null)
            {
                Fail(folder, problem!);
                return false;
            }

            var loader = PluginLoader.CreateFromAssemblyFile(entry, isUnloadable: false, sharedTypes: SharedTypes);
            _loaders.Add(loader);
            var assembly = loader.LoadDefaultAssembly();
            if (CheckContractVersion(assembly) is { } versionProblem)
            {
                Fail(folder, versionProblem);
                return false;
            }

            var pluginTypes = assembly.GetTypes()
                .Where(t => typeof(IExecutorPlugin).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
                .ToList();
            if (pluginTypes.Count == 0)
            {
                Fail(folder, $"{Path.GetFileName(entry)} contains no {nameof(IExecutorPlugin)} implementation.");
                return false;
            }

            var section = _configuration.GetSection($"Plugins:{name}");
            var services = new ServiceCollection();
            services.AddSingleton(_loggerFactory);
            services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            services.AddSingleton(_timeProvider);
            services.AddSingleton<IConfiguration>(section);
            foreach (var type in pluginTypes)
            {
                var plugin = (IExecutorPlugin)Activator.CreateInstance(type, nonPublic: true)!;
                plugin.ConfigureServices(services, section);
            }

            provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
            var executors = provider.GetServices<ITaskExecutor>().ToList();
            if (executors.Count == 0)
            {
                Fail(folder, $"{Path.GetFileName(entry)} registers no {nameof(ITaskExecutor)}.");
                return false;
            }

            if (CheckKinds(executors) is { } conflict)
            {
                Fail(folder, conflict);
                return false;
            }

            // All or nothing: a plugin whose second executor clashes does not half-register.
            _executors = _executors.AddRange(executors.Select(e =>
                KeyValuePair.Create(e.Kind, (e, name))));
            _providers.Add(provider);
            provider = null;
            var kinds = executors.Select(e => e.Kind).ToList();
            _plugins.Add(new LoadedPlugin(name, entry, kinds));
            Log.PluginLoaded(_logger, name, string.Join(", ", kinds), entry);
            return true;
        }
        catch (Exception e)
        {
            // Bad image, missing dependency, a throwing constructor or ConfigureServices: the plugin's fault, never
            // the agent's reason to stop.
            var inner = e is TargetInvocationException { InnerException: { } cause } ? cause : e;
            Fail(folder, $"{inner.GetType().Name}: {inner.Message}", inner);
            return false;
        }
        finally
        {
            provider?.Dispose();
        }
    }

    private static string? FindEntryAssembly(string folder, string name, out string? problem)
    {
        problem = null;
        var exact = Path.Combine(folder, name + ".dll");
        if (File.Exists(exact))
        {
            return exact;
        }

        var suffixed = Directory.EnumerateFiles(folder, "*.dll")
            .Where(f => Path.GetFileName(f).EndsWith("." + name + ".dll", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (suffixed.Count == 1)
        {
            return suffixed[0];
        }

        problem = suffixed.Count == 0
            ? $"No entry assembly: expected {name}.dll or *.{name}.dll in the folder."
            : $"Ambiguous entry assembly: {string.Join(", ", suffixed.Select(Path.GetFileName))}; name one {name}.dll.";
        return null;
    }

    private static string? CheckContractVersion(Assembly assembly)
    {
        var sdk = typeof(IExecutorPlugin).Assembly.GetName();
        var reference = assembly.GetReferencedAssemblies()
            .FirstOrDefault(r => string.Equals(r.Name, sdk.Name, StringComparison.OrdinalIgnoreCase));
        if (reference?.Version is { } version && version.Major > PluginContract.MajorVersion)
        {
            return $"Built against {sdk.Name} {version}; this agent supports major version {PluginContract.MajorVersion}. Upgrade the agent.";
        }

        return null;
    }

    private string? CheckKinds(IEnumerable<ITaskExecutor> executors)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var executor in executors)
        {
            if (string.IsNullOrWhiteSpace(executor.Kind))
            {
                return $"{executor.GetType().FullName} has an empty Kind.";
            }

            if (_executors.TryGetValue(executor.Kind, out var existing))
            {
                return $"Executor kind '{executor.Kind}' is already provided by '{existing.Source}'.";
            }

            if (!seen.Add(executor.Kind))
            {
                return $"Executor kind '{executor.Kind}' is registered twice.";
            }
        }

        return null;
    }

    private void Fail(string folder, string reason, Exception? exception = null)
    {
        _failures.Add(new PluginLoadFailure(folder, reason));
        Log.PluginFailed(_logger, exception, folder, reason);
    }
}
