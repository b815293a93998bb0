using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kabinet.Data.Connections;

/// <summary>
/// Group commit: callers queue items, a writer takes everything queued (up to a group's size) and
/// writes it as one group, in one database transaction of its own, and the items queued meanwhile
/// make the next group. Every caller returns when its item's group has committed, with its own
/// result. Under load one transaction (a few round trips and one commit) serves many callers
/// instead of one each; alone, an item is written at once. When a group fails, its items are
/// written one by one, so one bad item cannot hold up the others.
/// </summary>
/// <typeparam name="TItem">What a caller queues.</typeparam>
/// <typeparam name="TResult">What it gets back.</typeparam>
/// <param name="writers">How many groups may be written at once.</param>
/// <param name="maxGroup">The most items in one group.</param>
/// <param name="write">Writes a group; returns one result per item, in the items' order.</param>
/// <param name="describe">An item as the log names it when it cannot be written.</param>
/// <param name="logger">Where a failed group is reported.</param>
public sealed class GroupCommit<TItem, TResult>(
    int writers, int maxGroup, Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> write, Func<TItem, string> describe, ILogger logger)
{
    private readonly ConcurrentQueue<(TItem Item, TaskCompletionSource<TResult> Done)> _queue = new();
    private int _draining;

    /// <summary>Queues an item and completes once its group has committed. A caller that gives up leaves its item to be written all the same.</summary>
    public async Task<TResult> WriteAsync(TItem item, CancellationToken ct)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Enqueue((item, done));
        if (TryStartWriter())
        {
            _ = Task.Run(DrainAsync, CancellationToken.None);
        }

        return await done.Task.WaitAsync(ct);
    }

    private async Task DrainAsync()
    {
        var group = new List<(TItem Item, TaskCompletionSource<TResult> Done)>(maxGroup);
        while (true)
        {
            while (group.Count < maxGroup && _queue.TryDequeue(out var queued))
            {
                group.Add(queued);
            }

            if (group.Count == 0)
            {
                Interlocked.Decrement(ref _draining);
                // An item queued after the last look may have found every writer still busy and started none.
                if (_queue.IsEmpty || !TryStartWriter())
                {
                    return;
                }

                continue;
            }

            await WriteGroupAsync(group);
            group.Clear();
        }
    }

    private bool TryStartWriter()
    {
        if (Interlocked.Increment(ref _draining) <= writers)
        {
            return true;
        }

        Interlocked.Decrement(ref _draining);
        return false;
    }

    private async Task WriteGroupAsync(List<(TItem Item, TaskCompletionSource<TResult> Done)> group)
    {
        try
        {
            var results = await write(group.ConvertAll(g => g.Item));
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Done.TrySetResult(results[i]);
            }

            return;
        }
        catch (Exception e) when (group.Count > 1)
        {
            logger.LogWarning(e, "A group of {Count} failed; writing its items one by one", group.Count);
        }
        catch (Exception e)
        {
            group[0].Done.TrySetException(e);
            return;
        }

        foreach (var (item, done) in group)
        {
            try
            {
                done.TrySetResult((await write([item]))[0]);
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Item} could not be written", describe(item));
                done.TrySetException(e);
            }
        }
    }
}
