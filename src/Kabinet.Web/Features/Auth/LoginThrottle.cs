using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Web.Hosting;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Auth;

/// <summary>
/// Counts password attempts per bucket (a contract number, or a number on a known device) in the
/// database, so the count holds across instances and restarts. Each attempt is counted before the
/// password is checked, in one statement, so concurrent guesses cannot slip past the limit; a right
/// password gives its attempt back. The number is counted whether or not such a contract exists,
/// so the answers are the same for both.
/// </summary>
public sealed class LoginThrottle(Database database, TimeProvider time, IOptions<KabinetOptions> options)
{
    /// <summary>Counts an attempt; false when the bucket has used up its window's allowance.</summary>
    public async Task<bool> TryAttemptAsync(string bucket, CancellationToken ct)
    {
        var limits = options.Value.Login;
        var now = time.GetUtcNow();
        var stale = now.AddMinutes(-limits.FailureWindowMinutes);
        var attempts = await database.WriteAsync(
            c => c.ExecuteScalarAsync<int>(
                """
                INSERT INTO login_failures (bucket, window_start, failures) VALUES (@bucket, @now, 1)
                ON CONFLICT (bucket) DO UPDATE SET
                    failures = CASE WHEN login_failures.window_start <= @stale THEN 1 ELSE login_failures.failures + 1 END,
                    window_start = CASE WHEN login_failures.window_start <= @stale THEN @now ELSE login_failures.window_start END
                RETURNING failures
                """,
                new { bucket, now, stale }),
            ct);
        return attempts <= limits.FailuresPerContract;
    }

    /// <summary>Gives back the attempt of a right password: only failures use up the allowance.</summary>
    public Task ForgiveAsync(string bucket, CancellationToken ct) =>
        database.WriteAsync(c => c.ExecuteAsync("UPDATE login_failures SET failures = failures - 1 WHERE bucket = @bucket AND failures > 0", new { bucket }), ct);
}
