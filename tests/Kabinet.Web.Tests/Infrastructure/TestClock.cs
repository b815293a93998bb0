namespace Kabinet.Web.Tests.Infrastructure;

/// <summary>A clock the test sets: the app's TimeProvider in every KabinetFactory.</summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now;

    public TestClock(DateTimeOffset start) => _now = start;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Sets the current instant.</summary>
    public void Set(DateTimeOffset now) => _now = now;

    /// <summary>Moves time forward.</summary>
    public void Advance(TimeSpan by) => _now += by;
}
