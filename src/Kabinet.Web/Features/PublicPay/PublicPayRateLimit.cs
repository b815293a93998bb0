using System.Threading.RateLimiting;
using Kabinet.Domain.Common;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Errors;
using Kabinet.Web.Features.Localization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.PublicPay;

/// <summary>Settings of paying without logging in (<c>Kabinet:PublicPay</c>).</summary>
public sealed class PublicPayOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Kabinet:PublicPay";

    /// <summary>Lookups and payment starts one IP address may make per minute (the page's POSTs and every public API call).</summary>
    public int PerIpPerMinute { get; set; } = 20;

    /// <summary>How long a contract chosen on the page (or a contract_ref from the API) stays usable.</summary>
    public int ChoiceMinutes { get; set; } = 30;
}

/// <summary>
/// Throttles the public payment page and API per client IP, so that nobody walks the contract
/// numbers or the address book. Refusals are 429: a problem in the API, the polite page otherwise.
/// </summary>
public static class PublicPayRateLimit
{
    /// <summary>The rate limiter policy name.</summary>
    public const string Policy = "public-pay";

    /// <summary>Registers the policy.</summary>
    public static void AddPublicPayRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, Limiter>(Policy));

    private sealed class Limiter(IOptions<PublicPayOptions> options, Texts texts) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

        public RateLimitPartition<string> GetPartition(HttpContext httpContext)
        {
            // Showing the empty form is free; every lookup and every payment start counts.
            if (HttpMethods.IsGet(httpContext.Request.Method) && !ErrorHandling.IsApi(httpContext))
            {
                return RateLimitPartition.GetNoLimiter("page");
            }

            var ip = httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetFixedWindowLimiter(ip, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, options.Value.PerIpPerMinute),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        }

        private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
        {
            var http = context.HttpContext;
            http.Response.Headers.RetryAfter = "60";
            if (ErrorHandling.IsApi(http))
            {
                var error = new Error("publicpay.too_many_requests");
                await ApiProblems.For(error, StatusCodes.Status429TooManyRequests, texts.Error(error)).ExecuteAsync(http);
            }

            // A page request leaves the body empty: the status page middleware shows the polite 429 page.
        }
    }
}
