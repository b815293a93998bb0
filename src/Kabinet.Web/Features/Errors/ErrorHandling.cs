using System.Diagnostics;
using Kabinet.Web.Features.Api;
using Kabinet.Web.Features.Localization;
using Microsoft.AspNetCore.Diagnostics;

namespace Kabinet.Web.Features.Errors;

/// <summary>
/// What the client sees when something fails. The API always answers RFC 9457 problem details;
/// pages show a polite page in the user's language. Neither ever carries a stack trace: the trace
/// id links the answer to the log line that has it.
/// </summary>
public static class ErrorHandling
{
    /// <summary>Registers the handlers.</summary>
    public static void AddKabinetErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["trace_id"] = Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier;
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
    }

    /// <summary>Adds the middleware: exceptions, then empty error statuses.</summary>
    public static void UseKabinetErrors(this WebApplication app)
    {
        app.UseExceptionHandler("/error");
        app.UseWhen(IsApi, api => api.UseStatusCodePages(WriteApiStatusAsync));
        app.UseWhen(ctx => !IsApi(ctx), pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
    }

    /// <summary>True for API and OpenAPI paths, which speak JSON.</summary>
    public static bool IsApi(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static async Task WriteApiStatusAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var texts = http.RequestServices.GetRequiredService<Texts>();
        var status = http.Response.StatusCode;
        var detail = status switch
        {
            StatusCodes.Status401Unauthorized => texts["api.unauthorized"],
            StatusCodes.Status404NotFound => texts["api.not_found"],
            StatusCodes.Status413PayloadTooLarge => texts["api.too_large"],
            StatusCodes.Status429TooManyRequests => texts["error.auth.too_many_attempts"],
            >= 500 => texts["api.server_error"],
            _ => texts["api.bad_request"],
        };
        await WriteProblemAsync(http, status, detail);
    }

    internal static ValueTask WriteProblemAsync(HttpContext http, int status, string detail)
    {
        http.Response.StatusCode = status;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = ApiProblems.Title(status), Detail = detail },
        });
    }

    /// <summary>
    /// Logs every unexpected exception with its trace id; answers API callers with a problem. A
    /// request the server could not read (bad JSON, too large) is the client's error, not ours.
    /// </summary>
    private sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger, Texts texts) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            var traceId = Activity.Current?.Id ?? http.TraceIdentifier;
            // The middleware has already pointed the request at the error path; ask where it was going.
            var original = http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? http.Request.Path.Value;
            var isApi = original?.StartsWith("/api", StringComparison.OrdinalIgnoreCase) == true;
            if (exception is BadHttpRequestException bad)
            {
                logger.LogInformation("Bad request {TraceId}: {Message}", traceId, bad.Message);
                if (isApi)
                {
                    var detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? texts["api.too_large"] : texts["api.bad_request"];
                    await WriteProblemAsync(http, bad.StatusCode, detail);
                    return true;
                }

                http.Response.StatusCode = bad.StatusCode;
                return false;
            }

            logger.LogError(exception, "Unhandled error {TraceId} on {Method} {Path}", traceId, http.Request.Method, original);
            if (isApi)
            {
                await WriteProblemAsync(http, StatusCodes.Status500InternalServerError, texts["api.server_error"]);
                return true;
            }

            return false;
        }
    }
}
