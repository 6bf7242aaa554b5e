// These tests seed libtorch's process-wide generator (torch.random.manual_seed) so initialisation,
// dropout and the codebook and dropout are reproducible; run one at a time so no other test draws from it.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
