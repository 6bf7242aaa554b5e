// The tests seed libtorch's process-wide generator (parameter initialisation); running test classes one
// at a time keeps that seed meaningful.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
