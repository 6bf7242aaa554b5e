// These tests seed libtorch's process-wide generator (torch.random.manual_seed) so initialisation,
// dropout and Gumbel noise are reproducible; run one at a time so no other test draws from it.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
