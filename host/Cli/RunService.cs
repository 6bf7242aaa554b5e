using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Untangle.Host.Runs;

namespace Untangle.Host.Cli;

/// <summary>
/// Runs one experiment as a hosted service and stops the application when it is done. A stop
/// request (Ctrl+C, SIGTERM) cancels the stopping token: training finishes its current step, writes a
/// checkpoint and the run is marked interrupted.
/// </summary>
public sealed class RunService(RunJob job, ILoggerFactory loggers, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Training runs on one dedicated thread: TorchSharp dispose scopes are per thread.
            job.Complete(await Task.Factory.StartNew(
                () => new RecordedRun(job.Store, loggers).Execute(job.RunId, job.Experiment, job.OutFolder, job.Options, stoppingToken),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }
        catch (Exception e)
        {
            job.Fail(e);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
