using Spectre.Console;
using Untangle.Contracts.Evaluation;
using Untangle.Host.Cli;
using Untangle.Host.Training;

namespace Untangle.Tests.Reports;

public class TerminalProgressTests
{
    [Fact]
    public void The_bar_shows_epoch_batch_losses_and_the_validation_metric()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        var level = new Serilog.Core.LoggingLevelSwitch();
        var progress = new TerminalProgress(console, level);

        progress.Started(epochs: 2, batchesPerEpoch: 4, epoch: 1, batchesDone: 0);
        level.MinimumLevel.Should().Be(Serilog.Events.LogEventLevel.Warning, "log lines would tear the bar");
        progress.BatchDone(1, 4, new Dictionary<string, double> { ["bpr"] = 0.6931 });
        progress.EpochDone(new EpochRecord(1, 0.1, new Dictionary<string, double>(), new Dictionary<string, MetricResult> { ["ndcg@20"] = new(0.1234, 0, 1, []) }), "ndcg@20", best: true);
        progress.BatchDone(2, 3, new Dictionary<string, double> { ["bpr"] = 0.5 });
        progress.Finished();

        level.MinimumLevel.Should().Be(Serilog.Events.LogEventLevel.Information);
        var text = output.ToString();
        text.Should().Contain("epoch 2/2 batch 3/4").And.Contain("bpr 0.5").And.Contain("valid ndcg@20 0.1234 *");
        text.Should().Contain("87%", "7 of 8 batches are done");
    }
}
