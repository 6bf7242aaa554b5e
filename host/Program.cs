Console.WriteLine(TorchSharp.torch.randn(3, 3).sum().item<float>());
