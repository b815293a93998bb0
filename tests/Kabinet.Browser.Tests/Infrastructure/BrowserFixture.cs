using Microsoft.Playwright;

namespace Kabinet.Browser.Tests.Infrastructure;

/// <summary>
/// One Playwright driver and one headless Chromium for the whole browser run. Each test opens its
/// own <see cref="IBrowserContext"/> (cookies, locale and viewport are per context), which is cheap.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Where the test machine keeps Chromium (installed by build/test.sh with apt-get).</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    /// <summary>How long any one step (an action, a navigation, a page load) may take before the test fails.</summary>
    public const int StepTimeoutMs = 60_000;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The running browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    /// <summary>The Chromium binary used: KABINET_CHROMIUM if set, otherwise /usr/bin/chromium.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("KABINET_CHROMIUM") is { Length: > 0 } custom ? custom : DefaultChromium;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var chromium = ChromiumPath;
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"Browser tests need Chromium at {chromium}, and it is not there. Run `bash build/test.sh` " +
                "(it installs the Debian package `chromium` with apt-get) or `apt-get install chromium`. " +
                "Do not run `playwright install`: these tests use the system Chromium.");
        }

        _playwright = await Playwright.CreateAsync();
        try
        {
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Timeout = 30_000,
                Args =
                [
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--disable-quic",
                ],
            });
        }
        catch (PlaywrightException e)
        {
            _playwright.Dispose();
            _playwright = null;
            throw new InvalidOperationException(
                $"Chromium at {chromium} did not start under Playwright: {e.Message}", e);
        }
    }

    /// <summary>
    /// A fresh context (no cookies) with the given locale (sent as Accept-Language) and viewport.
    /// The timeouts only decide when a broken page is given up on, not how fast a page must be: CI runs
    /// the test assemblies side by side on two cores, where a cold app's first payment page once took
    /// longer than 15 s while the same step takes 1 s alone.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseUrl, string locale = "ru-RU", int width = 1280, int height = 800)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            Locale = locale,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = ColorScheme.Light,
            ReducedMotion = ReducedMotion.Reduce,
        });
        context.SetDefaultTimeout(StepTimeoutMs);
        context.SetDefaultNavigationTimeout(StepTimeoutMs);
        return context;
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>All browser test classes share one browser; they run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class SharedBrowser : ICollectionFixture<BrowserFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "browser";
}
