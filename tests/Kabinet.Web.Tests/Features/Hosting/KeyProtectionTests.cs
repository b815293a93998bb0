using System.Net;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Data.Migrations;
using Kabinet.Web.Cli;
using Kabinet.Web.Features.Network;
using Kabinet.Web.Hosting;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Kabinet.Web.Tests.Features.Hosting;

/// <summary>
/// The data-protection keys (cookies, API tokens, PPPoE passwords) are stored in app_keys encrypted
/// with the operator's certificate, never as plain XML.
/// </summary>
public abstract class KeyProtectionTests
{
    protected abstract Task<KabinetFactory> CreateAsync(IDictionary<string, string?> settings);

    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    [Fact]
    public async Task Every_stored_key_is_encrypted_and_a_login_and_a_PPPoE_password_survive_a_restart_with_the_same_certificate()
    {
        using var first = await CreateAsync(Settings());
        using var browser = first.Browser();
        using var login = await browser.LogInAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kabinet=", StringComparison.Ordinal)).Split(';')[0];

        var keys = await KeysAsync(first);
        keys.ShouldNotBeEmpty();
        foreach (var xml in keys)
        {
            xml.ShouldContain("encryptedSecret");
            xml.ShouldNotContain("<masterKey");
            xml.ShouldNotContain("unencrypted form");
        }

        using var second = first.Restarted();
        using var client = second.Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie);
        using var dashboard = await client.SendAsync(request);
        dashboard.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var database = second.OpenDatabase();
        await using var connection = await database.OpenAsync();
        var stored = await connection.QueryFirstAsync<string>("SELECT password_protected FROM access_points WHERE password_protected IS NOT NULL");
        second.Services.GetRequiredService<NetworkSecrets>().Unprotect(stored).ShouldBe("pppoe-demo");
    }

    [Fact]
    public async Task Keys_stored_unencrypted_by_an_older_Kabinet_are_encrypted_at_start_and_what_they_protected_still_reads()
    {
        using var app = await CreateAsync(Settings(("Kabinet:Demo", "false")));
        // What Kabinet did before: the same repository, no key encryption.
        using var old = app.OpenDatabase();
        await new Migrator(old).MigrateAsync();
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("Kabinet");
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new DatabaseKeyRepository(old));
        string secret;
        await using (var provider = services.BuildServiceProvider())
        {
            secret = provider.GetRequiredService<IDataProtectionProvider>().CreateProtector("Kabinet.Tests").Protect("старый секрет");
        }

        (await KeysAsync(app)).ShouldAllBe(xml => xml.Contains("<masterKey", StringComparison.Ordinal));

        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Kabinet.Tests").Unprotect(secret).ShouldBe("старый секрет");
        var keys = await KeysAsync(app);
        keys.Count.ShouldBe(1);
        keys[0].ShouldContain("encryptedSecret");
        keys[0].ShouldNotContain("<masterKey");

        using var restarted = app.Restarted();
        restarted.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Kabinet.Tests").Unprotect(secret).ShouldBe("старый секрет");
    }

    [Fact]
    public async Task A_start_with_another_certificate_refuses_the_keys_with_a_message_instead_of_making_new_ones()
    {
        using var first = await CreateAsync(Settings());
        using (first.CreateClient())
        {
            (await KeysAsync(first)).ShouldNotBeEmpty();
        }

        using var other = first.Restarted(Settings(("Kabinet:DataProtection:CertificatePath", TestCertificate.Other())));
        var failure = Should.Throw<Exception>(() => other.CreateClient());
        DemoModeTests.Messages(failure).ShouldContain("is encrypted with the certificate");
        (await KeysAsync(first)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_production_start_without_a_certificate_refuses_with_a_message_that_says_how_to_make_one()
    {
        using var app = await CreateAsync(Settings(("Kabinet:Demo", "false"), ("Kabinet:DataProtection:CertificatePath", null)));
        var failure = Should.Throw<Exception>(() => app.CreateClient());
        DemoModeTests.Messages(failure).ShouldContain("Kabinet:DataProtection:CertificatePath is not set");
        DemoModeTests.Messages(failure).ShouldContain("keys-certificate --out");
    }

    private static async Task<List<string>> KeysAsync(KabinetFactory app)
    {
        using var database = app.OpenDatabase();
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>("SELECT xml FROM app_keys ORDER BY id")).ToList();
    }
}

public sealed class SqliteKeyProtectionTests : KeyProtectionTests
{
    protected override Task<KabinetFactory> CreateAsync(IDictionary<string, string?> settings) => Task.FromResult(KabinetFactory.Sqlite(settings));

    [Fact]
    public async Task Demo_mode_without_a_certificate_makes_one_beside_the_SQLite_file_readable_by_its_owner_only()
    {
        using var app = KabinetFactory.Sqlite(new Dictionary<string, string?>(StringComparer.Ordinal) { ["Kabinet:DataProtection:CertificatePath"] = null });
        using (app.CreateClient())
        {
            var file = Path.ChangeExtension(app.ConnectionString["Data Source=".Length..], null) + ".keys.pfx";
            File.Exists(file).ShouldBeTrue();
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            using var database = app.OpenDatabase();
            await using var connection = await database.OpenAsync();
            (await connection.QueryAsync<string>("SELECT xml FROM app_keys")).ShouldAllBe(xml => xml.Contains("encryptedSecret", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_keys_certificate_command_writes_a_certificate_once_readable_by_its_owner_only()
    {
        var path = Path.Combine(Path.GetTempPath(), "kabinet-tests", Guid.NewGuid().ToString("N"), "keys.pfx");
        (await Verbs.RunAsync("keys-certificate", ["--out", path])).ShouldBe(0);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var written = await File.ReadAllBytesAsync(path);
        (await Verbs.RunAsync("keys-certificate", ["--out", path])).ShouldBe(2);
        (await File.ReadAllBytesAsync(path)).ShouldBe(written);
        (await Verbs.RunAsync("keys-certificate", [])).ShouldBe(2);
    }
}

[Collection("postgres")]
public sealed class PostgresKeyProtectionTests(PostgresFixture postgres) : KeyProtectionTests
{
    protected override Task<KabinetFactory> CreateAsync(IDictionary<string, string?> settings) => KabinetFactory.PostgresAsync(postgres, settings);
}
