using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Spectre.Console;
using Untangle.Host.Training;

namespace Untangle.Host.Cli;

/// <summary>
/// A progress bar for a run watched on a terminal (Spectre.Console): epoch and batch, a bar over all
/// batches of all epochs with the time remaining at the current pace (an upper bound when early
/// stopping may end the run sooner), the latest losses, and the last validation metric. While it is
/// drawn the console log shows warnings only; everything still goes to run.log.
/// </summary>
public sealed class TerminalProgress(IAnsiConsole console, LoggingLevelSwitch? consoleLog = null) : ITrainingProgress
{
    private readonly ManualResetEventSlim _ready = new(), _done = new();
    private ProgressTask? _task;
    private Thread? _renderer;
    private LogEventLevel _previousLevel;
    private int _epochs, _perEpoch;
    private string _validation = "";
    private IReadOnlyDictionary<string, double>? _losses;

    public void Started(int epochs, int batchesPerEpoch, int epoch, int batchesDone)
    {
        (_epochs, _perEpoch) = (epochs, Math.Max(1, batchesPerEpoch));
        if (consoleLog is not null)
        {
            _previousLevel = consoleLog.MinimumLevel;
            consoleLog.MinimumLevel = LogEventLevel.Warning;
        }
        // Spectre draws from the thread that calls Start until the callback returns; training runs on its own thread.
        _renderer = new Thread(() => console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                _task = context.AddTask(Describe(epoch, batchesDone, null), maxValue: (double)epochs * _perEpoch);
                _task.Value = (double)(epoch - 1) * _perEpoch + batchesDone;
                _ready.Set();
                while (!_done.Wait(100)) context.Refresh();
                _task.StopTask();
            }))
        { IsBackground = true, Name = "progress" };
        _renderer.Start();
        _ready.Wait(TimeSpan.FromSeconds(5));
    }

    public void BatchDone(int epoch, int batchesDone, IReadOnlyDictionary<string, double> lastLosses)
    {
        if (_task is null) return;
        _losses = new Dictionary<string, double>(lastLosses);
        _task.Value = (double)(epoch - 1) * _perEpoch + batchesDone;
        _task.Description = Describe(epoch, batchesDone, _losses);
    }

    public void EpochDone(EpochRecord record, string validationMetric, bool best)
    {
        if (record.Validation is { } v && v.TryGetValue(validationMetric, out var m))
            _validation = $"{validationMetric} {m.Mean.ToString("F4", CultureInfo.InvariantCulture)}{(best ? " *" : "")}";
        if (_task is null) return;
        _task.Value = (double)record.Epoch * _perEpoch;
        _task.Description = Describe(record.Epoch, _perEpoch, _losses);
    }

    public void Finished()
    {
        _done.Set();
        _renderer?.Join(TimeSpan.FromSeconds(5));
        if (consoleLog is not null) consoleLog.MinimumLevel = _previousLevel;
    }

    /// <summary>"epoch 3/50 batch 12/40 · bpr 0.6931 l2 0.0001 · valid ndcg@20 0.1234", escaped for Spectre's markup.</summary>
    private string Describe(int epoch, int batch, IReadOnlyDictionary<string, double>? losses)
    {
        var parts = new List<string> { $"epoch {epoch}/{_epochs} batch {batch}/{_perEpoch}" };
        if (losses is { Count: > 0 })
            parts.Add(string.Join(" ", losses.Select(kv => $"{kv.Key} {kv.Value.ToString("G4", CultureInfo.InvariantCulture)}")));
        if (_validation.Length > 0) parts.Add($"valid {_validation}");
        return Markup.Escape(string.Join(" · ", parts));
    }
}
