namespace Kabinet.Web.Integrations.Sandbox;

/// <summary>
/// The built-in sandbox acquirer (<c>Kabinet:Sandbox</c>): on in demo mode only, it speaks the YooKassa v3
/// protocol at /sandbox-acquirer/v3/ and shows a hosted card page. Its notification behaviour can be
/// set so tests and demos see what a real acquirer does on a bad day.
/// </summary>
public sealed class SandboxOptions
{
    /// <summary>
    /// Whether the sandbox endpoints exist. Unset: on exactly in demo mode; false switches it off in
    /// demo mode; true outside demo mode stops the start (it takes free test cards).
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// The sandbox's own SQLite file; empty: beside Kabinet's SQLite file, or in the temp directory
    /// when Kabinet runs on PostgreSQL (see <see cref="SandboxDatabase"/>).
    /// </summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>Where notifications go; empty means this Kabinet's own notification endpoint.</summary>
    public string NotificationUrl { get; set; } = "";

    /// <summary>How long after a status change the notification is sent.</summary>
    public int NotificationDelayMs { get; set; }

    /// <summary>How many copies of each notification are sent (a real acquirer repeats them).</summary>
    public int NotificationCopies { get; set; } = 1;

    /// <summary>Also send a stale "pending" notification after the final one.</summary>
    public bool OutOfOrder { get; set; }

    /// <summary>Send no notifications at all (the reconciliation job must find the result).</summary>
    public bool FailNotifications { get; set; }
}
