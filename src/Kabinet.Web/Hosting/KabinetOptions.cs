using Kabinet.Data.Connections;

namespace Kabinet.Web.Hosting;

/// <summary>The <c>Kabinet</c> configuration section.</summary>
public sealed class KabinetOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Kabinet";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Database { get; set; } = "sqlite";

    /// <summary>
    /// Seed an empty database with a demo provider at start. Unset means "on for SQLite, off for
    /// PostgreSQL": the embedded start is for trying Kabinet out, a PostgreSQL start is production.
    /// </summary>
    public bool? Demo { get; set; }

    /// <summary>The operator's time zone: billing days and displayed times are in it.</summary>
    public string TimeZone { get; set; } = "Asia/Novosibirsk";

    /// <summary>How long a cabinet login and an API token last, counted from the login however active the session is.</summary>
    public int SessionHours { get; set; } = 12;

    /// <summary>The billing job.</summary>
    public BillingOptions Billing { get; set; } = new();

    /// <summary>Login throttles.</summary>
    public LoginLimits Login { get; set; } = new();

    /// <summary>The parsed engine.</summary>
    public DatabaseKind DatabaseKind => Database.Trim().ToUpperInvariant() switch
    {
        "SQLITE" => DatabaseKind.Sqlite,
        "POSTGRES" or "POSTGRESQL" => DatabaseKind.Postgres,
        _ => throw new InvalidOperationException($"Kabinet:Database must be 'sqlite' or 'postgres', not '{Database}'."),
    };

    /// <summary>Whether demo seeding is on.</summary>
    public bool DemoEnabled => Demo ?? DatabaseKind == DatabaseKind.Sqlite;
}

/// <summary>Limits on password guessing.</summary>
public sealed class LoginLimits
{
    /// <summary>Login attempts one client address (an IPv6 /64) may make per minute.</summary>
    public int PerIpPerMinute { get; set; } = 30;

    /// <summary>
    /// Password attempts against one contract number per <see cref="FailureWindowMinutes"/> from
    /// devices that have not logged into it before (a device that has gets an allowance of the same
    /// size of its own). Counted whether the contract exists or not; a right password gives its
    /// attempt back. Keep FailuresPerContract * 60 / FailureWindowMinutes at or below 100 (ASVS 2.2.1).
    /// </summary>
    public int FailuresPerContract { get; set; } = 10;

    /// <summary>The window of <see cref="FailuresPerContract"/>.</summary>
    public int FailureWindowMinutes { get; set; } = 15;

    /// <summary>How long a device stays known after its last successful login.</summary>
    public int KnownDeviceDays { get; set; } = 180;
}

/// <summary>The billing job's schedule.</summary>
public sealed class BillingOptions
{
    /// <summary>Whether this instance runs the billing job (any number may; one charges).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the job checks for an unbilled day.</summary>
    public int IntervalMinutes { get; set; } = 5;
}
