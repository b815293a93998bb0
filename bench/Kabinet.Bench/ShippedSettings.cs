namespace Kabinet.Bench;

/// <summary>
/// The settings Kabinet is shipped with for production: the <c>Environment=</c> lines of
/// deploy/systemd/kabinet.service (GC budget, environment, content root), read from the unit itself
/// so a benchmark measures what an install runs and nothing the benchmark chose for itself.
/// </summary>
internal static class ShippedSettings
{
    /// <summary>The unit file, copied into this output folder at build.</summary>
    public static string UnitPath { get; } = Path.Combine(AppContext.BaseDirectory, "deploy", "kabinet.service");

    /// <summary>The unit's environment; its content root (the install folder, /opt/kabinet) is this output folder.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = Read();

    private static Dictionary<string, string> Read()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(UnitPath))
        {
            if (!line.StartsWith("Environment=", StringComparison.Ordinal))
            {
                continue;
            }

            var pair = line["Environment=".Length..];
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            settings[pair[..equals]] = pair[(equals + 1)..];
        }

        if (settings.ContainsKey("ASPNETCORE_CONTENTROOT"))
        {
            settings["ASPNETCORE_CONTENTROOT"] = AppContext.BaseDirectory;
        }

        return settings;
    }
}
