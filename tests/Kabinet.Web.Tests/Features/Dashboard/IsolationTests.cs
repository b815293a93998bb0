using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Dashboard;

/// <summary>A subscriber sees only their own contract: another contract's account does not exist for them.</summary>
public abstract class IsolationTests(KabinetFactory factory) : IAsyncLifetime
{
    private const string OtherContract = "100000000002";
    private const string OtherPassword = "other-password-2";

    public Task InitializeAsync() => factory.SetPasswordAsync(OtherContract, OtherPassword);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Token_for_another_contracts_account_is_404_not_403()
    {
        var theirs = (await factory.AccountsOfAsync(OtherContract))[0];
        using var owner = await factory.ApiClientAsync(OtherContract, OtherPassword);
        using var ownerView = await owner.GetAsync($"/api/v1/accounts/{theirs.Id}");
        ownerView.StatusCode.ShouldBe(HttpStatusCode.OK, "the account is real: its owner reads it");

        using var client = await factory.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        using var response = await client.GetAsync($"/api/v1/accounts/{theirs.Id}");
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        using var missing = await client.GetAsync("/api/v1/accounts/987654321");
        var missingProblem = await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.Detail().ShouldBe(missingProblem.Detail(), "someone else's account looks exactly like no account");
        (await response.Content.ReadAsStringAsync()).ShouldNotContain(theirs.Number);
    }

    [Fact]
    public async Task Me_lists_only_the_callers_accounts()
    {
        var mine = await factory.AccountsOfAsync(Cabinet.DemoContract);
        var theirs = await factory.AccountsOfAsync(OtherContract);
        using var client = await factory.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword);

        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");
        me.GetProperty("contract").GetString().ShouldBe(Cabinet.DemoContract);
        var ids = me.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).ToList();
        ids.ShouldBe(mine.Select(a => a.Id).ToList());
        ids.ShouldNotContain(id => theirs.Any(t => t.Id == id));

        using var other = await factory.ApiClientAsync(OtherContract, OtherPassword);
        var otherMe = await other.GetFromJsonAsync<JsonElement>("/api/v1/me");
        otherMe.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("id").GetInt64())
            .ShouldBe(theirs.Select(a => a.Id).ToList());
    }

    [Fact]
    public async Task Own_account_reads_with_money_as_strings_of_two_decimals()
    {
        var mine = (await factory.AccountsOfAsync(Cabinet.DemoContract))[0];
        using var client = await factory.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword);

        using var response = await client.GetAsync($"/api/v1/accounts/{mine.Id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var account = await response.Content.ReadFromJsonAsync<JsonElement>();
        account.GetProperty("number").GetString().ShouldBe(mine.Number);
        account.GetProperty("balance").GetString()!.ShouldMatch(@"^-?\d+\.\d{2}$");
        account.GetProperty("tariff").GetProperty("monthly_fee").GetString()!.ShouldMatch(@"^\d+\.\d{2}$");
        account.GetProperty("status").GetString().ShouldBe("active");
        var operations = account.GetProperty("last_operations");
        operations.GetArrayLength().ShouldBeInRange(1, 5);
        operations[0].GetProperty("amount").GetString()!.ShouldMatch(@"^-?\d+\.\d{2}$");
    }

    [Fact]
    public async Task Cookie_for_another_contracts_account_shows_the_subscribers_own_first_account()
    {
        var mine = await factory.AccountsOfAsync(Cabinet.DemoContract);
        var theirs = (await factory.AccountsOfAsync(OtherContract))[0];
        using var client = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);

        var html = await client.PageAsync($"/?account={theirs.Id}");
        html.ShouldContain("Договор №" + Cabinet.DemoContract);
        html.ShouldContain($"Счёт {mine[0].Number}");
        html.ShouldNotContain(OtherContract);
        html.ShouldNotContain(theirs.Number);
    }

    [Fact]
    public async Task Cookie_of_one_contract_and_cookie_of_another_see_different_dashboards()
    {
        using var mine = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword);
        using var theirs = await factory.LoggedInBrowserAsync(OtherContract, OtherPassword);

        var myPage = await mine.PageAsync("/");
        var theirPage = await theirs.PageAsync("/");
        myPage.ShouldNotContain(OtherContract);
        theirPage.ShouldContain("Договор №" + OtherContract);
        theirPage.ShouldNotContain(Cabinet.DemoContract);
    }
}

public sealed class SqliteIsolationTests(SqliteApp app) : IsolationTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresIsolationTests(PostgresApp app) : IsolationTests(app.Factory), IClassFixture<PostgresApp>;
