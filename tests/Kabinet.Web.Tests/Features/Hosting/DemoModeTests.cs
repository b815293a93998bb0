using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Kabinet.Web.Features.Demo;
using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kabinet.Web.Tests.Features.Hosting;

/// <summary>
/// Demo mode, and with it the sandbox acquirer that takes free test cards, only when asked for
/// (Kabinet:Demo=true), whatever the engine: a default start is a production start.
/// </summary>
public abstract class DemoModeTests
{
    protected abstract Task<KabinetFactory> CreateAsync(IDictionary<string, string?> settings);

    // Kabinet:Demo left out altogether, as in a default install.
    private static Dictionary<string, string?> Production(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Kabinet:Demo"] = null };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task A_start_without_demo_seeds_nothing_and_serves_no_sandbox_acquirer_and_no_ribbon()
    {
        using var app = await CreateAsync(Production());
        using var client = app.Browser();
        (await client.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);

        using (var database = app.OpenDatabase())
        {
            await using var connection = await database.OpenAsync();
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM contracts")).ShouldBe(0);
        }

        (await client.GetAsync("/sandbox-acquirer/pay/" + Guid.NewGuid().ToString("N"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/sandbox-acquirer/pay/x?step=3ds")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var create = new HttpRequestMessage(HttpMethod.Post, "/sandbox-acquirer/v3/payments") { Content = JsonContent.Create(new { amount = new { value = "1.00", currency = "RUB" } }) };
        create.Headers.Add("Idempotence-Key", "k1");
        (await client.SendAsync(create)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync("/sandbox-acquirer/v3/payments/x")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var login = await client.PageAsync("/login");
        login.ShouldNotContain("demo-ribbon");
        login.ShouldNotContain("Демо-режим");
    }

    [Theory]
    [InlineData("Kabinet:Gateway:Name", "sandbox")]
    [InlineData("Kabinet:Gateway:BaseUrl", "http://127.0.0.1:5000/sandbox-acquirer/v3/")]
    [InlineData("Kabinet:Sandbox:Enabled", "true")]
    public async Task A_start_without_demo_with_the_sandbox_as_gateway_fails_with_a_message(string key, string value)
    {
        using var app = await CreateAsync(Production((key, value), ("Kabinet:Gateway:ShopId", "100500"), ("Kabinet:Gateway:SecretKey", "test_sandbox_secret")));
        var failure = Should.Throw<Exception>(() => app.CreateClient());
        Messages(failure).ShouldContain("sandbox acquirer");
        Messages(failure).ShouldContain("Kabinet:Demo=true");
    }

    [Fact]
    public async Task A_start_without_demo_and_without_a_gateway_runs_and_refuses_card_top_ups_with_a_clear_message()
    {
        using var app = await CreateAsync(Production());
        // Subscribers as a migration from another billing would bring them.
        await app.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(CancellationToken.None);
        using var api = await app.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword, "en");
        var me = await api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        var account = me.GetProperty("accounts")[0].GetProperty("id").GetInt64();

        using var response = await api.PostAsJsonAsync($"/api/v1/accounts/{account.ToString(CultureInfo.InvariantCulture)}/payments", new { amount = "500.00", method = "bank_card", consent = true });
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().ShouldBe("payment.gateway_not_configured");
        problem.GetProperty("detail").GetString()!.ShouldContain("card payments");
        using var database = app.OpenDatabase();
        await using var connection = await database.OpenAsync();
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM payments")).ShouldBe(0);
    }

    [Fact]
    public async Task Demo_pages_carry_the_demo_ribbon_in_both_languages()
    {
        using var app = await CreateAsync(new Dictionary<string, string?>(StringComparer.Ordinal) { ["Kabinet:Demo"] = "true" });
        using var russian = app.Browser();
        var login = await russian.PageAsync("/login");
        login.ShouldContain("class=\"demo-ribbon\" role=\"note\"");
        login.ShouldContain("Демо-режим");
        using var english = await app.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword, "en");
        var dashboard = await english.PageAsync("/");
        dashboard.ShouldContain("class=\"demo-ribbon\"");
        dashboard.ShouldContain("Demo mode");
        // Before the header: the first thing a screen reader meets after the skip link.
        dashboard.IndexOf("demo-ribbon", StringComparison.Ordinal).ShouldBeLessThan(dashboard.IndexOf("<header", StringComparison.Ordinal));
    }

    internal static string Messages(Exception e)
    {
        var all = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            all.Add(x.Message);
            if (x is AggregateException aggregate)
            {
                all.AddRange(aggregate.InnerExceptions.Select(i => i.Message));
            }
        }

        return string.Join(" | ", all);
    }
}

public sealed class SqliteDemoModeTests : DemoModeTests
{
    protected override Task<KabinetFactory> CreateAsync(IDictionary<string, string?> settings) => Task.FromResult(KabinetFactory.Sqlite(settings));
}

[Collection("postgres")]
public sealed class PostgresDemoModeTests(PostgresFixture postgres) : DemoModeTests
{
    protected override Task<KabinetFactory> CreateAsync(IDictionary<string, string?> settings) => KabinetFactory.PostgresAsync(postgres, settings);
}
