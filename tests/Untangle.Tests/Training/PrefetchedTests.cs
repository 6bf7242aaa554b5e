using Untangle.Host.Training;

namespace Untangle.Tests.Training;

/// <summary>Batches drawn ahead on a worker thread come in order, carry the worker's failure, and stop the worker when left early.</summary>
public class PrefetchedTests
{
    [Fact]
    public void Items_come_in_the_sources_order()
    {
        TrainingBatches.Prefetched(Enumerable.Range(0, 1000), ahead: 2).Should().Equal(Enumerable.Range(0, 1000));
    }

    [Fact]
    public void The_workers_exception_reaches_the_caller_after_the_items_before_it()
    {
        static IEnumerable<int> Failing()
        {
            yield return 1;
            yield return 2;
            throw new InvalidOperationException("no negative can be sampled");
        }
        var seen = new List<int>();
        var act = () => { foreach (var x in TrainingBatches.Prefetched(Failing(), ahead: 2)) seen.Add(x); };
        act.Should().Throw<InvalidOperationException>().WithMessage("no negative can be sampled");
        seen.Should().Equal(1, 2);
    }

    [Fact]
    public void Leaving_early_stops_the_worker()
    {
        int drawn = 0;
        IEnumerable<int> Endless()
        {
            for (int i = 0; ; i++) { Interlocked.Increment(ref drawn); yield return i; }
        }
        TrainingBatches.Prefetched(Endless(), ahead: 2).Take(5).Should().Equal(0, 1, 2, 3, 4);
        int after = Volatile.Read(ref drawn);
        Thread.Sleep(100);
        Volatile.Read(ref drawn).Should().Be(after, "the worker stopped when the caller left");
        after.Should().BeLessThanOrEqualTo(5 + 2 + 1, "it draws at most two items ahead (and one in hand)");
    }
}
