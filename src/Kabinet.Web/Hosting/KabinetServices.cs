using Kabinet.Data.Connections;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Billing;
using Kabinet.Web.Features.Ledger;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Features.PromisedPayment;
using Kabinet.Web.Features.Dashboard;
using Kabinet.Web.Features.Demo;
using Kabinet.Web.Features.Errors;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Features.Shared;
using Kabinet.Web.Features.Staff;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Hosting;

/// <summary>Everything the host registers, in one place, for the server and the command verbs alike.</summary>
public static class KabinetServices
{
    /// <summary>Registers Kabinet's services on a builder.</summary>
    public static void AddKabinet(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = builder.Configuration.GetSection(KabinetOptions.Section).Get<KabinetOptions>() ?? new KabinetOptions();
        services.Configure<KabinetOptions>(builder.Configuration.GetSection(KabinetOptions.Section));
        // A malformed public address stops the start here rather than misdirecting the first payer.
        _ = options.PublicBase;

        var connectionString = builder.Configuration.GetConnectionString("Kabinet") ?? "Data Source=kabinet.db";
        services.AddSingleton(_ => new Database(options.DatabaseKind, connectionString));
        services.AddSingleton<Kabinet.Data.Ledger.GatewayTransitAccounts>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new OperatorClock(sp.GetRequiredService<TimeProvider>(), TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone)));

        services.AddSingleton<IPasswordHasher<ContractCredential>, PasswordHasher<ContractCredential>>();
        services.AddSingleton<IPasswordHasher<StaffCredential>, PasswordHasher<StaffCredential>>();
        services.AddSingleton<ContractLogin>();
        services.AddSingleton<StaffAccounts>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<DashboardQuery>();
        Features.Tariffs.TariffEndpoints.AddTariffs(services);
        Features.Services.ServiceEndpoints.AddExtraServices(services);
        Features.Freeze.FreezeEndpoints.AddFreeze(services);
        Features.History.HistoryEndpoints.AddHistory(services);
        Features.Network.RadiusEndpoints.AddNetwork(services, builder.Configuration);
        services.AddSingleton<Texts>();
        services.AddSingleton<Display>();
        services.AddSingleton<JournalWording>();
        services.AddHostedService<DatabaseStartup>();
        services.AddSingleton<DayStart>();
        services.AddSingleton<BillingRun>();
        services.AddSingleton<LedgerVerifier>();
        services.AddSingleton<BillingRulesStore>();
        services.AddSingleton<AccountChoice>();
        services.AddSingleton<PromisedPayments>();
        services.AddHostedService<BillingJob>();

        services.AddKabinetDataProtection(builder.Configuration, options, connectionString);

        var session = TimeSpan.FromHours(options.SessionHours);
        services.AddAuthentication(SubscriberClaims.CookieScheme)
            .AddCookie(SubscriberClaims.CookieScheme, o =>
            {
                o.Cookie.Name = "kabinet";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.ExpireTimeSpan = session;
                o.SlidingExpiration = true;
                o.Events = new CookieAuthenticationEvents
                {
                    // An API caller without a cookie gets a status, never a redirect to the form.
                    OnRedirectToLogin = ctx => ErrorHandling.IsApi(ctx.HttpContext) ? Status(ctx, 401) : Redirect(ctx),
                    OnRedirectToAccessDenied = ctx => ErrorHandling.IsApi(ctx.HttpContext) ? Status(ctx, 403) : Redirect(ctx),
                };
            })
            .AddBearerToken(SubscriberClaims.BearerScheme, o =>
            {
                o.BearerTokenExpiration = session;
                o.RefreshTokenExpiration = TimeSpan.FromDays(14);
            });
        CachedTicketFormat.AddTo(services, SubscriberClaims.CookieScheme);
        CachedTicketFormat.AddToBearer(services, SubscriberClaims.BearerScheme);
        services.AddSecureCookies();
        services.AddSubscriberSessions();
        services.AddAuthorizationBuilder()
            .AddPolicy(SubscriberClaims.CabinetPolicy, p => p.AddAuthenticationSchemes(SubscriberClaims.CookieScheme).RequireRole("subscriber"))
            .AddPolicy(SubscriberClaims.ApiPolicy, p => p.AddAuthenticationSchemes(SubscriberClaims.BearerScheme).RequireRole("subscriber"));

        services.AddLoginRateLimit(options);
        services.AddRazorPages(o => o.RootDirectory = "/Features");
        // Pages speak Russian: without this every Cyrillic letter is written as a "&#x...;" reference,
        // several bytes more per letter and encoding work on every page. Markup characters (<, >, &,
        // quotes) are still encoded.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRequestLocalization(o =>
        {
            o.SupportedCultures = Texts.Accepted;
            o.SupportedUICultures = Texts.Accepted;
            o.SetDefaultCulture(Texts.Cultures[0].Name);
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            // Cookie (the switcher) first, then the browser's Accept-Language; no query string.
            o.RequestCultureProviders = [new Microsoft.AspNetCore.Localization.CookieRequestCultureProvider(), new Microsoft.AspNetCore.Localization.AcceptLanguageHeaderRequestCultureProvider()];
        });
        services.AddPayments(builder.Configuration, options);
        Features.PublicPay.PublicPayEndpoints.AddPublicPay(services, builder.Configuration);
        services.AddKabinetApi();
        services.AddKabinetErrors();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 1024 * 1024;
        });
    }

    private static Task Status(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static Task Redirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx)
    {
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
