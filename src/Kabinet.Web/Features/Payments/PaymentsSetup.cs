using Kabinet.Web.Hosting;
using Kabinet.Web.Integrations;
using Kabinet.Web.Integrations.Sandbox;
using Kabinet.Web.Integrations.YooKassa;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kabinet.Web.Features.Payments;

/// <summary>Registration of online payments: the gateway client, the sandbox acquirer, the jobs.</summary>
public static class PaymentsSetup
{
    /// <summary>Adds the services.</summary>
    public static void AddPayments(this IServiceCollection services, IConfiguration configuration, KabinetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sandbox = SandboxEnabled(configuration, options);
        services.Configure<GatewayOptions>(configuration.GetSection("Kabinet:Gateway"));
        var gateway = configuration.GetSection("Kabinet:Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
        RefuseSandboxOutsideDemo(gateway, options);
        services.PostConfigure<GatewayOptions>(g => CompleteGateway(g, options.DemoEnabled));
        services.Configure<PaymentOptions>(configuration.GetSection("Kabinet:Payments"));
        services.Configure<SandboxOptions>(configuration.GetSection("Kabinet:Sandbox"));
        services.AddSingleton<SelfAddress>();
        services.AddSingleton<PublicUrls>();
        // No per-request logging handlers: the gateway calls sit on every payment's path, and their
        // failures are logged where they are handled.
        services.AddHttpClient(YooKassaClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15)).RemoveAllLoggers();
        services.AddSingleton<YooKassaClient>();
        services.AddHttpClient(nameof(SandboxNotifier), client => client.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers();
        services.AddSingleton<PaymentCreditWriter>();
        services.AddSingleton<OnlinePayments>();
        services.AddSingleton<PaymentLookup>();
        services.AddSingleton<PaymentStarter>();
        services.AddSingleton<PaymentConsent>();
        services.AddHostedService<PaymentReconciliationJob>();
        services.Configure<Autopay.AutopayOptions>(configuration.GetSection("Kabinet:Autopay"));
        services.AddSingleton<Autopay.AutopayRules>();
        services.AddHostedService<Autopay.AutopayJob>();
        services.AddSingleton<PaymentRefunds>();
        if (SandboxEnabled(configuration, options))
        {
            services.AddSingleton<SandboxDatabase>();
            services.AddSingleton<SandboxStore>();
            services.AddSingleton<SandboxNotifier>();
            services.AddHostedService(sp => sp.GetRequiredService<SandboxNotifier>());
        }
        else
        {
            // The hosted card page is a Razor page: without the sandbox it has no route at all (404).
            services.Configure<RazorPagesOptions>(o => o.Conventions.AddFolderRouteModelConvention("/SandboxAcquirer", page => page.Selectors.Clear()));
        }
    }

    /// <summary>Maps the notification endpoint and, when on, the sandbox acquirer.</summary>
    public static void MapPayments(this WebApplication app, KabinetOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPaymentNotifications();
        if (SandboxEnabled(app.Configuration, options))
        {
            app.MapSandboxAcquirer();
        }
    }

    /// <summary>
    /// The sandbox is demo mode's (it may be switched off there); outside demo mode asking for it is
    /// a configuration error, not a choice, since it accepts free test cards.
    /// </summary>
    private static bool SandboxEnabled(IConfiguration configuration, KabinetOptions options)
    {
        var asked = configuration.GetValue<bool?>("Kabinet:Sandbox:Enabled");
        if (asked == true && !options.DemoEnabled)
        {
            throw new StartupRefusedException(
                "Kabinet:Sandbox:Enabled=true, but the built-in sandbox acquirer accepts free test cards and runs only in demo mode " +
                "(Kabinet:Demo=true). Remove the setting in production.");
        }

        return asked ?? options.DemoEnabled;
    }

    private static void RefuseSandboxOutsideDemo(GatewayOptions gateway, KabinetOptions options)
    {
        if (options.DemoEnabled)
        {
            return;
        }

        var named = string.Equals(gateway.Name, GatewayOptions.SandboxName, StringComparison.OrdinalIgnoreCase);
        if (named || (!string.IsNullOrWhiteSpace(gateway.BaseUrl) && gateway.PointsAtSandbox))
        {
            throw new StartupRefusedException(
                "The payment gateway (Kabinet:Gateway) is the built-in sandbox acquirer, which accepts free test cards and runs only in " +
                "demo mode (Kabinet:Demo=true). Configure the real acquirer (Kabinet:Gateway:Name, BaseUrl, ShopId, SecretKey; " +
                "see deploy/systemd/kabinet.env.example), or leave Kabinet:Gateway out to run without card payments.");
        }

        if (string.IsNullOrWhiteSpace(gateway.BaseUrl) && !string.IsNullOrWhiteSpace(gateway.Name))
        {
            throw new StartupRefusedException($"Kabinet:Gateway:Name is '{gateway.Name}', but Kabinet:Gateway:BaseUrl is empty: give the acquirer's API address.");
        }

        if (!string.IsNullOrWhiteSpace(gateway.BaseUrl) && (string.IsNullOrWhiteSpace(gateway.ShopId) || string.IsNullOrWhiteSpace(gateway.SecretKey)))
        {
            throw new StartupRefusedException("Kabinet:Gateway:BaseUrl is set, but Kabinet:Gateway:ShopId or SecretKey is empty: the acquirer needs both.");
        }
    }

    // Demo mode with no address talks to its own sandbox, which checks the same credentials it is
    // given here. Outside demo mode an empty address leaves the name empty: no gateway, no card payments.
    private static void CompleteGateway(GatewayOptions gateway, bool demo)
    {
        if (demo && gateway.PointsAtSandbox)
        {
            gateway.Name = gateway.Name.Length > 0 ? gateway.Name : GatewayOptions.SandboxName;
            gateway.ShopId = gateway.ShopId.Length > 0 ? gateway.ShopId : "100500";
            gateway.SecretKey = gateway.SecretKey.Length > 0 ? gateway.SecretKey : "test_sandbox_secret";
        }
        else if (gateway.Name.Length == 0 && !string.IsNullOrWhiteSpace(gateway.BaseUrl))
        {
            gateway.Name = "yookassa";
        }
    }
}
