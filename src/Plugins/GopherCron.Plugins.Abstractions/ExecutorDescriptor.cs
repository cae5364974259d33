namespace GopherCron.Plugins.Abstractions;

/// <summary>What an executor tells clients about itself.</summary>
/// <param name="DisplayName">A short human name, for example "Shell command".</param>
/// <param name="Description">One or two sentences on what the executor does.</param>
/// <param name="ConfigurationSchema">A JSON Schema (draft 2020-12) document describing the <c>config</c> object.</param>
public sealed record ExecutorDescriptor(string DisplayName, string Description, string ConfigurationSchema);

/// <summary>One problem with a task's executor configuration.</summary>
/// <param name="Field">The configuration property at fault, as a JSON path below <c>config</c> (for example <c>command</c>).</param>
/// <param name="Message">What is wrong, in a sentence a user can act on.</param>
public sealed record ConfigurationError(string Field, string Message);
