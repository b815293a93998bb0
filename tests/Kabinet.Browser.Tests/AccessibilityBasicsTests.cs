using Kabinet.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Kabinet.Browser.Tests;

/// <summary>Keyboard and labelling basics: skip link, tab order, visible focus, a label on every field.</summary>
[Collection(SharedBrowser.Name)]
public sealed class AccessibilityBasicsTests(BrowserFixture browser, LiveApp app) : IClassFixture<LiveApp>
{
    private const string DescribeFocus = """
        () => {
          const e = document.activeElement;
          if (!e || e === document.body) return "body";
          return e.id ? "#" + e.id : e.tagName.toLowerCase() + (e.className ? "." + e.className.split(" ")[0] : "");
        }
        """;

    [Fact]
    public async Task Tab_from_the_top_reaches_the_skip_link_first_then_the_login_fields_and_button_in_order()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await FocusFromTheTopAsync(page);

        var order = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>(DescribeFocus));
        }

        order[0].ShouldBe("a.skip", $"tab order: {string.Join(", ", order)}");
        var contract = order.IndexOf("#contract");
        var password = order.IndexOf("#password");
        var show = order.IndexOf("#show-password");
        var submit = order.IndexOf("button.primary");
        contract.ShouldBeGreaterThan(0, $"tab order: {string.Join(", ", order)}");
        password.ShouldBe(contract + 1, $"tab order: {string.Join(", ", order)}");
        show.ShouldBe(password + 1, $"tab order: {string.Join(", ", order)}");
        submit.ShouldBe(show + 1, $"tab order: {string.Join(", ", order)}");
    }

    [Fact]
    public async Task The_skip_link_shows_on_focus_and_moves_focus_to_the_main_content()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU", 360, 740);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await FocusFromTheTopAsync(page);
        await page.Keyboard.PressAsync("Tab");

        var skip = page.Locator("a.skip");
        (await skip.InnerTextAsync()).ShouldBe("Перейти к содержимому");
        var box = (await skip.BoundingBoxAsync()).ShouldNotBeNull();
        box.X.ShouldBeGreaterThanOrEqualTo(0, "the focused skip link is off screen");
        (box.X + box.Width).ShouldBeLessThanOrEqualTo(360);

        await page.Keyboard.PressAsync("Enter");
        (await page.EvaluateAsync<string>(DescribeFocus)).ShouldBe("#main");
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>(DescribeFocus)).ShouldBe("#contract");
    }

    [Fact]
    public async Task Keyboard_focus_is_visible_on_fields_buttons_and_links()
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, "ru-RU");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await FocusFromTheTopAsync(page);

        var checkedTargets = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var (target, outline) = await FocusedOutlineAsync(page);
            if (target == "body")
            {
                break;
            }

            outline.ShouldNotBe("none", $"no visible focus on {target}");
            checkedTargets.Add(target);
        }

        checkedTargets.ShouldContain("#contract");
        checkedTargets.ShouldContain("#password");
        checkedTargets.ShouldContain("button.primary");

        await CabinetPages.LogInAsync(page);
        var link = page.Locator("nav.switcher a").First;
        await link.FocusAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Tab");
        var (dashTarget, dashOutline) = await FocusedOutlineAsync(page);
        dashTarget.ShouldStartWith("a");
        dashOutline.ShouldNotBe("none", $"no visible focus on {dashTarget}");
    }

    [Theory]
    [InlineData("ru-RU")]
    [InlineData("en-US")]
    public async Task Every_field_has_a_label_and_every_button_a_name(string locale)
    {
        await using var context = await browser.NewContextAsync(app.BaseUrl, locale);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/login");
        await ShouldBeLabelledAsync(page);
        await CabinetPages.LogInAsync(page, LiveApp.DemoContract, "wrong-password");
        await ShouldBeLabelledAsync(page);
        await CabinetPages.LogInAsync(page);
        new Uri(page.Url).AbsolutePath.ShouldBe("/");
        await ShouldBeLabelledAsync(page);
        (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).CountAsync()).ShouldBe(1);
        (await page.GetByRole(AriaRole.Main).CountAsync()).ShouldBe(1);
    }

    private static async Task ShouldBeLabelledAsync(IPage page)
    {
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("input, select, textarea")]
              .filter(e => e.type !== "hidden" && (!e.labels || e.labels.length === 0))
              .map(e => e.outerHTML)
            """);
        unlabelled.ShouldBeEmpty($"fields without a label on {page.Url}");
        var nameless = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("button, a[href]")]
              .filter(e => !(e.innerText || "").trim() && !e.getAttribute("aria-label"))
              .map(e => e.outerHTML)
            """);
        nameless.ShouldBeEmpty($"buttons or links without a name on {page.Url}");
    }

    /// <summary>
    /// Puts the keyboard's starting point at the top of the document, as on arriving at the page
    /// (the login page autofocuses the contract field, so a plain Tab would start from there).
    /// </summary>
    private static async Task FocusFromTheTopAsync(IPage page) => await page.EvaluateAsync("""
        () => {
          document.activeElement?.blur();
          document.body.tabIndex = -1;
          document.body.focus();
          document.body.removeAttribute("tabindex");
        }
        """);

    private static async Task<(string Target, string Outline)> FocusedOutlineAsync(IPage page)
    {
        var target = await page.EvaluateAsync<string>(DescribeFocus);
        var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        return (target, outline);
    }
}
