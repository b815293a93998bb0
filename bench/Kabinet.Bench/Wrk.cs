using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Kabinet.Bench;

/// <summary>One load run's figures.</summary>
internal sealed record LoadResult(string Name, double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Errors);

/// <summary>Runs wrk (Debian package) against a loopback URL with a Lua script and reads its report.</summary>
internal static partial class Wrk
{
    public static async Task<LoadResult> RunAsync(string name, string url, string luaScript, int connections, int seconds)
    {
        var script = Path.Combine(Path.GetTempPath(), $"kabinet-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, luaScript);
        try
        {
            var psi = new ProcessStartInfo("wrk")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[] { "-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "--timeout", "5s", "-s", script, url })
            {
                psi.ArgumentList.Add(a);
            }

            using var process = Process.Start(psi) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return Parse(name, output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>A script that sends each request with the next header value from a list, spread across threads.</summary>
    public static string RotatingHeaderScript(string header, string valuesFile) => $$"""
        local values = {}
        for line in io.lines("{{valuesFile}}") do values[#values + 1] = line end
        local i = math.random(1, #values)
        request = function()
          i = i % #values + 1
          return wrk.format("GET", nil, { ["{{header}}"] = values[i] })
        end
        """;

    /// <summary>A script that asks for a random id in a range as ?id=.</summary>
    public static string RandomIdScript(string path, long first, long last) => $$"""
        math.randomseed(os.time())
        request = function()
          return wrk.format("GET", "{{path}}?id=" .. math.random({{first}}, {{last}}))
        end
        """;

    private static LoadResult Parse(string name, string output)
    {
        var rps = Number(RpsPattern().Match(output));
        var requests = long.Parse(RequestsPattern().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = 0L;
        var non2xx = Non2xxPattern().Match(output);
        if (non2xx.Success)
        {
            errors += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        var socket = SocketErrorsPattern().Match(output);
        if (socket.Success)
        {
            errors += socket.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture));
        }

        return new LoadResult(name, rps, Latency(output, "50%"), Latency(output, "99%"), requests, errors);
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, @"^\s*" + Regex.Escape(percentile) + @"\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            return double.NaN;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    private static double Number(Match match) =>
        match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RpsPattern();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsPattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsPattern();
}
