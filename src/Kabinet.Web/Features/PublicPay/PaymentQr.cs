using System.Collections.Concurrent;
using Kabinet.Domain.Money;
using Kabinet.Web.Features.Shared;
using Microsoft.Extensions.Options;
using QRCoder;

namespace Kabinet.Web.Features.PublicPay;

/// <summary>A payment QR code ready for a page: where its image is and the details it carries, for the text alternative.</summary>
public sealed record PaymentQrView(string ImageUrl, string Payload, PayeeDetails Payee, string Purpose, string ContractNumber, Money? Sum);

/// <summary>
/// Draws the GOST R 56042 payment QR code for a contract as SVG on the server (no script, no
/// external request; the page's CSP allows neither). Pages link it as an image
/// (<see cref="ImagePath"/>), which the browser caches, instead of carrying ~19 KB of drawing in
/// every dashboard view. Drawings are kept by their text, since the same few are asked again and again.
/// </summary>
public sealed class PaymentQr(IOptions<ProviderOptions> provider, ILogger<PaymentQr> logger)
{
    /// <summary>The path of the image endpoint.</summary>
    public const string ImagePath = "/payment-qr.svg";

    private const int CacheLimit = 10_000;
    private readonly ConcurrentDictionary<string, string> _drawn = new(StringComparer.Ordinal);

    /// <summary>The code for paying to a contract (with the sum when known), or null when the configured details cannot be carried.</summary>
    public PaymentQrView? For(string contractNumber, Money? sum = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contractNumber);
        var p = provider.Value;
        var payee = new PayeeDetails(p.Name, p.BankAccount, p.BankName, p.Bik, p.CorrespondentAccount, p.Inn, p.Kpp);
        var purpose = GostQrPayload.Purpose(contractNumber);
        var payload = GostQrPayload.Build(payee, purpose, contractNumber, sum is { IsPositive: true } ? sum : null);
        if (!payload.IsSuccess)
        {
            logger.LogWarning("No payment QR code: the provider's {Field} cannot be carried ({Code}); check Kabinet:Provider", payload.Error!.Field, payload.Error.Code);
            return null;
        }

        var url = ImagePath + "?contract=" + Uri.EscapeDataString(contractNumber) + (sum is { IsPositive: true } s ? "&sum=" + s : "");
        return new PaymentQrView(url, payload.Value, payee, purpose, contractNumber, sum is { IsPositive: true } ? sum : null);
    }

    /// <summary>The image a <see cref="PaymentQrView.ImageUrl"/> names; null when its details cannot be carried.</summary>
    public string? SvgFor(string contractNumber, Money? sum)
    {
        if (For(contractNumber, sum) is not { } view)
        {
            return null;
        }

        if (!_drawn.TryGetValue(view.Payload, out var svg))
        {
            svg = Draw(view.Payload);
            if (_drawn.Count >= CacheLimit)
            {
                _drawn.Clear();
            }

            _drawn[view.Payload] = svg;
        }

        return svg;
    }

    /// <summary>
    /// The SVG of a text: UTF-8 bytes without a BOM or an ECI marker (what "ST00012" promises and bank
    /// apps read), error correction M, sized by its viewBox so CSS decides the size.
    /// </summary>
    public static string Draw(string payload)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M, forceUtf8: true, utf8BOM: false, eciMode: QRCodeGenerator.EciMode.Default);
        using var code = new SvgQRCode(data);
        var svg = code.GetGraphic(4, "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return (start > 0 ? svg[start..] : svg).Replace("<svg ", "<svg aria-hidden=\"true\" focusable=\"false\" ", StringComparison.Ordinal);
    }
}
