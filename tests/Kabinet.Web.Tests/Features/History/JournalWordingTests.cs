using System.Globalization;
using System.Text;
using Kabinet.Web.Features.Shared;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.History;

/// <summary>Journal descriptions, stored in Russian, read in English by the English interface.</summary>
public sealed class JournalWordingTranslationTests
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal) { ["Домашний 100"] = "Home 100", ["Турбо"] = "Turbo" };

    [Theory]
    [InlineData("«Домашний 100» за 22.11.2026", "«Home 100» for 2026-11-22")]
    [InlineData("«Турбо»", "«Turbo»")]
    [InlineData("«Тариф, которого нет» за 01.12.2026", "«Тариф, которого нет» for 2026-12-01")]
    [InlineData("Добровольная блокировка за 03.01.2027", "Voluntary freeze for 2027-01-03")]
    [InlineData("Обещанный платёж до 05.12.2026", "Promised payment due 2026-12-05")]
    [InlineData("Оплата банковской картой", "Card payment")]
    [InlineData("Оплата СБП", "SBP payment")]
    [InlineData("Оплата в кассе", "Cash desk payment")]
    [InlineData("Оплата", "Payment")]
    [InlineData("Абонентская плата за 21.11.2026", "Subscription fee for 2026-11-21")]
    [InlineData("Возврат оплаты банковской картой", "Card payment refund")]
    [InlineData("Погашение обещанного платежа", "Promised payment repaid")]
    [InlineData("Списание непогашенного обещанного платежа", "Unpaid promised payment withdrawn")]
    [InlineData("Перенос остатка из старой системы", "Перенос остатка из старой системы")]
    public void A_stored_description_reads_in_English(string stored, string english) =>
        JournalWording.ToEnglish(stored, Names, day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ShouldBe(english);
}

/// <summary>The same through the pages and the CSV, against the demo journal.</summary>
public abstract class JournalWordingPageTests(KabinetFactory factory)
{
    [Fact]
    public async Task The_english_dashboard_history_and_csv_show_the_operations_in_english_and_the_russian_ones_as_stored()
    {
        using var english = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword, "en");
        using var russian = await factory.LoggedInBrowserAsync(Cabinet.DemoContract, Cabinet.DemoPassword, "ru");

        foreach (var page in new[] { "/", "/history" })
        {
            var en = await english.GetStringAsync(page);
            // Charges name the tariff or service in English, for a day; no Russian phrase is left.
            en.ShouldContain("» for ", Case.Sensitive, page);
            en.ShouldNotContain("» за ", Case.Sensitive, page);
            en.ShouldNotContain("Оплата в кассе", Case.Sensitive, page);
            (await russian.GetStringAsync(page)).ShouldContain("» за ", Case.Sensitive, page);
        }

        var csv = Encoding.UTF8.GetString(await english.GetByteArrayAsync("/history/statement.csv"));
        csv.ShouldContain("» for ");
        csv.ShouldNotContain("» за ");
        // The API speaks the language it is asked in too.
        var account = (await factory.AccountsOfAsync(Cabinet.DemoContract))[0].Id;
        using var api = await factory.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword, "en");
        var operations = await api.GetStringAsync($"/api/v1/accounts/{account}/operations");
        operations.ShouldContain("» for ");
        operations.ShouldNotContain("» за ");
        using var russianApi = await factory.ApiClientAsync(Cabinet.DemoContract, Cabinet.DemoPassword, "ru");
        (await russianApi.GetStringAsync($"/api/v1/accounts/{account}/operations")).ShouldContain("» за ");
    }
}

public sealed class SqliteJournalWordingPageTests(SqliteApp app) : JournalWordingPageTests(app.Factory), IClassFixture<SqliteApp>;

[Collection("postgres")]
public sealed class PostgresJournalWordingPageTests(PostgresApp app) : JournalWordingPageTests(app.Factory), IClassFixture<PostgresApp>;
