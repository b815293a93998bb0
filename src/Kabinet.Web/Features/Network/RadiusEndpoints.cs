using System.Globalization;
using Kabinet.Web.Features.Localization;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.Network;

/// <summary>
/// The endpoints FreeRADIUS's rest module calls (deploy/freeradius): authorize, post-auth and
/// accounting. Answers follow rlm_rest's codes: 200 with attributes, 401 = reject (with a
/// Reply-Message), 404 = unknown user, 204 = stored, 5xx = FreeRADIUS must not acknowledge.
/// </summary>
public static class RadiusEndpoints
{
    /// <summary>The authorize query (<c>?refusals=post-auth</c>) of a site that tells refusals in post-auth.</summary>
    public const string PostAuthRefusals = "post-auth";

    /// <summary>The control attribute that carries a refusal's Reply-Message to the site's post-auth.</summary>
    public const string RefusalAttribute = "Tmp-String-1";

    /// <summary>Registers the services.</summary>
    public static void AddNetwork(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NetworkOptions>(configuration.GetSection(NetworkOptions.Section));
        services.AddSingleton<NetworkSecrets>();
        services.AddSingleton<NasDirectory>();
        services.AddSingleton<AccessLines>();
        services.AddSingleton<NetworkAdmin>();
        Connection.ConnectionEndpoints.AddConnection(services);
        services.AddSingleton<Captive.CaptiveLookup>();
        services.AddSingleton<Authorizer>();
        services.AddSingleton<RadiusGuard>();
        services.AddSingleton<AccountingWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AccountingWriter>());
        services.AddSingleton<PostAuthLog>();
        services.AddHostedService(sp => sp.GetRequiredService<PostAuthLog>());
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<NetworkOptions>>().Value;
            return new Integrations.Radius.RadiusClient(
                new Integrations.Radius.RadiusClientOptions { Attempts = Math.Max(1, o.CoaAttempts), FirstTimeout = TimeSpan.FromMilliseconds(Math.Max(50, o.CoaTimeoutMs)) },
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<CoaDispatcher>();
        services.AddSingleton<CoaLog>();
        services.AddSingleton<RadiusPolicies>();
        services.AddHostedService(sp => sp.GetRequiredService<CoaDispatcher>());
        services.AddSingleton<StaleSessionJob>();
        services.AddHostedService(sp => sp.GetRequiredService<StaleSessionJob>());
    }

    /// <summary>Maps /radius/*.</summary>
    public static void MapRadius(this IEndpointRouteBuilder app)
    {
        var radius = app.MapGroup("/radius").AddEndpointFilter<RadiusGuard>().ExcludeFromDescription().DisableAntiforgery();
        radius.MapPost("/authorize", AuthorizeAsync);
        radius.MapPost("/post-auth", PostAuthAsync);
        radius.MapPost("/accounting", AccountingAsync);
    }

    private static async Task<IResult> AuthorizeAsync(HttpRequest http, Authorizer authorizer, PostAuthLog log, OperatorClock clock, CancellationToken ct)
    {
        if (await RadiusRequest.ReadAsync(http, ct) is not { } request)
        {
            return Results.BadRequest();
        }

        switch (await authorizer.DecideAsync(request, ct))
        {
            case AuthDecision.Allow allow:
                return Results.Json(Attributes(allow.Control, allow.Reply));
            case AuthDecision.Refuse refuse:
                log.Record(refuse.Line.AccessPointId, clock.UtcNow, "reject:" + refuse.Reason);
                // The shipped site asks for refusals=post-auth: the reason rides in control with the
                // credentials, and the site says it only once the password checked out, so a login
                // alone does not tell whether its account is frozen or terminated. Older sites get 401.
                if (string.Equals(http.Query["refusals"], PostAuthRefusals, StringComparison.Ordinal))
                {
                    return refuse.Control.Count > 0
                        ? Results.Json(Attributes([.. refuse.Control, new ReplyPair(RefusalAttribute, RussianText(refuse.Reason))], []))
                        : Results.Json(Attributes([], []), statusCode: StatusCodes.Status401Unauthorized);
                }

                return Results.Json(Attributes([], [new ReplyPair("Reply-Message", RussianText(refuse.Reason))]), statusCode: StatusCodes.Status401Unauthorized);
            default:
                return Results.NotFound();
        }
    }

    /// <summary>
    /// Called after FreeRADIUS decided (<c>?result=reject</c> from Post-Auth-Type REJECT; the
    /// repository's site reports no accepts, Kabinet learns them from Accounting-Start). A reject of
    /// a line Kabinet allowed means the password did not match.
    /// </summary>
    private static async Task<IResult> PostAuthAsync(HttpRequest http, AccessLines lines, PostAuthLog log, OperatorClock clock, CancellationToken ct)
    {
        if (await RadiusRequest.ReadAsync(http, ct) is not { } request)
        {
            return Results.BadRequest();
        }

        if (await lines.FindAsync(request, ct) is { } line)
        {
            var rejected = string.Equals(http.Query["result"], "reject", StringComparison.Ordinal);
            log.Record(line.AccessPointId, clock.UtcNow, rejected ? "reject:" + (Authorizer.Refusal(line) ?? "network.reason.wrong_password") : "accept");
        }

        return Results.NoContent();
    }

    private static async Task<IResult> AccountingAsync(HttpRequest http, AccountingWriter writer, OperatorClock clock, ILoggerFactory loggers, CancellationToken ct)
    {
        if (await RadiusRequest.ReadAsync(http, ct) is not { } request)
        {
            return Results.BadRequest();
        }

        if (AccountingPacket.From(request, clock.UtcNow, out var problem) is not { } packet)
        {
            // Acknowledged but not stored: resending a packet Kabinet cannot use would not help.
            loggers.CreateLogger(typeof(RadiusEndpoints)).LogWarning("Accounting request ignored: {Problem}", problem);
            return Results.NoContent();
        }

        try
        {
            await writer.StoreAsync(packet, ct);
            return Results.NoContent();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not stored: FreeRADIUS must not acknowledge, so the NAS sends the packet again.
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>rlm_rest's response form: "control:Name" / "reply:Name", repeated names as a list appended with +=.</summary>
    private static Dictionary<string, object> Attributes(IReadOnlyList<ReplyPair> control, IReadOnlyList<ReplyPair> reply)
    {
        var body = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (list, attributes) in new[] { ("control", control), ("reply", reply) })
        {
            foreach (var group in attributes.GroupBy(a => a.Name, StringComparer.Ordinal))
            {
                // do_xlat off: a value (a PPPoE password with '%') must reach the NAS as it is, not expanded.
                var values = group.Select(a => a.Value).ToArray();
                body[list + ":" + group.Key] = values.Length == 1
                    ? new RestValue(":=", values[0], false)
                    : new RestValue("+=", values, false);
            }
        }

        return body;
    }

    /// <summary>One attribute in rlm_rest's response form.</summary>
    private sealed record RestValue(
        [property: System.Text.Json.Serialization.JsonPropertyName("op")] string Op,
        [property: System.Text.Json.Serialization.JsonPropertyName("value")] object Value,
        [property: System.Text.Json.Serialization.JsonPropertyName("do_xlat")] bool DoXlat);

    /// <summary>What the subscriber's router shows: Russian, the provider's first language.</summary>
    private static string RussianText(string key) => Texts.Get(key, Texts.Cultures[0]);
}
