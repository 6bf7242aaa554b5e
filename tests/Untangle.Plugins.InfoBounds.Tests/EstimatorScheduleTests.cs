using Untangle.Contracts.Components;
using Untangle.Contracts.Settings;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.InfoBounds.Tests;

/// <summary>The schedule setting and the fitting step it becomes.</summary>
public class EstimatorScheduleTests
{
    [Theory]
    [InlineData("5/batch", ScheduleKind.RepeatPerBatch, 5)]
    [InlineData(" 50 / epoch ", ScheduleKind.PerEpoch, 50)]
    [InlineData("1/Batch", ScheduleKind.RepeatPerBatch, 1)]
    public void A_schedule_text_becomes_the_engine_schedule(string text, ScheduleKind kind, int times)
    {
        var schedule = EstimatorSchedule.Parse("hyper.mi_schedule", text);
        schedule.ToSchedule().Should().Be(new Schedule(kind, times));
        EstimatorSchedule.Parse("again", schedule.ToString()).Should().Be(schedule);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("0/batch")]
    [InlineData("5/step")]
    [InlineData("-1/epoch")]
    [InlineData("five/batch")]
    public void A_bad_schedule_names_the_key_the_text_and_the_form(string text)
    {
        var act = () => EstimatorSchedule.Parse("hyper.mi_schedule", text);
        act.Should().Throw<ArgumentException>().WithMessage($"hyper.mi_schedule: '{text}' is not a schedule; expected 'k/batch' or 'n/epoch'*");
    }

    [Fact]
    public void A_method_declares_and_reads_the_schedule_as_a_hyper_parameter()
    {
        var spec = EstimatorSchedule.Setting("mi_schedule", "5/batch");
        var hyper = SettingValues.Resolve("hyper", [spec], new Dictionary<string, string> { ["mi_schedule"] = "50/epoch" });

        EstimatorSchedule.Read(hyper, "mi_schedule").Should().Be(new EstimatorSchedule(EstimatorCadence.PerEpoch, 50));
        var badDefault = () => EstimatorSchedule.Setting("mi_schedule", "often");
        badDefault.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void The_fitting_step_trains_q_on_detached_inputs_evaluated_without_gradients()
    {
        random.manual_seed(31);
        using var club = Components.Make(new ClubFactory(), Components.Dims(2, 2), new Dictionary<string, string> { ["hidden_size"] = "8" });
        var encoder = nn.Linear(2, 2);
        var data = randn(16, 2);
        bool gradEnabledInside = true;
        var steps = EstimatorTraining.Steps("mi-fit", club, new EstimatorSchedule(EstimatorCadence.PerBatch, 3), OptimizerSpec.Adam(1e-2), _ =>
        {
            gradEnabledInside = is_grad_enabled();
            var z = encoder.forward(data);
            return (z, z * 2);
        });

        var step = steps.Should().ContainSingle().Subject;
        step.Schedule.Should().Be(Schedule.RepeatPerBatch(3));
        step.Parameters.Should().BeEquivalentTo(club.Module!.parameters());
        var loss = step.Loss(new StepContext(Batch(), (_, _) => { }));
        loss.backward();
        gradEnabledInside.Should().BeFalse();
        encoder.weight!.grad.Should().BeNull("the encoder is not trained by the estimator's step");
        club.Module!.parameters().Select(p => p.grad is not null).Should().OnlyContain(has => has);
    }

    private static TrainingBatch Batch() => new()
    {
        Kind = BatchKind.Triples, Epoch = 1, Index = 0, GlobalBatch = 0, Device = CPU, Users = zeros(0, dtype: ScalarType.Int64),
    };
}
