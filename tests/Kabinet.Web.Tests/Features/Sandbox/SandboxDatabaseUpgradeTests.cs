using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Web.Integrations.Sandbox;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Tests.Features.Sandbox;

/// <summary>A sandbox file made before the 3-D Secure, capture and recurring-decline columns gets them, its payments kept.</summary>
public sealed class SandboxDatabaseUpgradeTests
{
    [Fact]
    public async Task An_older_sandbox_file_gets_the_new_columns_and_keeps_its_payments()
    {
        var path = Path.Combine(Path.GetTempPath(), "kabinet-tests", "sandbox-upgrade-" + Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var old = new Database(DatabaseKind.Sqlite, "Data Source=" + path))
        {
            await using var connection = await old.OpenAsync();
            await connection.ExecuteAsync(
                """
                CREATE TABLE sandbox_payments (
                    id TEXT PRIMARY KEY, shop_id TEXT NOT NULL, idempotence_key TEXT NOT NULL, amount INTEGER NOT NULL, status TEXT NOT NULL,
                    paid BOOLEAN NOT NULL DEFAULT FALSE, capture BOOLEAN NOT NULL DEFAULT TRUE, description TEXT NOT NULL DEFAULT '',
                    metadata TEXT NOT NULL DEFAULT '{}', receipt TEXT, return_url TEXT, method_type TEXT NOT NULL, save_method BOOLEAN NOT NULL DEFAULT FALSE,
                    method_id TEXT, card_last4 TEXT, cancel_reason TEXT, refunded INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
                    UNIQUE (shop_id, idempotence_key));
                INSERT INTO sandbox_payments (id, shop_id, idempotence_key, amount, status, method_type, created_at)
                VALUES ('sbx_old', '100500', 'k1', 10000, 'pending', 'bank_card', '2026-01-01T00:00:00+00:00');
                """);
        }

        using var kabinet = new Database(DatabaseKind.Sqlite, "Data Source=" + path + ".kabinet");
        using var sandbox = new SandboxDatabase(kabinet, Options.Create(new SandboxOptions { DatabasePath = path }));
        var store = new SandboxStore(sandbox);

        var payment = await store.FindAsync("sbx_old");

        payment.ShouldNotBeNull();
        payment.Awaiting3ds.ShouldBeFalse();
        (await store.AwaitThreeDsAsync("sbx_old", "3220")).ShouldBeTrue();
        (await store.FindAsync("sbx_old"))!.Awaiting3ds.ShouldBeTrue();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(path);
    }
}
