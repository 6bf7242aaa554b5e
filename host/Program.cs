using Untangle.Contracts.Training;
using Untangle.Host.Cli;

// Equal runs give equal bits: MKL's reproducible mode must be asked for before libtorch first uses it.
NumericalReproducibility.Enable();
// Freed tensor memory stays in the process: a fresh mmap per large tensor costs a page fault per page.
NativeMemory.KeepFreedMemory();
// Untangle's command line: `dotnet run --project host -- VERB ...`; with no verb, run the default experiment.
return UntangleCommand.Run(args);
