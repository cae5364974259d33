using GopherCron.Agent.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace GopherCron.Agent.Tests;

public sealed class AgentOutboxTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    [Fact]
    public async Task Results_are_sent_again_on_each_connection_until_acknowledged()
    {
        var outbox = new AgentOutbox(NullLogger<AgentOutbox>.Instance);
        await outbox.SendAsync(new RunStarted(1, At), CancellationToken.None);
        await outbox.SendAsync(new RunFinished(1, RunOutcome.Succeeded, 0, null, At), CancellationToken.None);

        (await DrainOnceAsync(outbox, expected: 2)).Select(m => m.GetType().Name).ShouldBe(["RunStarted", "RunFinished"]);
        outbox.PendingRunIds.ShouldBe([1L]);

        (await DrainOnceAsync(outbox, expected: 2)).Select(m => m.GetType().Name).ShouldBe(["RunStarted", "RunFinished"]);
        outbox.Acknowledge(1);
        outbox.PendingRunIds.ShouldBeEmpty();
        outbox.IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public async Task Output_while_disconnected_is_bounded_by_dropping_the_oldest()
    {
        var outbox = new AgentOutbox(NullLogger<AgentOutbox>.Instance, maxBufferedOutputChars: 10);
        for (var i = 1; i <= 5; i++)
        {
            // Never blocks while disconnected.
            await outbox.SendAsync(new RunOutput(7, i, "abcd"), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        }

        await outbox.SendAsync(new RunFinished(7, RunOutcome.Succeeded, 0, null, At), CancellationToken.None);
        outbox.DroppedChunks.ShouldBe(3);

        var sent = await DrainOnceAsync(outbox, expected: 3);
        sent.OfType<RunOutput>().Select(o => o.Sequence).ShouldBe([4L, 5L]);
        sent[^1].ShouldBeOfType<RunFinished>();
    }

    private static async Task<List<AgentMessage>> DrainOnceAsync(AgentOutbox outbox, int expected)
    {
        var sent = new List<AgentMessage>();
        using var connection = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var drain = outbox.DrainAsync((message, _) =>
        {
            sent.Add(message);
            if (sent.Count == expected)
            {
                connection.Cancel();
            }

            return Task.CompletedTask;
        }, connection.Token);
        await Should.ThrowAsync<OperationCanceledException>(drain);
        return sent;
    }
}
