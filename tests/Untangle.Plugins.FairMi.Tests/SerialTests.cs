// The method test draws CLUB-sample's permutations from libtorch's process-wide generator, which it
// seeds; running test classes one at a time keeps that seed meaningful.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
