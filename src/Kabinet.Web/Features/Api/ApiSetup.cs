using System.Text.Json;
using System.Text.Json.Serialization;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Auth;
using Kabinet.Web.Features.Dashboard;
using Kabinet.Web.Features.Payments;
using Kabinet.Web.Features.PromisedPayment;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;

namespace Kabinet.Web.Features.Api;

/// <summary>The public REST API v1 (M34): JSON conventions, OpenAPI document, and the route group.</summary>
public static class ApiSetup
{
    /// <summary>The largest request body the API reads.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    /// <summary>JSON: snake_case names and enum values, money as "0.00" strings.</summary>
    public static void AddKabinetApi(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(o => Configure(o.SerializerOptions));
        services.AddScoped<ApiProblems>();
        services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer((doc, _, _) =>
            {
                doc.Info.Title = "Kabinet API";
                doc.Info.Version = "v1";
                doc.Info.Description = "The subscriber cabinet's API. Log in with POST /api/v1/auth/token and send the access_token as 'Authorization: Bearer ...'. Amounts are strings of roubles with two decimals.";
                return Task.CompletedTask;
            });
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(Money))
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Pattern = @"^-?\d+\.\d{2}$";
                    schema.Examples = [System.Text.Json.Nodes.JsonValue.Create("500.00")];
                    schema.Properties?.Clear();
                }

                return Task.CompletedTask;
            });
        });
    }

    /// <summary>The serializer settings, shared with tests and clients in this repo.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new MoneyJsonConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.NumberHandling = JsonNumberHandling.Strict;
    }

    /// <summary>Maps /api/v1 with its endpoints; everything but the token needs a bearer token.</summary>
    public static void MapKabinetApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(SubscriberClaims.ApiPolicy)
            .DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes));
        api.MapToken();
        api.MapMe();
        Tariffs.TariffEndpoints.MapTariffs(api);
        Services.ServiceEndpoints.MapExtraServices(api);
        Freeze.FreezeEndpoints.MapFreeze(api);
        History.HistoryEndpoints.MapHistory(api);
        Connection.ConnectionEndpoints.MapConnection(api);
        api.MapPromisedPayment();
        api.MapPayments();
        PublicPay.PublicPayEndpoints.MapPublicPay(app);
        Autopay.AutopayEndpoints.MapAutopay(api);
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
    }
}
