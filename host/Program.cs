using Untangle.Contracts.Training;
using Untangle.Host.Cli;

// Equal runs give equal bits: MKL's reproducible mode must be asked for before libtorch first uses it.
NumericalReproducibility.Enable();
// Untangle's command line: `dotnet run --project host -- VERB ...`; with no verb, run the default experiment.
return UntangleCommand.Run(args);
