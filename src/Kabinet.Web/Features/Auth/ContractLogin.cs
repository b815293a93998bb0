using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Common;
using Kabinet.Domain.Subscribers;
using Microsoft.AspNetCore.Identity;

namespace Kabinet.Web.Features.Auth;

/// <summary>Who logged in: the contract, as the cabinet and the API both know it.</summary>
public sealed record ContractIdentity(long ContractId, string Number, string SecurityStamp);

/// <summary>
/// Checks a contract number and password for the cabinet page and the token endpoint alike.
/// A wrong password and an unknown contract get the same answer in the same time, and so do the
/// attempts refused for being too many (counted per number as typed, see <see cref="LoginThrottle"/>),
/// so the response never tells which half was wrong nor which contracts exist.
/// </summary>
public sealed class ContractLogin(
    Database database,
    LoginThrottle throttle,
    IPasswordHasher<ContractCredential> hasher)
{
    // Verified against when the contract does not exist, so that case costs a hash like the others.
    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(new ContractCredential(), Guid.NewGuid().ToString()));

    /// <summary>
    /// Checks the pair and returns the identity, or an error for the form or the API. A device that
    /// has logged into this contract before draws on an allowance of its own, which strangers'
    /// guesses do not use up.
    /// </summary>
    public async Task<Result<ContractIdentity>> VerifyAsync(string? contract, string? password, KnownDevice? device, CancellationToken ct)
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

        var bucket = device is not null && device.Knows(number.Value) ? number.Value + "/" + device.Id : number.Value;
        if (!await throttle.TryAttemptAsync(bucket, ct))
        {
            return new Error("auth.too_many_attempts");
        }

        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<CredentialRow>(
            "SELECT id AS Id, password_hash AS PasswordHash, security_stamp AS SecurityStamp FROM contracts WHERE number = @number",
            new { number = number.Value });
        if (row is null)
        {
            hasher.VerifyHashedPassword(new ContractCredential(), _decoyHash.Value, password);
            return new Error("auth.invalid_credentials");
        }

        var verdict = hasher.VerifyHashedPassword(new ContractCredential(), row.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            return new Error("auth.invalid_credentials");
        }

        await throttle.ForgiveAsync(bucket, ct);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var hash = hasher.HashPassword(new ContractCredential(), password);
            await database.WriteAsync(c => c.ExecuteAsync("UPDATE contracts SET password_hash = @hash WHERE id = @id", new { id = row.Id, hash }), ct);
        }

        return new ContractIdentity(row.Id, number.Value, row.SecurityStamp);
    }

    private sealed class CredentialRow
    {
        public long Id { get; init; }

        public string PasswordHash { get; init; } = "";

        public string SecurityStamp { get; init; } = "";
    }
}

/// <summary>The user type the Identity password hasher is keyed by; hashing does not read it.</summary>
public sealed class ContractCredential;
