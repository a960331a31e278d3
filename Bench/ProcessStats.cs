using System.Globalization;

namespace Linen.Bench;

/// <summary>What the kernel reports about this process and machine (Linux <c>/proc</c>; zeros elsewhere).</summary>
internal static class ProcessStats
{
    /// <summary>The resident set size in MiB (<c>VmRSS</c>).</summary>
    public static double ResidentMiB()
    {
        var line = ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Minor and major page faults of this process so far (<c>/proc/self/stat</c> fields 10 and 12).</summary>
    public static (long Minor, long Major) PageFaults()
    {
        var stat = ReadLines("/proc/self/stat").FirstOrDefault();
        if (stat is null) return (0, 0);
        // Fields after the command name, which is in parentheses and may contain spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[7], CultureInfo.InvariantCulture), long.Parse(fields[9], CultureInfo.InvariantCulture));
    }

    /// <summary>The 1-, 5- and 15-minute load averages as <c>/proc/loadavg</c> prints them.</summary>
    public static string LoadAverage() =>
        ReadLines("/proc/loadavg").FirstOrDefault() is { } line ? string.Join(' ', line.Split(' ').Take(3)) : "n/a";

    private static IEnumerable<string> ReadLines(string path) => File.Exists(path) ? File.ReadLines(path) : [];
}
