using Microsoft.Extensions.Logging;

namespace GopherCron.Agent.Plugins;

/// <summary>
/// Hot load for <see cref="ExecutorCatalog.Watch"/>: file-system events on the plugins folder start a debounce; when it
/// elapses, every new folder whose files have not changed since the previous look (at least one quiet period ago) and
/// that holds a file is loaded. A folder still being copied is looked at again after another quiet period.
/// </summary>
internal sealed class PluginFolderWatcher : IDisposable
{
    private readonly ExecutorCatalog _catalog;
    private readonly string _root;
    private readonly TimeSpan _quietPeriod;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _timer;
    private readonly Lock _scanGate = new();

    // The last fingerprint seen of each folder not loaded yet; a folder is ready when it is unchanged.
    private readonly Dictionary<string, string> _fingerprints = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    public PluginFolderWatcher(ExecutorCatalog catalog, string root, TimeSpan quietPeriod, ILogger logger)
    {
        _catalog = catalog;
        _root = root;
        _quietPeriod = quietPeriod;
        _logger = logger;
        _timer = new Timer(_ => Scan());
        _watcher = new FileSystemWatcher(root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.DirectoryName | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.LastWrite,
        };
        _watcher.Created += (_, _) => Poke();
        _watcher.Changed += (_, _) => Poke();
        _watcher.Renamed += (_, _) => Poke();
        _watcher.Error += (_, e) =>
        {
            // An overflowed event buffer loses events, not folders: a rescan finds whatever was added.
            Log.PluginWatchError(_logger, e.GetException(), _root);
            Poke();
        };
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Starts (or restarts) the debounce; the scan follows one quiet period after the last event.</summary>
    public void Poke()
    {
        if (!_disposed)
        {
            try
            {
                _timer.Change(_quietPeriod, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Disposed between the check and the call.
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _watcher.Dispose();
        _timer.Dispose();
    }

    private void Scan()
    {
        if (_disposed || !_scanGate.TryEnter())
        {
            return;
        }

        try
        {
            var again = false;
            _catalog.LoadPlugins(_root, folder =>
            {
                var fingerprint = Fingerprint(folder);
                var stable = !fingerprint.StartsWith('?') && _fingerprints.TryGetValue(folder, out var previous) && previous == fingerprint;
                _fingerprints[folder] = fingerprint;
                if (stable && fingerprint.Length > 0)
                {
                    _fingerprints.Remove(folder);
                    return true;
                }

                // Changed since the last look (or first seen): look again once it had a quiet period. An empty
                // folder that stays empty waits for the event its first file raises.
                again |= !stable;
                return false;
            });

            if (again)
            {
                Poke();
            }
        }
        catch (Exception e)
        {
            // The watcher must never take the agent down: log, and try again on the next event.
            Log.PluginWatchError(_logger, e, _root);
        }
        finally
        {
            _scanGate.Exit();
        }
    }

    private static string Fingerprint(string folder)
    {
        try
        {
            return string.Join('\n', new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories)
                .OrderBy(f => f.FullName, StringComparer.Ordinal)
                .Select(f => $"{f.FullName}|{f.Length}|{f.LastWriteTimeUtc.Ticks}"));
        }
        catch (IOException)
        {
            return "?changing";
        }
        catch (UnauthorizedAccessException)
        {
            return "?changing";
        }
    }
}
