using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kabinet.Bench;

/// <summary>Kabinet run as its own process from this output folder, as it runs in production.</summary>
internal sealed class KabinetProcess : IAsyncDisposable
{
    private readonly Process _process;

    private KabinetProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Runs a verb (migrate, seed-demo ...) to completion, echoing its output.</summary>
    public static async Task RunVerbAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Start(environment, arguments, redirect: false);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Kabinet.Web {string.Join(' ', arguments)} exited with {process.ExitCode}");
        }
    }

    /// <summary>Starts the server on a free loopback port and waits for /healthz.</summary>
    public static async Task<KabinetProcess> StartServerAsync(IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var process = Start(environment, ["--urls", address.ToString().TrimEnd('/')], redirect: true);
        var server = new KabinetProcess(process, address);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 240; attempt++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(address, "/healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within the client's timeout.
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException("Kabinet exited during start-up: " + await process.StandardError.ReadToEndAsync());
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("Kabinet did not answer /healthz within 2 minutes.");
    }

    /// <summary>
    /// CPU time (in clock ticks) the server's tiered-compilation thread has used: a warm-up is over
    /// when it stops growing, i.e. when the hot paths run the optimised code a long-running server runs.
    /// </summary>
    public long TieredCompilationTicks()
    {
        long ticks = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{_process.Id}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')];
                if (name.StartsWith(".NET Tiered", StringComparison.Ordinal))
                {
                    // utime and stime: the 14th and 15th fields, the 12th and 13th after the name.
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return ticks;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static Process Start(IReadOnlyDictionary<string, string> environment, string[] arguments, bool redirect)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = redirect, RedirectStandardError = redirect };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kabinet.Web.dll"));
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start Kabinet.Web");
        if (redirect)
        {
            // Drain the pipes so a chatty server never blocks on a full buffer.
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
        }

        return process;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
