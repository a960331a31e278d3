// Linen's build script (Cake 7, a local dotnet tool: `dotnet tool restore && dotnet cake --target=NAME`).
// Targets: Prereqs, Restore, Build, Test, Bench, Train (the default: the main job on real MNIST).
var target = Argument("target", "Train");
var configuration = Argument("configuration", "Release");
var filter = Argument("filter", "");
var epochs = Argument("epochs", 4);
var seed = Argument("seed", 0);
var outDir = Argument("out", "runs/lenet-mnist");
var solution = "./Linen.sln";

Task("Prereqs")
    .Description("Checks (and on Debian 12 as root installs) the libstdc++ that TorchSharp needs.")
    .Does(() =>
{
    var exit = StartProcess("bash", new ProcessSettings { Arguments = "scripts/install-prereqs.sh" });
    if (exit != 0) throw new Exception("Prerequisites are missing: see the message above.");
});

Task("Restore").IsDependentOn("Prereqs").Does(() => DotNetRestore(solution));

Task("Build").IsDependentOn("Restore").Does(() =>
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration, NoRestore = true }));

Task("Test")
    .Description("Runs the whole test suite; results go to artifacts/test-results/*.trx.")
    .IsDependentOn("Build")
    .Does(() =>
{
    var settings = new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        NoRestore = true,
        ResultsDirectory = "artifacts/test-results",
        Loggers = new[] { "trx;LogFileName=tests.trx", "console;verbosity=minimal" },
    };
    if (!string.IsNullOrEmpty(filter)) settings.Filter = filter;
    DotNetTest("Tests/Linen.Tests.csproj", settings);
});

Task("Bench")
    .Description("Runs the benchmark program (prints a table, writes artifacts/bench.json).")
    .IsDependentOn("Build")
    .Does(() =>
{
    DotNetRun("Bench/Linen.Bench.csproj", new ProcessArgumentBuilder().Append(Argument("bench-args", "")),
        new DotNetRunSettings { Configuration = configuration, NoBuild = true, NoRestore = true });
});

Task("Train")
    .Description("The main job: fetches MNIST, trains LeNet with a fixed seed, reports test accuracy.")
    .IsDependentOn("Build")
    .Does(() =>
{
    // The main job is a fresh, reproducible run each time (the program refuses to overwrite a run otherwise).
    if (DirectoryExists(outDir)) DeleteDirectory(outDir, new DeleteDirectorySettings { Recursive = true, Force = true });
    var args = new ProcessArgumentBuilder()
        .Append("train").Append("--model lenet").Append("--dataset mnist")
        .Append($"--epochs {epochs}").Append($"--seed {seed}").Append($"--out {outDir}");
    DotNetRun("Cli/Linen.Cli.csproj", args,
        new DotNetRunSettings { Configuration = configuration, NoBuild = true, NoRestore = true });
});

RunTarget(target);
