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
    /// Demo mode: seeds an empty database with a demo provider and switches the built-in sandbox
    /// acquirer on. Only when asked for: a small provider runs the embedded SQLite default in
    /// production, where free test-card top-ups must never be accepted.
    /// </summary>
    public bool? Demo { get; set; }

    /// <summary>The operator's time zone: billing days and displayed times are in it.</summary>
    public string TimeZone { get; set; } = "Asia/Novosibirsk";

    /// <summary>
    /// The address the public reaches this Kabinet at (e.g. https://lk.example.ru/), from which every
    /// absolute link it hands out is built: the bank sends payers back to it. Unset: in demo mode the
    /// listening address; otherwise payments are refused and the gap is logged.
    /// </summary>
    public string? PublicUrl { get; set; }

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
        _ => throw new StartupRefusedException($"Kabinet:Database must be 'sqlite' or 'postgres', not '{Database}'."),
    };

    /// <summary>
    /// <see cref="PublicUrl"/> parsed, ending with a slash; null when unset. A value that is not an
    /// absolute http(s) address without query, fragment or credentials is refused at start.
    /// </summary>
    public Uri? PublicBase
    {
        get
        {
            if (string.IsNullOrWhiteSpace(PublicUrl))
            {
                return null;
            }

            if (!Uri.TryCreate(PublicUrl.Trim(), UriKind.Absolute, out var url)
                || url.Scheme is not ("http" or "https")
                || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
            {
                throw new StartupRefusedException(
                    $"Kabinet:PublicUrl must be an absolute http or https address without query, fragment or credentials (e.g. https://lk.example.ru/), not '{PublicUrl}'.");
            }

            return url.AbsolutePath.EndsWith('/') ? url : new Uri(url.GetLeftPart(UriPartial.Path) + "/");
        }
    }

    /// <summary>Whether demo mode is on (only when <c>Kabinet:Demo=true</c>, whatever the engine).</summary>
    public bool DemoEnabled => Demo == true;
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
