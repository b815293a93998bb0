using Kabinet.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kabinet.Web.Tests.Features.Hosting;

/// <summary>
/// The shipped appsettings.json: Kabinet's own events at Information, the framework's at Warning,
/// so a request is not seven log lines.
/// </summary>
public sealed class ShippedLoggingTests
{
    [Fact]
    public void The_shipped_configuration_logs_Kabinet_at_information_and_the_framework_only_from_warning()
    {
        // The test factory's quieter levels left out: what an install gets.
        using var app = KabinetFactory.Sqlite(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Logging:LogLevel:Default"] = null,
            ["Logging:LogLevel:Kabinet"] = null,
        });
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        foreach (var framework in new[]
        {
            "Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Routing.EndpointMiddleware", "Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure.PageActionInvoker",
            "System.Net.Http.HttpClient.yookassa.LogicalHandler", "Microsoft.EntityFrameworkCore.Database.Command", "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager",
        })
        {
            loggers.CreateLogger(framework).IsEnabled(LogLevel.Information).ShouldBeFalse(framework);
            loggers.CreateLogger(framework).IsEnabled(LogLevel.Warning).ShouldBeTrue(framework);
        }

        foreach (var own in new[] { "Kabinet.Web.Hosting.DatabaseStartup", "Kabinet.Web.Features.Billing.BillingRun", "Microsoft.Hosting.Lifetime" })
        {
            loggers.CreateLogger(own).IsEnabled(LogLevel.Information).ShouldBeTrue(own);
            loggers.CreateLogger(own).IsEnabled(LogLevel.Debug).ShouldBeFalse(own);
        }
    }

    [Fact]
    public void The_published_output_carries_the_configuration()
    {
        // The web project's output is copied beside the tests; publish takes the same Content item.
        File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).ShouldBeTrue();
    }
}
