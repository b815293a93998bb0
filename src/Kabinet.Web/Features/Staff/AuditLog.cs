using System.Data.Common;
using Dapper;

namespace Kabinet.Web.Features.Staff;

/// <summary>Every staff change leaves a row in audit_log, in the same transaction as the change.</summary>
public static class AuditLog
{
    /// <summary>Records who did what to which subject, and the details.</summary>
    public static Task<int> WriteAsync(
        DbConnection connection, DbTransaction tx, DateTimeOffset at, string actor, string action, string subject, string details, CancellationToken ct = default) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO audit_log (at, actor, action, subject, details) VALUES (@at, @actor, @action, @subject, @details)",
            new { at, actor, action, subject, details }, tx, cancellationToken: ct));
}
