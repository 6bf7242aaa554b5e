using Untangle.Host.Cli;

// Untangle's command line: `dotnet run --project host -- VERB ...`; with no verb, run the default experiment.
return UntangleCommand.Run(args);
