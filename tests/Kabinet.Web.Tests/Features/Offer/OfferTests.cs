using System.Text.RegularExpressions;
using Kabinet.Web.Features.Shared;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Offer;

/// <summary>The public offer the consent checkbox links: open without login, the provider's details from configuration.</summary>
public sealed partial class OfferTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private readonly KabinetFactory _factory = app.Factory;

    [Fact]
    public async Task The_offer_is_open_without_login_with_the_providers_details_and_the_terms()
    {
        var provider = new ProviderOptions();
        using var anonymous = _factory.Browser();

        var html = await anonymous.PageAsync("/offer");

        html.ShouldContain("<h1 class=\"doc-title\" id=\"offer-title\">Публичная оферта</h1>");
        html.ShouldContain(provider.Name);
        html.ShouldContain(provider.Inn);
        html.ShouldContain(provider.Ogrn);
        html.ShouldContain(provider.BankAccount);
        html.ShouldContain(provider.Bik);
        html.ShouldContain("54-ФЗ");
        html.ShouldContain("Автоплатёж");
        html.ShouldContain("от 10,00\u00A0₽ до 15\u00A0000,00\u00A0₽");
        html.ShouldNotContain("{name}");
    }

    [Fact]
    public async Task The_offer_speaks_english_when_asked()
    {
        using var english = _factory.Browser("en");

        var html = await english.PageAsync("/offer");

        html.ShouldContain("<html lang=\"en\">");
        html.ShouldContain("Public offer");
        html.ShouldContain("54-FZ");
        html.ShouldContain("Refunds");
    }

    [Fact]
    public async Task The_cabinet_and_the_public_payment_forms_link_the_built_in_offer()
    {
        await _factory.SetPasswordAsync("100000000002", "offer-test-1");
        using var browser = await _factory.LoggedInBrowserAsync("100000000002", "offer-test-1");
        using var anonymous = _factory.Browser();

        var topUp = await browser.PageAsync("/pay");
        using var found = await anonymous.PostFormAsync(
            "/pay-without-login?handler=Contract", await anonymous.AntiforgeryTokenAsync("/pay-without-login"), ("contract", "100000000002"));
        var publicPay = await found.ReadHtmlAsync();

        OfferHref(topUp).ShouldBe("/offer");
        OfferHref(publicPay).ShouldBe("/offer");
        topUp.ShouldContain("Я принимаю условия <a href=\"/offer\" data-testid=\"offer-link\">публичной оферты</a>");
    }

    [Fact]
    public async Task An_operators_own_document_replaces_the_link_and_the_details_follow_the_configuration()
    {
        using var factory = KabinetFactory.Sqlite(new Dictionary<string, string?>
        {
            ["Kabinet:Payments:OfferUrl"] = "https://isp.example/docs/offer.pdf",
            ["Kabinet:Provider:Name"] = "ООО «Тестовая связь»",
            ["Kabinet:Provider:Inn"] = "7701000001",
        });
        await factory.SetPasswordAsync("100000000002", "offer-test-1");
        using var browser = await factory.LoggedInBrowserAsync("100000000002", "offer-test-1");

        OfferHref(await browser.PageAsync("/pay")).ShouldBe("https://isp.example/docs/offer.pdf");
        var offer = await browser.PageAsync("/offer");
        offer.ShouldContain("ООО «Тестовая связь»");
        offer.ShouldContain("7701000001");
    }

    [Theory]
    [InlineData("", "/offer")]
    [InlineData("/docs/offer", "/docs/offer")]
    [InlineData("https://isp.example/offer", "https://isp.example/offer")]
    [InlineData("//evil.example/offer", "/offer")]
    [InlineData("javascript:alert(1)", "/offer")]
    [InlineData("offer.pdf", "/offer")]
    public void Only_a_local_path_or_an_http_address_is_linked(string configured, string linked) =>
        Kabinet.Web.Features.Offer.OfferLink.Url(new Kabinet.Web.Features.Payments.PaymentOptions { OfferUrl = configured }).ShouldBe(linked);

    private static string OfferHref(string html)
    {
        var match = OfferLinkPattern().Match(html);
        match.Success.ShouldBeTrue("the form has no offer link");
        return match.Groups["href"].Value;
    }

    [GeneratedRegex("<a href=\"(?<href>[^\"]*)\" data-testid=\"offer-link\">")]
    private static partial Regex OfferLinkPattern();
}
