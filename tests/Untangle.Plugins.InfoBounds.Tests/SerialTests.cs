// These tests seed libtorch's global generator (torch.random.manual_seed) to make network
// initialisation and sampling reproducible. The generator is process-wide, so test classes running
// in parallel would draw from each other's streams and a seeded test could see another start;
// running them one at a time keeps every seed meaningful.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
