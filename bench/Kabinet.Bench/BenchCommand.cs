using System.Globalization;

namespace Kabinet.Bench;

/// <summary>
/// Benchmarks that print figures and ratios against a baseline measured in the same run.
/// <code>dotnet run -c Release --project bench/Kabinet.Bench -- dashboard|billing|payments|radius [--db sqlite|postgres|both]
///   [--subscribers 1000000] [--users 400] [--connections 64] [--seconds 30] [--keep-postgres]</code>
/// </summary>
internal static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("dashboard" or "billing" or "payments" or "radius"))
        {
            Console.Error.WriteLine("usage: dashboard|billing|payments|radius [--db sqlite|postgres|both] [--subscribers N] [--users N] [--connections N] [--seconds N] [--work DIR] [--keep-postgres] [--server-env KEY=VALUE] [--rate N]");
            return 2;
        }

        // The RADIUS benchmark's defaults: issue 5's 100,000 access points, 256 requests in flight, 20 s, 200 payments.
        var radius = args[0] == "radius";
        var options = new DashboardBenchOptions
        {
            Databases = Option(args, "--db", "both") switch
            {
                "sqlite" => ["sqlite"],
                "postgres" => ["postgres"],
                _ => ["sqlite", "postgres"],
            },
            Subscribers = int.Parse(Option(args, "--subscribers", radius ? "100000" : "1000000"), CultureInfo.InvariantCulture),
            Users = int.Parse(Option(args, "--users", radius ? "200" : "400"), CultureInfo.InvariantCulture),
            Connections = int.Parse(Option(args, "--connections", radius ? "256" : "64"), CultureInfo.InvariantCulture),
            Seconds = int.Parse(Option(args, "--seconds", radius ? "20" : "30"), CultureInfo.InvariantCulture),
            WorkDirectory = Option(args, "--work", Path.Combine(Path.GetTempPath(), "kabinet-bench")),
            KeepPostgres = args.Contains("--keep-postgres"),
            Rate = args.Contains("--rate") ? double.Parse(Option(args, "--rate", "0"), CultureInfo.InvariantCulture) : null,
            ServerEnvironment = args.Select((a, i) => (a, i)).Where(x => x.a == "--server-env" && x.i + 1 < args.Length)
                .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "", StringComparer.Ordinal),
        };
        BenchDatabases.ClearSandboxFiles();
        await BenchDatabases.EnsureCertificateAsync();
        if (args[0] == "billing")
        {
            await new BillingBench(options).RunAsync();
        }
        else if (radius)
        {
            await new RadiusBench(options).RunAsync();
        }
        else if (args[0] == "payments")
        {
            await new PaymentsBench(options).RunAsync();
        }
        else
        {
            await new DashboardBench(options).RunAsync();
        }
        return 0;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}

/// <summary>What the dashboard benchmark runs.</summary>
internal sealed class DashboardBenchOptions
{
    public required string[] Databases { get; init; }

    public required int Subscribers { get; init; }

    public required int Users { get; init; }

    public required int Connections { get; init; }

    public required int Seconds { get; init; }

    public required string WorkDirectory { get; init; }

    /// <summary>Seed PostgreSQL once into a cluster kept under the work directory and measure a copy (--keep-postgres).</summary>
    public bool KeepPostgres { get; init; }

    /// <summary>Payments bench: pace the measured run to this many payments per second in all (unset: as fast as they go).</summary>
    public double? Rate { get; init; }

    /// <summary>Extra environment for the server under test (--server-env KEY=VALUE), e.g. runtime GC settings.</summary>
    public IReadOnlyDictionary<string, string> ServerEnvironment { get; init; } = new Dictionary<string, string>();
}
