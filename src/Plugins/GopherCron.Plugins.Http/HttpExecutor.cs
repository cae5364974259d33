using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using GopherCron.Plugins.Abstractions;
using Microsoft.Extensions.Logging;

namespace GopherCron.Plugins.Http;

/// <summary>
/// Sends the task's request and writes the response to the output: status line, headers, a blank line, then the
/// body as it arrives, cut at <c>maxBodyBytes</c>. The run succeeds when the status is one of the accepted ones.
/// </summary>
internal sealed class HttpExecutor(HttpClients clients, TimeProvider time, ILogger<HttpExecutor> logger) : ITaskExecutor
{
    private const int BlockSize = 8 * 1024;

    private static readonly string UserAgent =
        "GopherCron/" + (typeof(HttpExecutor).Assembly.GetName().Version?.ToString(3) ?? "0");

    public string Kind => "http";

    public ExecutorDescriptor Descriptor { get; } = new(
        "HTTP request",
        "Sends an HTTP request from the agent and succeeds when the response status is accepted (2xx by default); " +
        "the status, headers and the start of the body are kept as output.",
        HttpTaskConfiguration.Schema);

    public IReadOnlyList<ConfigurationError> Validate(JsonElement configuration)
    {
        HttpTaskConfiguration.Parse(configuration, out var errors);
        return errors;
    }

    public async ValueTask<ExecutionResult> ExecuteAsync(
        ExecutionRequest request, IExecutionOutput output, CancellationToken cancellationToken)
    {
        var config = HttpTaskConfiguration.Parse(request.Configuration, out var errors);
        if (config is null)
        {
            return ExecutionResult.Failed(
                "invalid configuration: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")));
        }

        // The run's token already carries the run's timeout; the task's own timeout can only shorten it.
        using var timeout = new CancellationTokenSource(config.Timeout ?? Timeout.InfiniteTimeSpan, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        using var message = CreateRequest(config);
        // Without the query string: it often carries a token.
        Log.Sending(logger, request.RunId, config.Method.Method, config.Url.GetLeftPart(UriPartial.Path));
        try
        {
            using var response = await clients.Get(config.FollowRedirects, config.VerifyTls)
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token);

            await WriteHeadAsync(response, output, linked.Token);
            await WriteBodyAsync(response, config.MaxBodyBytes, output, linked.Token);

            var status = (int)response.StatusCode;
            var reason = string.IsNullOrEmpty(response.ReasonPhrase) ? string.Empty : " " + response.ReasonPhrase;
            return config.AcceptedStatusCodes.Accepts(status)
                ? ExecutionResult.Succeeded
                : ExecutionResult.Failed($"HTTP {status}{reason} (accepted: {config.AcceptedStatusCodes.Text})");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var seconds = config.Timeout!.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture);
            await output.WriteLineAsync($"[request timed out after {seconds} s]", CancellationToken.None);
            return ExecutionResult.Failed($"request timed out after {seconds} s (timeoutSeconds)");
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // IOException: the connection broke while the body was being read.
            var reason = e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
                ? $"{e.Message} ({inner.Message})"
                : e.Message;
            await output.WriteLineAsync($"[request failed: {reason}]", CancellationToken.None);
            return ExecutionResult.Failed($"request to {config.Url.GetLeftPart(UriPartial.Authority)} failed: {reason}");
        }
    }

    private static HttpRequestMessage CreateRequest(HttpTaskConfiguration config)
    {
        var message = new HttpRequestMessage(config.Method, config.Url);
        if (config.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(config.Body));
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        }

        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        foreach (var (name, value) in config.Headers)
        {
            if (name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Remove(name);
            }

            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                // A content header (Content-Type...): it belongs to the body, even an empty one.
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private static async Task WriteHeadAsync(HttpResponseMessage response, IExecutionOutput output, CancellationToken cancellationToken)
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"HTTP/{response.Version} {(int)response.StatusCode} {response.ReasonPhrase}").Append('\n');
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            foreach (var value in values)
            {
                head.Append(name).Append(": ").Append(value).Append('\n');
            }
        }

        head.Append('\n');
        await output.WriteAsync(head.ToString().AsMemory(), cancellationToken);
    }

    private static async Task WriteBodyAsync(HttpResponseMessage response, int maxBytes, IExecutionOutput output, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var encoding = Encoding.UTF8;
        if (response.Content.Headers.ContentType?.CharSet is { Length: > 0 } charset)
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset: UTF-8 with replacement characters is still readable.
            }
        }

        var decoder = encoding.GetDecoder();
        var bytes = ArrayPool<byte>.Shared.Rent(BlockSize);
        var chars = ArrayPool<char>.Shared.Rent(encoding.GetMaxCharCount(BlockSize));
        try
        {
            long written = 0;
            while (true)
            {
                var read = await body.ReadAsync(bytes.AsMemory(0, BlockSize), cancellationToken);
                var take = (int)Math.Min(read, maxBytes - written);
                var decoded = decoder.GetChars(bytes, 0, take, chars, 0, flush: read == 0 || take < read);
                if (decoded > 0)
                {
                    await output.WriteAsync(chars.AsMemory(0, decoded), cancellationToken);
                }

                written += take;
                if (read == 0)
                {
                    return;
                }

                if (take < read)
                {
                    // Stop reading: disposing the response aborts the rest rather than downloading it for nothing.
                    await output.WriteAsync($"\n[body truncated after {maxBytes} bytes (maxBodyBytes)]\n".AsMemory(), cancellationToken);
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
