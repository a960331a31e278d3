namespace Linen.Cli; internal static class Program { private static int Main() { using var t = TorchSharp.torch.ones(2); System.Console.WriteLine(t.sum().item<float>()); return 0; } }
