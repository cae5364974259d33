namespace GopherCron.Agent.Plugins;

/// <summary>A plugin folder that could not be loaded and was skipped.</summary>
/// <param name="Folder">The plugin folder's full path.</param>
/// <param name="Reason">What went wrong, in a sentence an operator can act on.</param>
public sealed record PluginLoadFailure(string Folder, string Reason);

/// <summary>A plugin folder that was loaded.</summary>
/// <param name="Name">The folder's name; its configuration section is <c>Plugins:&lt;Name&gt;</c>.</param>
/// <param name="AssemblyPath">The plugin's entry assembly.</param>
/// <param name="Kinds">The executor kinds it provides.</param>
public sealed record LoadedPlugin(string Name, string AssemblyPath, IReadOnlyList<string> Kinds);
