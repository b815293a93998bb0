using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kabinet.Web.Tests.Infrastructure;

namespace Kabinet.Web.Tests.Features.Network;

/// <summary>Plays FreeRADIUS's rest module against a test Kabinet: rlm_rest's JSON, basic auth.</summary>
public static class RadiusRest
{
    public const string Secret = "test-radius-secret";

    /// <summary>Settings that switch the RADIUS endpoints on.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal) { ["Kabinet:Radius:Secret"] = Secret };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static HttpClient Client(KabinetFactory factory, string? secret = Secret)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var client = factory.CreateClient();
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("freeradius:" + secret)));
        }

        return client;
    }

    /// <summary>The body rlm_rest sends: {"Name":{"type":"string","value":["..."]}}.</summary>
    public static JsonContent Body(params (string Name, object Value)[] attributes) =>
        JsonContent.Create(attributes.ToDictionary(a => a.Name, a => (object)new { type = a.Value is string ? "string" : "integer", value = new[] { a.Value } }));

    /// <summary>The first value of an attribute in a response ({"op":..,"value":..,"do_xlat":false}); null when absent.</summary>
    public static string? Value(JsonElement body, string name)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(name, out var attribute))
        {
            return null;
        }

        var value = attribute.GetProperty("value");
        return value.ValueKind == JsonValueKind.Array ? value[0].GetString() : value.GetString();
    }

    public static async Task<(int Status, JsonElement Body)> PostAsync(HttpClient client, string path, params (string Name, object Value)[] attributes)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.PostAsync(path, Body(attributes));
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 || !text.StartsWith('{') ? default : JsonDocument.Parse(text).RootElement.Clone();
        return ((int)response.StatusCode, body);
    }
}
