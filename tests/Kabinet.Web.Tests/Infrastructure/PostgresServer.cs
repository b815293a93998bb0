using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>
/// A private, throw-away PostgreSQL server for one test run: its own data directory under /tmp,
/// its own loopback port, trust authentication, durability switched off for speed.
/// initdb refuses to run as root, so under root the server runs as the <c>postgres</c> user.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private const string OsUser = "postgres";
    private const int StartAttempts = 3;

    private readonly string _rootDir;
    private readonly string _dataDir;
    private readonly string _logFile;
    private readonly string _pgCtl;
    private readonly bool _asPostgresUser;
    private int _disposed;

    private PostgresServer(string rootDir, string pgCtl, bool asPostgresUser, int port)
    {
        _rootDir = rootDir;
        _dataDir = Path.Combine(rootDir, "data");
        _logFile = Path.Combine(rootDir, "postgres.log");
        _pgCtl = pgCtl;
        _asPostgresUser = asPostgresUser;
        Port = port;
        AdminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
            Pooling = false,
        }.ConnectionString;
    }

    public int Port { get; private set; }

    /// <summary>Superuser connection to the <c>postgres</c> database, without pooling.</summary>
    public string AdminConnectionString { get; private set; }

    /// <summary>Where the server writes its log; worth reading when a test fails oddly.</summary>
    public string LogFile => _logFile;

    public static async Task<PostgresServer> StartAsync()
    {
        var initdb = FindBinary("initdb");
        var pgCtl = FindBinary("pg_ctl");
        var asPostgresUser = await IsRootAsync();

        // Always /tmp on Unix: the postgres user must reach it, and the Unix socket path must stay short.
        var tempRoot = OperatingSystem.IsWindows() ? Path.GetTempPath() : "/tmp";
        var rootDir = Path.Combine(tempRoot, "kabinet-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(rootDir);
        if (!OperatingSystem.IsWindows())
        {
            // The postgres user must be able to enter the directory (and own it, see below).
            File.SetUnixFileMode(rootDir,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
                UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var server = new PostgresServer(rootDir, pgCtl, asPostgresUser, FindFreePort());
        try
        {
            if (asPostgresUser)
            {
                await RunAsync("chown", ["-R", OsUser, rootDir], rootDir, "chown of the data directory");
            }

            await server.RunPgAsync(
                $"{Quote(initdb)} -D {Quote(server._dataDir)} -U postgres -A trust --no-sync",
                "initdb");

            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await server.RunPgAsync(
                        $"{Quote(pgCtl)} -D {Quote(server._dataDir)} -o {Quote(server.ServerOptions())} " +
                        $"-l {Quote(server._logFile)} -w -t 60 start",
                        "pg_ctl start");
                    break;
                }
                catch (InvalidOperationException) when (attempt < StartAttempts && server.LostPortRace())
                {
                    // Another process took the port between probing and binding: try a new one.
                    server.UsePort(FindFreePort());
                }
            }

            AppDomain.CurrentDomain.ProcessExit += server.OnProcessExit;
            return server;
        }
        catch (Exception ex)
        {
            var log = server.ReadLog();
            await server.DisposeAsync();
            throw new InvalidOperationException(
                $"Could not start the test PostgreSQL server in {rootDir}: {ex.Message}\n" +
                $"--- server log ---\n{log}", ex);
        }
    }

    /// <summary>
    /// Creates an empty database and returns a pooled connection string for it.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException(
                "Database name must be lower-case letters, digits and underscores, starting with a letter or underscore.",
                nameof(name));
        }

        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // the name is checked against a strict pattern above and quoted
            command.CommandText = $"CREATE DATABASE \"{name}\"";
#pragma warning restore CA2100
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = name,
            MaxPoolSize = 100,
        }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        NpgsqlConnection.ClearAllPools();

        try
        {
            if (File.Exists(Path.Combine(_dataDir, "postmaster.pid")))
            {
                await RunPgAsync($"{Quote(_pgCtl)} -D {Quote(_dataDir)} -m immediate -w -t 30 stop", "pg_ctl stop");
            }
        }
        catch (InvalidOperationException)
        {
            // Best effort: the directory is removed below either way.
        }

        try
        {
            Directory.Delete(_rootDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string ServerOptions() => string.Create(CultureInfo.InvariantCulture,
        $"-p {Port} -k {_rootDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300");

    private void UsePort(int port)
    {
        Port = port;
        AdminConnectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Port = port }.ConnectionString;
    }

    private bool LostPortRace()
    {
        var log = ReadLog();
        return log.Contains("Address already in use", StringComparison.Ordinal)
            || log.Contains("could not bind", StringComparison.Ordinal);
    }

    private string ReadLog()
    {
        try
        {
            return File.Exists(_logFile) ? File.ReadAllText(_logFile) : "(no log file was written)";
        }
        catch (IOException ex)
        {
            return "(log unreadable: " + ex.Message + ")";
        }
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // The test host is going away without DisposeAsync: do not leave a postmaster behind.
        DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private Task<string> RunPgAsync(string commandLine, string what) =>
        _asPostgresUser
            ? RunAsync("su", [OsUser, "-c", commandLine], _rootDir, what)
            : RunAsync("/bin/sh", ["-c", commandLine], _rootDir, what);

    private static async Task<string> RunAsync(string fileName, IReadOnlyList<string> args, string workingDir, string what)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDir,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi)
            ?? throw new InvalidOperationException($"{what}: could not start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{what}: timed out after 2 minutes");
        }

        var output = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{what} failed with exit code {process.ExitCode}: {fileName} {string.Join(' ', args)}\n{output}");
        }

        return output;
    }

    private static async Task<bool> IsRootAsync()
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        if (string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            var uid = await RunAsync("id", ["-u"], Path.GetTempPath(), "id -u");
            return string.Equals(uid.Trim(), "0", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>A PostgreSQL program on PATH or in the newest /usr/lib/postgresql/*/bin.</summary>
    public static string FindBinary(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            // Prefer the newest installed major version.
            var found = Directory.GetDirectories(debianRoot)
                .Select(d => Path.Combine(d, "bin", name))
                .Where(File.Exists)
                .OrderByDescending(p => int.TryParse(
                    Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))),
                    NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault();
            if (found is not null)
            {
                return found;
            }
        }

        throw new InvalidOperationException(
            $"'{name}' was not found on PATH or under {debianRoot}/*/bin. Install PostgreSQL 15 server binaries.");
    }

    private static int FindFreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Single-quotes a word for /bin/sh.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatabaseName();
}
