using Untangle.Host.Training;

namespace Untangle.Tests.Faults;

public class RunRandomTests
{
    [Fact]
    public void A_restored_state_continues_with_exactly_the_same_draws()
    {
        var random = new RunRandom(42);
        for (int i = 0; i < 10; i++) random.Next(100);
        var saved = random.State;
        var expected = new[] { random.Next(), random.Next(7), random.Next(-5, 5) };
        var expectedDouble = random.NextDouble();
        var expectedOrder = Enumerable.Range(0, 20).ToArray();
        random.Shuffle(expectedOrder);

        var resumed = new RunRandom(1);
        resumed.Restore(saved);
        new[] { resumed.Next(), resumed.Next(7), resumed.Next(-5, 5) }.Should().Equal(expected);
        resumed.NextDouble().Should().Be(expectedDouble);
        var order = Enumerable.Range(0, 20).ToArray();
        resumed.Shuffle(order); // Random.Shuffle goes through the overridden Next(int, int)
        order.Should().Equal(expectedOrder);
    }

    [Fact]
    public void The_same_seed_gives_the_same_sequence_and_another_seed_another()
    {
        static int[] Draws(int seed)
        {
            var r = new RunRandom(seed);
            return Enumerable.Range(0, 50).Select(_ => r.Next(1000)).ToArray();
        }

        Draws(7).Should().Equal(Draws(7));
        Draws(7).Should().NotEqual(Draws(8));
    }

    [Fact]
    public void Draws_stay_within_their_bounds()
    {
        var r = new RunRandom(3);
        for (int i = 0; i < 10_000; i++)
        {
            r.Next(3).Should().BeInRange(0, 2);
            r.Next(-2, 2).Should().BeInRange(-2, 1);
            r.NextDouble().Should().BeGreaterThanOrEqualTo(0).And.BeLessThan(1);
            r.NextInt64(long.MinValue, long.MaxValue).Should().BeLessThan(long.MaxValue);
        }
        r.Next(0).Should().Be(0);
        r.Next(5, 5).Should().Be(5);
        FluentActions.Invoking(() => r.Next(-1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => r.Restore([0, 0, 0, 0])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Epoch_seeds_differ_between_epochs_and_seeds_and_repeat_for_the_same_pair()
    {
        EpochSeeds.Sampling(2024, 3).Should().Be(EpochSeeds.Sampling(2024, 3));
        EpochSeeds.Sampling(2024, 3).Should().NotBe(EpochSeeds.Sampling(2024, 4));
        EpochSeeds.Sampling(2024, 3).Should().NotBe(EpochSeeds.Sampling(2025, 3));
        EpochSeeds.Sampling(-1, 1).Should().BeGreaterThanOrEqualTo(0);
    }
}
