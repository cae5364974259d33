namespace GopherCron.Agent.Service;

/// <summary>
/// Maps <c>GOPHERCRON_AGENT_&lt;KEY&gt;</c> (for example <c>GOPHERCRON_AGENT_HOSTS</c>, <c>GOPHERCRON_AGENT_PROJECT</c>)
/// to <c>Agent:&lt;KEY&gt;</c>; configuration keys are case-insensitive, so HOSTS reads as Hosts.
/// </summary>
internal static class AgentEnvironment
{
    private const string Prefix = "GOPHERCRON_AGENT_";

    public static IEnumerable<KeyValuePair<string, string?>> ShortForms()
    {
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string key && key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
                && !key.Contains("__", StringComparison.Ordinal) && key.Length > Prefix.Length)
            {
                yield return new("Agent:" + key[Prefix.Length..].Replace("_", "", StringComparison.Ordinal), variable.Value as string);
            }
        }
    }
}
