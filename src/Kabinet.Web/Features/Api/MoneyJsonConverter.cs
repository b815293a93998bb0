using System.Text.Json;
using System.Text.Json.Serialization;
using Kabinet.Domain.Money;

namespace Kabinet.Web.Features.Api;

/// <summary>Money on the wire is a string of roubles with exactly two decimals, "1234.50".</summary>
public sealed class MoneyJsonConverter : JsonConverter<Money>
{
    /// <inheritdoc />
    public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !Money.TryParse(reader.GetString(), out var money))
        {
            throw new JsonException("An amount is a string of roubles with two decimals, for example \"500.00\".");
        }

        return money;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
