using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GopherCron.Plugins.Python;

/// <summary>
/// Registers the <c>python</c> executor. Plugin configuration (<c>Plugins:python</c> in the agent's settings):
/// <c>DefaultInterpreter</c>, the interpreter used when a task names none (default <c>python3</c>).
/// </summary>
public sealed class PythonPlugin : IExecutorPlugin
{
    /// <inheritdoc />
    public void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        var interpreter = configuration["DefaultInterpreter"] is { Length: > 0 } configured ? configured : "python3";
        services.AddSingleton<ITaskExecutor>(sp => new PythonExecutor(interpreter));
    }
}
