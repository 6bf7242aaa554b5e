using System.Text.Json;
using TorchSharp;
using Untangle.Contracts.Training;
using static TorchSharp.torch;

namespace Untangle.Plugins.Dcid;

/// <summary>
/// The unified representation of DCID (Xia et al., NeurIPS 2023, sec. 3.2): one codebook of K vectors
/// shared by all modalities. Each modality's commons are quantised to their nearest code; the codes
/// move by multi-modal EMA (<see cref="MultimodalEma"/>, γ = 0.99), never by gradient; dead codes are
/// reset onto active ones (<see cref="DeadCodeReset"/>).
/// </summary>
/// <remarks>
/// <para>Initialised uniform in (−1/K, 1/K) with zero counts, as the official code (which fixes K = 400
/// in the bound). The buffers embedding, ema_count and ema_weight are checkpoint keys; the usage
/// counters are plain arrays (they only matter while the representation trains, inside Build).</para>
/// <para>A reset code gets the source code's vector plus uniform noise in ±1/1024 (official), and its
/// EMA weight is set to vector × count so that the next EMA step starts from the reset vector; the
/// official code resets only the vector, which its next update overwrites by ema_weight / ema_count
/// unless the reset code was chosen in between.</para>
/// </remarks>
public sealed class SharedCodebook : nn.Module
{
    public const double Epsilon = 1e-5;
    public const double ResetNoise = 1.0 / 1024;

    private readonly Tensor embedding;
    private readonly Tensor ema_count;
    private readonly Tensor ema_weight;
    private readonly long[] _counters;
    private readonly bool[] _everChosen;
    private readonly double _decay;
    private readonly int _deadAfter, _activeWithin;

    public SharedCodebook(int codes, int size, double decay, int deadAfter, int activeWithin, Random random, Device device)
        : base(nameof(SharedCodebook))
    {
        _decay = decay;
        _deadAfter = deadAfter;
        _activeWithin = activeWithin;
        _counters = new long[codes];
        _everChosen = new bool[codes];
        using var generator = new torch.Generator((ulong)random.NextInt64(), CPU);
        using var draw = rand([codes, size], generator: generator);
        embedding = (draw * (2.0 / codes) - 1.0 / codes).to(device).DetachFromDisposeScope();
        ema_count = zeros(codes, device: device).DetachFromDisposeScope();
        ema_weight = embedding.clone().DetachFromDisposeScope();
        RegisterComponents(); // the three tensor fields become buffers under their field names
    }

    public long Codes => embedding.shape[0];
    public long Size => embedding.shape[1];

    /// <summary>The K × d code vectors (a buffer).</summary>
    public Tensor Embedding => embedding;

    /// <summary>How many resets have happened (for the log).</summary>
    public int Resets { get; private set; }

    /// <summary>
    /// The dead-code bookkeeping outside the buffers (batches since each code was last chosen, whether
    /// it ever was, the reset count), saved with the representation phase's checkpoints so a resumed
    /// phase resets the codes the uninterrupted one would.
    /// </summary>
    public CheckpointedState Bookkeeping(string name) => new(name,
        () => JsonSerializer.Serialize(new CodebookBookkeeping(_counters, _everChosen, Resets)),
        text =>
        {
            var saved = JsonSerializer.Deserialize<CodebookBookkeeping>(text)
                ?? throw new InvalidDataException($"{name}: empty codebook state");
            if (saved.Counters.Length != _counters.Length || saved.EverChosen.Length != _everChosen.Length)
                throw new InvalidDataException($"{name}: {saved.Counters.Length} codes saved, this codebook has {_counters.Length}");
            saved.Counters.CopyTo(_counters, 0);
            saved.EverChosen.CopyTo(_everChosen, 0);
            Resets = saved.Resets;
        });

    private sealed record CodebookBookkeeping(long[] Counters, bool[] EverChosen, int Resets);

    /// <summary>The nearest code of each row of <paramref name="z"/> (int64), by squared Euclidean distance.</summary>
    public Tensor Assign(Tensor z)
    {
        using var noGrad = no_grad();
        var flat = z.detach();
        var distances = flat.Squared().sum(1, keepdim: true).Blend(1, flat.mm(embedding.t()), -2).Plus(embedding.Squared().sum(1).unsqueeze(0));
        return distances.argmin(1);
    }

    /// <summary>The code vectors of <paramref name="codes"/> (no gradient: codes move by EMA).</summary>
    public Tensor Lookup(Tensor codes) => embedding.index_select(0, codes).detach();

    /// <summary>z + sg[q − z]: the code's value forward, the identity backward (straight-through estimator).</summary>
    public static Tensor StraightThrough(Tensor z, Tensor q) => z + (q - z).detach();

    /// <summary>
    /// One training batch's update: MM-EMA from every modality's detached vectors and assignments, then
    /// the dead-code reset with noise drawn from <paramref name="random"/>.
    /// </summary>
    public void Update(IReadOnlyList<Tensor> vectors, IReadOnlyList<Tensor> assignments, Random random)
    {
        using var noGrad = no_grad();
        using (var scope = NewDisposeScope())
        {
            var (count, weight, codes) = MultimodalEma.Update(ema_count, ema_weight, vectors.Select(v => v.detach()).ToList(), assignments, _decay, Epsilon);
            ema_count.copy_(count);
            ema_weight.copy_(weight);
            embedding.copy_(codes);
        }
        var chosen = assignments.SelectMany(a => a.cpu().data<long>().ToArray()).Distinct();
        var plan = DeadCodeReset.Plan(_counters, _everChosen, chosen, _deadAfter, _activeWithin, random);
        foreach (var (dead, source) in plan)
        {
            var noise = new float[Size];
            for (int c = 0; c < noise.Length; c++) noise[c] = (float)((random.NextDouble() * 2 - 1) * ResetNoise);
            using var scope = NewDisposeScope();
            var row = embedding[source] + tensor(noise, device: embedding.device);
            embedding[dead].copy_(row);
            ema_weight[dead].copy_(row * ema_count[dead]);
            Resets++;
        }
    }
}
