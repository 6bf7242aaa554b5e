using Serilog.Core;
using Serilog.Events;
using Spectre.Console;
using Untangle.Contracts.Evaluation;
using Untangle.Host.Cli;
using Untangle.Host.Training;

namespace Untangle.Tests.Reports;

/// <summary>The progress bar's last frame (drawn when training ends) on a console that writes to a string.</summary>
public class TerminalProgressTests
{
    private static (TerminalProgress Progress, StringWriter Output, LoggingLevelSwitch Level) Make()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        var level = new LoggingLevelSwitch();
        return (new TerminalProgress(console, level), output, level);
    }

    private static EpochRecord Epoch(int epoch, double ndcg) =>
        new(epoch, 0.1, new Dictionary<string, double>(), new Dictionary<string, MetricResult> { ["ndcg@20"] = new(ndcg, 0, 1, []) });

    [Fact]
    public void The_bar_shows_epoch_batch_the_latest_losses_and_the_last_validation_metric()
    {
        var (progress, output, level) = Make();

        progress.Started(epochs: 2, batchesPerEpoch: 4, epoch: 1, batchesDone: 0);
        level.MinimumLevel.Should().Be(LogEventLevel.Warning, "log lines would tear the bar");
        progress.BatchDone(1, 4, new Dictionary<string, double> { ["bpr"] = 0.6931 });
        progress.EpochDone(Epoch(1, 0.1), "ndcg@20", best: true);
        progress.BatchDone(2, 4, new Dictionary<string, double> { ["bpr"] = 0.5, ["l2"] = 0.0001 });
        progress.EpochDone(Epoch(2, 0.1234), "ndcg@20", best: true);
        progress.Finished();

        level.MinimumLevel.Should().Be(LogEventLevel.Information, "the console log is back once the bar is done");
        output.ToString().Should().Contain("epoch 2/2 batch 4/4 · bpr 0.5 l2 0.0001 · valid ndcg@20 0.1234 *").And.Contain("100%");
    }

    [Fact]
    public void A_resumed_run_starts_the_bar_where_its_checkpoint_was()
    {
        var (progress, output, _) = Make();

        progress.Started(epochs: 2, batchesPerEpoch: 4, epoch: 2, batchesDone: 2);
        progress.BatchDone(2, 3, new Dictionary<string, double> { ["bpr"] = 0.5 });
        progress.Finished();

        output.ToString().Should().Contain("epoch 2/2 batch 3/4 · bpr 0.5").And.Contain("87%", "7 of 8 batches are done");
    }
}
