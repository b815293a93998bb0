using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Common;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.Auth;

/// <summary>Who logged in: the contract, as the cabinet and the API both know it.</summary>
public sealed record ContractIdentity(long ContractId, string Number, string SecurityStamp);

/// <summary>
/// Checks a contract number and password for the cabinet page and the token endpoint alike.
/// A wrong password and an unknown contract get the same answer in the same time, so the
/// response never tells which half was wrong.
/// </summary>
public sealed class ContractLogin(
    Database database,
    TimeProvider time,
    IOptions<KabinetOptions> options,
    IPasswordHasher<ContractCredential> hasher,
    ILogger<ContractLogin> logger) : IDisposable
{
    private readonly LoginLimits _limits = options.Value.Login;
    private readonly PartitionedRateLimiter<string> _perContract = PartitionedRateLimiter.Create<string, string>(
        number => RateLimitPartition.GetSlidingWindowLimiter(number, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.Value.Login.PerContractPer5Minutes,
            Window = TimeSpan.FromMinutes(5),
            SegmentsPerWindow = 5,
            QueueLimit = 0,
        }));

    // Verified against when the contract does not exist, so that case costs a hash like the others.
    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(new ContractCredential(), Guid.NewGuid().ToString()));

    /// <summary>Checks the pair and returns the identity, or an error for the form or the API.</summary>
    public async Task<Result<ContractIdentity>> VerifyAsync(string? contract, string? password, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(contract))
        {
            return new Error("auth.contract_required", "contract");
        }

        if (!ContractNumber.TryParse(contract, out var number))
        {
            return new Error("auth.contract_format", "contract");
        }

        if (string.IsNullOrEmpty(password))
        {
            return new Error("auth.password_required", "password");
        }

        using var lease = _perContract.AttemptAcquire(number.Value);
        if (!lease.IsAcquired)
        {
            return new Error("auth.too_many_attempts");
        }

        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<CredentialRow>(
            "SELECT id AS Id, password_hash AS PasswordHash, security_stamp AS SecurityStamp, failed_logins AS FailedLogins, locked_until AS LockedUntil FROM contracts WHERE number = @number",
            new { number = number.Value });
        var now = time.GetUtcNow();
        if (row is null)
        {
            hasher.VerifyHashedPassword(new ContractCredential(), _decoyHash.Value, password);
            return new Error("auth.invalid_credentials");
        }

        if (row.LockedUntil is { } until && until > now)
        {
            hasher.VerifyHashedPassword(new ContractCredential(), _decoyHash.Value, password);
            return new Error("auth.too_many_attempts");
        }

        var verdict = hasher.VerifyHashedPassword(new ContractCredential(), row.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            await RecordFailureAsync(row, now, ct);
            return new Error("auth.invalid_credentials");
        }

        if (row.FailedLogins > 0 || verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var hash = verdict == PasswordVerificationResult.SuccessRehashNeeded
                ? hasher.HashPassword(new ContractCredential(), password)
                : row.PasswordHash;
            await connection.ExecuteAsync(
                "UPDATE contracts SET failed_logins = 0, locked_until = NULL, password_hash = @hash WHERE id = @id",
                new { id = row.Id, hash });
        }

        return new ContractIdentity(row.Id, number.Value, row.SecurityStamp);
    }

    private async Task RecordFailureAsync(CredentialRow row, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // One statement, so concurrent failures cannot lose a count.
        await connection.ExecuteAsync(
            """
            UPDATE contracts SET
                locked_until = CASE WHEN failed_logins + 1 >= @max THEN @until ELSE locked_until END,
                failed_logins = CASE WHEN failed_logins + 1 >= @max THEN 0 ELSE failed_logins + 1 END
            WHERE id = @id
            """,
            new { id = row.Id, max = _limits.FailuresBeforeLockout, until = now.AddMinutes(_limits.LockoutMinutes) });
        if (row.FailedLogins + 1 >= _limits.FailuresBeforeLockout)
        {
            logger.LogWarning("Contract {ContractId} locked for {Minutes} minutes after repeated wrong passwords", row.Id, _limits.LockoutMinutes);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _perContract.Dispose();

    private sealed class CredentialRow
    {
        public long Id { get; init; }

        public string PasswordHash { get; init; } = "";

        public string SecurityStamp { get; init; } = "";

        public int FailedLogins { get; init; }

        public DateTimeOffset? LockedUntil { get; init; }
    }
}

/// <summary>The user type the Identity password hasher is keyed by; hashing does not read it.</summary>
public sealed class ContractCredential;
