using Kabinet.Web.Hosting;
using Kabinet.Web.Integrations;
using Kabinet.Web.Integrations.Sandbox;
using Kabinet.Web.Integrations.YooKassa;

namespace Kabinet.Web.Features.Payments;

/// <summary>Registration of online payments: the gateway client, the sandbox acquirer, the jobs.</summary>
public static class PaymentsSetup
{
    /// <summary>Adds the services.</summary>
    public static void AddPayments(this IServiceCollection services, IConfiguration configuration, KabinetOptions options)
    {
        services.Configure<GatewayOptions>(configuration.GetSection("Kabinet:Gateway"));
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

    private static bool SandboxEnabled(IConfiguration configuration, KabinetOptions options) =>
        configuration.GetValue<bool?>("Kabinet:Sandbox:Enabled") ?? options.DemoEnabled;
}
