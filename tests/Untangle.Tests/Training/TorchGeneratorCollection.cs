namespace Untangle.Tests.Training;

/// <summary>
/// Tests that compare two in-process runs draw by draw. They share torch's process-wide generator
/// (ExperimentRun seeds it, dropout and rand draw from it), so a test running beside them would take
/// draws from between theirs and make equal runs differ. This collection runs alone, after the others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGeneratorCollection
{
    public const string Name = "torch's global generator";
}
