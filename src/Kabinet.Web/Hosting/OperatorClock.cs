namespace Kabinet.Web.Hosting;

/// <summary>The operator's time zone over the injected clock: what day and time it is for billing.</summary>
public sealed class OperatorClock(TimeProvider time, TimeZoneInfo zone)
{
    /// <summary>The operator's zone.</summary>
    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>Now, as an instant.</summary>
    public DateTimeOffset UtcNow => time.GetUtcNow();

    /// <summary>An instant as the operator's local time.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>Today in the operator's zone.</summary>
    public DateOnly Today => DateOnly.FromDateTime(ToLocal(UtcNow).DateTime);
}
