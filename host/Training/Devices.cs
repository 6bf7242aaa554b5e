using TorchSharp;

namespace Untangle.Host.Training;

/// <summary>device = auto | cpu | cuda | cuda:N. auto picks CUDA when TorchSharp reports one.</summary>
public static class Devices
{
    public static torch.Device Resolve(string setting)
    {
        var s = setting.Trim().ToLowerInvariant();
        if (s is "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (s is "cpu") return torch.CPU;
        if (s == "cuda" || s.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new ConfigurationException(
                    $"device={setting}: TorchSharp reports no CUDA device (this build uses TorchBackend=cpu unless built with -p:TorchBackend=cuda); use device=cpu or auto");
            if (s == "cuda") return torch.CUDA;
            if (!int.TryParse(s[5..], out var index) || index < 0 || index >= torch.cuda.device_count())
                throw new ConfigurationException($"device={setting}: expected cuda:N with N in [0, {torch.cuda.device_count()})");
            return new torch.Device(DeviceType.CUDA, index);
        }
        throw new ConfigurationException($"device={setting}: not known; expected auto, cpu, cuda or cuda:N");
    }
}
