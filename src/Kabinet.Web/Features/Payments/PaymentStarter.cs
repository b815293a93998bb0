using System.Globalization;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Common;
using Kabinet.Web.Hosting;

namespace Kabinet.Web.Features.Payments;

/// <summary>How the consent to the offer was given.</summary>
public enum ConsentChannel
{
    /// <summary>A checkbox on a payment form; it must be ticked.</summary>
    Form = 1,

    /// <summary>An API call: the client may tick it (consent: true) or, by leaving it out, accept on the subscriber's behalf.</summary>
    Api = 2,
}

/// <summary>
/// The subscriber's choices on the top-up form or in the API call. <paramref name="Consent"/> null:
/// not given (refused on a form; accepted by the client on an API call). <paramref name="Language"/>:
/// the language ("ru", "en") the form was shown in, so the consent is stored as it was read.
/// </summary>
public sealed record TopUpInput(
    string? Amount, string? Method, string? Contact, bool? Consent, bool SaveCard, ConsentChannel Channel = ConsentChannel.Form, string? Language = null);

/// <summary>
/// Starts a top-up for an account of the logged-in contract: the same checks and the same call for
/// the cabinet page and the API.
/// </summary>
public sealed class PaymentStarter(Database database, OnlinePayments payments, PaymentConsent consent, PublicUrls urls)
{
    /// <summary>The result page a payer returns to from the bank, relative to the public base; "{id}" is the payment.</summary>
    public const string ResultPath = "pay/result/{id}";

    /// <summary>The subscriber's e-mail or phone on file, to fill the receipt contact.</summary>
    public async Task<string?> ContactOnFileAsync(long contractId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = (await connection.QueryAsync<(string? Email, string? Phone)>(
            "SELECT s.email, s.phone FROM contracts c JOIN subscribers s ON s.id = c.subscriber_id WHERE c.id = @contractId",
            new { contractId })).FirstOrDefault();
        return ReceiptContact.Normalize(row.Email) ?? ReceiptContact.Normalize(row.Phone);
    }

    /// <summary>
    /// Validates and starts; the account must belong to the contract. The payer comes back from the
    /// bank to <paramref name="returnUrl"/> (an API client's, "{id}" standing for the payment) when
    /// it lies within the public address, else to this site's result page; a client's address
    /// elsewhere is refused.
    /// </summary>
    public async Task<Result<StartedPayment>> StartAsync(
        long contractId, long accountId, TopUpInput input, PaymentSource source, string? returnUrl, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        (string Number, string ContractNumber, string? Email, string? Phone) account;
        await using (var connection = await database.OpenAsync(ct))
        {
            // The account's number (for the gateway's description) and the contact on file, in the ownership check.
            var found = (await connection.QueryAsync<(string Number, string ContractNumber, string? Email, string? Phone)>(
                """
                SELECT a.number, c.number, s.email, s.phone FROM accounts a
                JOIN contracts c ON c.id = a.contract_id JOIN subscribers s ON s.id = c.subscriber_id
                WHERE a.id = @accountId AND a.contract_id = @contractId
                """,
                new { accountId, contractId })).ToList();
            if (found.Count == 0)
            {
                return new Error("account.not_found");
            }

            account = found[0];
        }

        var amount = payments.ParseAmount(input.Amount);
        if (!amount.IsSuccess)
        {
            return amount.Error!;
        }

        PaymentMethod? method = input.Method switch
        {
            null or "" or "bank_card" => PaymentMethod.BankCard,
            "sbp" => PaymentMethod.Sbp,
            _ => null,
        };
        if (method is null)
        {
            return new Error("payment.method_invalid", "method");
        }

        var contact = ReceiptContact.Normalize(input.Contact)
            ?? (input.Contact is null ? ReceiptContact.Normalize(account.Email) ?? ReceiptContact.Normalize(account.Phone) : null);
        if (contact is null)
        {
            return new Error("payment.contact_invalid", "contact");
        }

        // A form's checkbox must be ticked; an API client that leaves the field out accepts the
        // offer on the subscriber's behalf (recorded as such), and an explicit false is a refusal.
        if (input.Consent == false || (input.Consent is null && input.Channel != ConsentChannel.Api))
        {
            return new Error("payment.consent_required", "consent");
        }

        if (urls.Base is not { } root)
        {
            // Not configured (logged by PublicUrls): the payer would have no way back from the bank,
            // so card payments are off as when no gateway is set up.
            return new Error("payment.gateway_not_configured");
        }

        if (returnUrl is not null && !PublicUrls.Within(root, returnUrl))
        {
            return new Error("payment.return_url_invalid", "return_url", new Dictionary<string, string> { ["base"] = root.ToString() });
        }

        returnUrl ??= new Uri(root, ResultPath).ToString();
        var save = input.SaveCard && method == PaymentMethod.BankCard;
        // The number goes into the gateway's description, which its hosted page shows to the payer.
        // Someone paying without logging in may have found the contract by address and been shown
        // only the masked number ("1000****0001-1"): the gateway's page shows no more than that.
        var number = source == PaymentSource.Public ? PublicPay.PublicPayments.Mask(account.Number, account.ContractNumber) : account.Number;
        return await payments.StartAsync(
            new PaymentRequest(accountId, input.Amount, method.Value, source, contact, returnUrl, save,
                input.Channel == ConsentChannel.Api
                    ? consent.ForApi(input.Consent is null, save, CultureInfo.CurrentUICulture)
                    : consent.ForForm(save, PaymentConsent.Culture(input.Language)),
                AccountNumber: number),
            ct);
    }
}
