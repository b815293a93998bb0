using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>
/// One private FreeRADIUS process: a configuration directory under /tmp written by the caller,
/// <c>freeradius -f -d dir</c> in the foreground, ready when its log says so, killed on dispose.
/// Shared by <see cref="FreeRadiusServer"/> and <see cref="NasEmulator"/>.
/// </summary>
internal sealed class FreeRadiusProcess : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/freeradius";
    public const string DictionaryDir = "/usr/share/freeradius";
    public const string ModuleDir = "/usr/lib/freeradius";
    private const string ReadyLine = "Ready to process requests";

    private readonly StringBuilder _output = new();
    private Process? _process;
    private int _disposed;

    private FreeRadiusProcess(string directory)
    {
        Directory = directory;
    }

    /// <summary>The configuration directory (radiusd.conf, log, pid, detail files).</summary>
    public string Directory { get; }

    public string LogFile => Path.Combine(Directory, "radius.log");

    /// <summary>A new empty configuration directory, /tmp/kabinet-radius-&lt;random&gt;/.</summary>
    public static FreeRadiusProcess Create()
    {
        if (!File.Exists(Binary) || !System.IO.Directory.Exists(DictionaryDir))
        {
            throw new InvalidOperationException(
                $"FreeRADIUS is not installed ({Binary}, {DictionaryDir}). Install the Debian packages " +
                "freeradius freeradius-rest freeradius-utils (bash build/test.sh does).");
        }

        var directory = Path.Combine("/tmp", "kabinet-radius-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        foreach (var sub in new[] { "mods-enabled", "sites-enabled", "policy.d", "mods-config" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(directory, sub));
        }

        File.WriteAllText(Path.Combine(directory, "dictionary"), "# no local attributes\n");
        return new FreeRadiusProcess(directory);
    }

    public void Write(string relativePath, string content)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>
    /// The radiusd.conf every instance shares: no user switch, log and pid in the directory, a
    /// modest thread pool, the given clients and listen sections, modules from mods-enabled,
    /// policies from policy.d and servers from sites-enabled.
    /// </summary>
    public void WriteMainConfig(string clients, string listeners, int maxThreads, double rejectDelay = 0)
    {
        var dir = Directory;
        Write("radiusd.conf", string.Create(CultureInfo.InvariantCulture, $$"""
            prefix = /usr
            exec_prefix = /usr
            sysconfdir = /etc
            localstatedir = /var
            sbindir = /usr/sbin
            logdir = {{dir}}
            raddbdir = {{dir}}
            radacctdir = {{dir}}/radacct
            name = freeradius
            confdir = {{dir}}
            modconfdir = ${confdir}/mods-config
            certdir = ${confdir}/certs
            cadir = ${confdir}/certs
            run_dir = {{dir}}
            db_dir = {{dir}}
            libdir = {{ModuleDir}}
            dictdir = {{DictionaryDir}}
            pidfile = {{dir}}/radiusd.pid
            max_request_time = 30
            cleanup_delay = 5
            # Answered requests are kept for cleanup_delay: at a benchmark's 20,000/s that is 100,000,
            # and beyond max_requests new packets are dropped unanswered.
            max_requests = 1048576
            hostname_lookups = no
            log {
            	destination = files
            	file = {{dir}}/radius.log
            	colourise = no
            	auth = no
            }
            security {
            	allow_core_dumps = no
            	max_attributes = 200
            	reject_delay = {{rejectDelay}}
            	status_server = yes
            }
            thread pool {
            	start_servers = {{Math.Min(4, maxThreads)}}
            	max_servers = {{maxThreads}}
            	min_spare_servers = 1
            	max_spare_servers = {{maxThreads}}
            	max_requests_per_server = 0
            	auto_limit_acct = no
            }
            {{clients}}
            modules {
            	$INCLUDE mods-enabled/
            }
            policy {
            	$INCLUDE policy.d/
            }
            $INCLUDE sites-enabled/
            {{listeners}}
            """));
    }

    /// <summary>Starts the process and waits for "Ready to process requests"; throws with the log if it dies.</summary>
    public async Task StartAsync(IDictionary<string, string> environment, bool debug, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        psi.ArgumentList.Add("-f");
        if (debug)
        {
            psi.ArgumentList.Add("-xx");
        }

        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add(Directory);
        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        if (File.Exists(LogFile))
        {
            File.Delete(LogFile);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {Binary}.");
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (ReadLog().Contains(ReadyLine, StringComparison.Ordinal))
            {
                return;
            }

            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                throw new FreeRadiusStartException(
                    $"FreeRADIUS in {Directory} exited with code {process.ExitCode} before it was ready.\n{Diagnostics()}");
            }

            await Task.Delay(25);
        }

        throw new FreeRadiusStartException($"FreeRADIUS in {Directory} was not ready after {timeout.TotalSeconds} s.\n{Diagnostics()}");
    }

    /// <summary>Stops the process (the directory stays, e.g. for a restart with new files).</summary>
    public async Task StopAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (_process is { } process)
        {
            _process = null;
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await process.WaitForExitAsync(wait.Token);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
            }
            finally
            {
                process.Dispose();
            }
        }
    }

    /// <summary>The log file, then what the process printed: enough to see why a request was refused.</summary>
    public string Diagnostics()
    {
        string printed;
        lock (_output)
        {
            printed = _output.ToString();
        }

        return $"--- {LogFile} ---\n{ReadLog()}\n--- stdout/stderr ---\n{printed}";
    }

    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
        catch (DirectoryNotFoundException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A UDP port on 127.0.0.1 that was free a moment ago (a start retries if it is taken by then).</summary>
    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Starts with fresh ports until none is taken by someone else (at most three tries).</summary>
    public static async Task<T> WithFreePortsAsync<T>(Func<Task<T>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (FreeRadiusStartException e) when (attempt < 3 && e.Message.Contains("Error binding to port", StringComparison.Ordinal))
            {
            }
        }
    }

    /// <summary>Quotes a value for a FreeRADIUS configuration string.</summary>
    public static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 1_000_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // The test host is going away without DisposeAsync: do not leave a radiusd behind.
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}

/// <summary>FreeRADIUS did not come up; the message carries its log.</summary>
public sealed class FreeRadiusStartException : Exception
{
    public FreeRadiusStartException()
    {
    }

    public FreeRadiusStartException(string message)
        : base(message)
    {
    }

    public FreeRadiusStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
