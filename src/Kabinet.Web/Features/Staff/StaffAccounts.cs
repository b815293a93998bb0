using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Common;
using Kabinet.Web.Features.Auth;
using Microsoft.AspNetCore.Identity;

namespace Kabinet.Web.Features.Staff;

/// <summary>The back office roles (M22).</summary>
public enum StaffRole
{
    Administrator = 1,
    Manager = 2,
    Cashier = 3,
    Support = 4,
    Technician = 5,
}

/// <summary>The user type the password hasher is keyed by for staff.</summary>
public sealed class StaffCredential;

/// <summary>Creates staff accounts; every creation is written to the audit log in the same transaction.</summary>
public sealed class StaffAccounts(Database database, TimeProvider time, IPasswordHasher<StaffCredential> hasher)
{
    /// <summary>Creates a staff login with the given or a generated password and returns the password.</summary>
    public async Task<Result<string>> CreateAsync(string? login, string? role, string actor, string? password = null, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(login) || login.Length > 64 || !login.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            return new Error("staff.login_invalid", "login");
        }

        // Names only: Enum.TryParse would also take numbers and "administrator,manager" (OR-ed into another role).
        var roleName = Enum.GetNames<StaffRole>().FirstOrDefault(n => string.Equals(n, role?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (roleName is null)
        {
            return new Error("staff.role_invalid", "role");
        }

        var parsedRole = Enum.Parse<StaffRole>(roleName);
        password ??= PasswordGenerator.New(14);
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await Database.BeginWriteAsync(connection, ct);
        var id = await connection.ExecuteScalarAsync<long?>(
            """
            INSERT INTO staff (login, password_hash, role, is_disabled, created_at)
            VALUES (@login, @hash, @role, FALSE, @now)
            ON CONFLICT (login) DO NOTHING
            RETURNING id
            """,
            new { login = login.ToLowerInvariant(), hash = hasher.HashPassword(new StaffCredential(), password), role = (int)parsedRole, now },
            tx);
        if (id is null)
        {
            return new Error("staff.login_taken", "login");
        }

        await AuditLog.WriteAsync(connection, tx, now, actor, "staff.create", "staff:" + id, $"login={login.ToLowerInvariant()} role={parsedRole}", ct);
        await tx.CommitAsync(ct);
        return password;
    }
}
