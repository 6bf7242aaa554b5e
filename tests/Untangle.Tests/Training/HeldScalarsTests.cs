using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Tests.Training;

public class HeldScalarsTests
{
    [Fact]
    public void Each_helper_computes_what_its_operator_would()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, -2, 4 });
        var b = tensor(new float[] { 3, 5, -1 });

        a.Plus(b).data<float>().ToArray().Should().Equal(4f, 3f, 3f);
        a.Times(0.5).data<float>().ToArray().Should().Equal(0.5f, -1f, 2f);
        a.Over(4).data<float>().ToArray().Should().Equal(0.25f, -0.5f, 1f);
        a.PlusValue(1).data<float>().ToArray().Should().Equal(2f, -1f, 5f);
        a.Blend(2, b, -1).data<float>().ToArray().Should().Equal(-1f, -9f, 9f);
        a.clamp_min(HeldScalars.Zero).data<float>().ToArray().Should().Equal(1f, 0f, 4f);
        a.masked_fill(a.lt(0), HeldScalars.MinusInfinity).data<float>().ToArray().Should().Equal(1f, float.NegativeInfinity, 4f);
    }
}
