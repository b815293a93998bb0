using System.Net.Http.Json;
using System.Text.Json;
using Kabinet.Domain.Catalog;
using Kabinet.Web.Tests.Features.Billing;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Dashboard;

/// <summary>
/// The forecast (M5) as the subscriber gets it from <c>GET /api/v1/me</c> and reads it on the
/// dashboard, for an account whose charges are known to the kopeck.
/// </summary>
public abstract class ForecastApiTests(PostgresFixture? postgres)
{
    private const string Password = "forecast-test-1";

    // 10 March 2027, noon in Novosibirsk: today's charge is in the balance; 31 days in March.
    private static readonly DateTimeOffset Noon = new(2027, 3, 10, 12, 0, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task Me_tells_how_long_the_money_lasts_the_next_charge_the_block_day_and_what_to_pay()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        bed.Factory.Clock.Set(Noon);
        // 3,100.00 a month charged daily: 100.00 a day in March. 1,050.00 lasts 10 days (11–20 March).
        var account = await bed.AccountAsync(await bed.TariffAsync(3_100_00, ChargeMode.Daily), new DateOnly(2027, 1, 1), 1_050_00);

        var forecast = await ForecastAsync(bed, account, "777000000001");

        forecast.GetProperty("next_charge_on").GetString().ShouldBe("2027-03-11");
        forecast.GetProperty("next_charge_amount").GetString().ShouldBe("100.00");
        forecast.GetProperty("enough_until").GetString().ShouldBe("2027-03-20");
        forecast.GetProperty("days_left").GetInt32().ShouldBe(10);
        forecast.GetProperty("block_on").GetString().ShouldBe("2027-03-21");
        // To the end of April: 21 days of March (2,100.00) and April's 3,100.00, less the 1,050.00 there.
        forecast.GetProperty("recommended_payment").GetString().ShouldBe("4150.00");

        using var browser = await bed.Factory.LoggedInBrowserAsync("777000000001", Password);
        (await browser.GetStringAsync("/")).ShouldContain("Денег хватит на 10 дн., до 20.03.2027 включительно.");
    }

    [Fact]
    public async Task A_balance_that_outlasts_the_horizon_has_no_block_day_and_the_dashboard_says_more_than_a_year()
    {
        await using var bed = await BillingBed.CreateAsync(postgres);
        bed.Factory.Clock.Set(Noon);
        var account = await bed.AccountAsync(await bed.TariffAsync(3_100_00, ChargeMode.Daily), new DateOnly(2027, 1, 1), 1_000_000_00);

        var forecast = await ForecastAsync(bed, account, "777000000002");

        forecast.GetProperty("next_charge_on").GetString().ShouldBe("2027-03-11");
        forecast.GetProperty("block_on").ValueKind.ShouldBe(JsonValueKind.Null);
        forecast.GetProperty("days_left").ValueKind.ShouldBe(JsonValueKind.Null);
        forecast.GetProperty("recommended_payment").GetString().ShouldBe("0.00");

        using var browser = await bed.Factory.LoggedInBrowserAsync("777000000002", Password);
        var page = await browser.GetStringAsync("/");
        page.ShouldContain("Денег хватит больше чем на год.");
        page.ShouldNotContain("Списаний не запланировано.");
    }

    private static async Task<JsonElement> ForecastAsync(BillingBed bed, TestAccount account, string contract)
    {
        await bed.ExecuteAsync(
            "UPDATE contracts SET number = @contract WHERE id = (SELECT contract_id FROM accounts WHERE id = @id)", new { contract, id = account.Id });
        await bed.Factory.SetPasswordAsync(contract, Password);
        using var api = await bed.Factory.ApiClientAsync(contract, Password);
        var me = await api.GetFromJsonAsync<JsonElement>("/api/v1/me");
        var mine = me.GetProperty("accounts").EnumerateArray().Single();
        mine.GetProperty("id").GetInt64().ShouldBe(account.Id);
        return mine.GetProperty("forecast");
    }
}

public sealed class SqliteForecastApiTests() : ForecastApiTests(null);

[Collection("postgres")]
public sealed class PostgresForecastApiTests(PostgresFixture postgres) : ForecastApiTests(postgres);
