using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Kabinet.Data.Connections;
using Kabinet.Domain.Common;
using Kabinet.Domain.Subscribers;
using Kabinet.Web.Features.Payments;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Features.PublicPay;

/// <summary>An account someone who has not logged in may pay to: its id stays on the server, the payer sees the masked number.</summary>
public sealed record PublicAccount(long Id, string Masked);

/// <summary>
/// A contract found for a payer who has not logged in. It carries no name, title or balance: nothing
/// here may be shown that the payer did not already know, except the masked numbers.
/// </summary>
public sealed record PublicContract(long Id, string Number, IReadOnlyList<PublicAccount> Accounts)
{
    /// <summary>"1000****0001".</summary>
    public string Masked => ContractNumber.TryParse(Number, out var n) ? n.Masked : PublicPayments.Mask(Number);
}

/// <summary>A contract chosen earlier, read back from its opaque reference; Typed says whether the payer typed its number.</summary>
public sealed record ChosenContract(PublicContract Contract, bool Typed);

/// <summary>The address a payer gives to find the contract.</summary>
public sealed record AddressQuery(string? City, string? Street, string? House, string? Flat);

/// <summary>What the payer fills in: the account (its masked number; empty for the first open one), amount, method, receipt contact, consent.</summary>
public sealed record PublicPayInput(
    string? Account, string? Amount, string? Method, string? Contact, bool Consent, ConsentChannel Channel = ConsentChannel.Form, string? Language = null);

/// <summary>
/// Paying without logging in (M7): finds the contract by its number or by address, and starts the
/// payment through the same checks and gateway as the cabinet (<see cref="PaymentStarter"/>). A
/// contract with no open account is "not found", with the same words as one that does not exist.
/// </summary>
public sealed class PublicPayments(Database database, PaymentStarter starter, IDataProtectionProvider protection, IOptions<PublicPayOptions> options, TimeProvider time)
{
    /// <summary>At most this many contracts are listed for one address.</summary>
    public const int MaxPerAddress = 20;

    private readonly IDataProtector _protector = protection.CreateProtector("Kabinet.PublicPay.Contract.v1");

    /// <summary>The contract with that number, if it has an open account; a wrong format is its own error.</summary>
    public async Task<Result<PublicContract>> FindByNumberAsync(string? text, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new Error("publicpay.contract_required", "contract");
        }

        if (!ContractNumber.TryParse(text, out var number))
        {
            return new Error("publicpay.contract_format", "contract");
        }

        await using var connection = await database.OpenAsync(ct);
        var id = await connection.ExecuteScalarAsync<long?>("SELECT id FROM contracts WHERE number = @number", new { number = number.Value });
        var contract = id is { } found ? await LoadAsync(connection, found, number.Value) : null;
        return contract is null ? new Error("publicpay.contract_not_found", "contract") : contract;
    }

    /// <summary>The contracts with an open account at an address, masked; a missing part of the address is its own error.</summary>
    public async Task<Result<IReadOnlyList<PublicContract>>> FindByAddressAsync(AddressQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var (field, value) in new[] { ("city", query.City), ("street", query.Street), ("house", query.House) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return new Error($"publicpay.{field}_required", field);
            }

            if (value.Length > 100)
            {
                return new Error("publicpay.address_too_long", field);
            }
        }

        if (query.Flat is { Length: > 20 })
        {
            return new Error("publicpay.address_too_long", "flat");
        }

        var city = Address.Place(query.City);
        var street = Address.Place(query.Street);
        var house = Address.House(query.House);
        var flat = Address.Flat(query.Flat);
        await using var connection = await database.OpenAsync(ct);
        // The database narrows by the leading digits of the house and the flat, which have no case or
        // spelling; the rest ("ул. Ленина" for "улица Ленина", "12А" for "12а") is compared here.
        var rows = await connection.QueryAsync<(long Id, string Number, string City, string Street, string House, string? Flat)>(
            """
            SELECT c.id, c.number, b.city, b.street, b.house, c.flat
            FROM contracts c JOIN buildings b ON b.id = c.building_id
            WHERE b.house LIKE @house AND (@flat = '%' OR c.flat LIKE @flat)
            ORDER BY c.id
            """,
            new { house = LeadingDigits(house) + "%", flat = LeadingDigits(flat) + "%" });
        var found = new List<PublicContract>();
        foreach (var row in rows)
        {
            if (found.Count == MaxPerAddress)
            {
                break;
            }

            if (Address.Same(Address.Place(row.City), city) && Address.Same(Address.Place(row.Street), street)
                && Address.Same(Address.House(row.House), house) && Address.Same(Address.Flat(row.Flat), flat)
                && await LoadAsync(connection, row.Id, row.Number) is { } contract)
            {
                found.Add(contract);
            }
        }

        return found.Count == 0 ? new Error("publicpay.contract_not_found", "address") : Result<IReadOnlyList<PublicContract>>.Ok(found);
    }

    /// <summary>An opaque, time-limited reference to a found contract, for the next step of the page or the API.</summary>
    public string Protect(PublicContract contract, bool typed)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var expires = time.GetUtcNow().AddMinutes(options.Value.ChoiceMinutes).ToUnixTimeSeconds();
        return _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{contract.Id}|{(typed ? 1 : 0)}|{expires}"));
    }

    /// <summary>The contract behind a reference, if the reference is ours, not expired, and the contract still has an open account.</summary>
    public async Task<ChosenContract?> UnprotectAsync(string? reference, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reference) || reference.Length > 1000)
        {
            return null;
        }

        string text;
        try
        {
            text = _protector.Unprotect(reference);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = text.Split('|');
        if (parts.Length != 3
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || time.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(ct);
        var number = await connection.ExecuteScalarAsync<string?>("SELECT number FROM contracts WHERE id = @id", new { id });
        var contract = number is null ? null : await LoadAsync(connection, id, number);
        return contract is null ? null : new ChosenContract(contract, parts[1] == "1");
    }

    /// <summary>
    /// Starts the payment to the chosen account (the first open one when none is named) with the
    /// cabinet's own checks; bad input creates nothing.
    /// </summary>
    public async Task<Result<StartedPayment>> StartAsync(PublicContract contract, PublicPayInput input, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(input);
        var account = ChooseAccount(contract, input.Account);
        if (account is null)
        {
            return new Error("publicpay.account_not_found", "account");
        }

        // The contact is never filled from the subscriber's file: the payer gives their own.
        return await starter.StartAsync(
            contract.Id, account.Id, new TopUpInput(input.Amount, input.Method, input.Contact ?? "", input.Consent, SaveCard: false, input.Channel, input.Language),
            PaymentSource.Public, null, ct);
    }

    /// <summary>The account named by its masked number, or the first open one when none is named.</summary>
    public static PublicAccount? ChooseAccount(PublicContract contract, string? account)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (string.IsNullOrWhiteSpace(account))
        {
            return contract.Accounts.Count > 0 ? contract.Accounts[0] : null;
        }

        var wanted = account.Trim();
        return contract.Accounts.FirstOrDefault(a => a.Masked == wanted);
    }

    /// <summary>
    /// A number shown to someone who has not logged in: an account "100000000001-2" under its contract
    /// reads "1000****0001-2"; anything else keeps its first and last four characters.
    /// </summary>
    public static string Mask(string number, string? contractNumber = null)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (contractNumber is not null && ContractNumber.TryParse(contractNumber, out var contract)
            && number.StartsWith(contract.Value, StringComparison.Ordinal))
        {
            return contract.Masked + number[contract.Value.Length..];
        }

        return number.Length > 8 ? number[..4] + "****" + number[^4..] : "****" + number[^Math.Min(2, number.Length)..];
    }

    private static string LeadingDigits(string text) => new(text.TakeWhile(char.IsAsciiDigit).ToArray());

    private static async Task<PublicContract?> LoadAsync(System.Data.Common.DbConnection connection, long id, string number)
    {
        var accounts = (await connection.QueryAsync<(long Id, string Number)>(
            "SELECT id, number FROM accounts WHERE contract_id = @id AND status <> @terminated ORDER BY id",
            new { id, terminated = (int)AccountStatus.Terminated }))
            .Select(a => new PublicAccount(a.Id, Mask(a.Number, number)))
            .ToList();
        return accounts.Count == 0 ? null : new PublicContract(id, number, accounts);
    }

    /// <summary>Addresses as people type them: case, "ё", punctuation and the words "улица", "г.", "д.", "кв." do not matter.</summary>
    internal static class Address
    {
        private static readonly HashSet<string> Noise = new(StringComparer.OrdinalIgnoreCase)
        {
            "г", "город", "гор", "пос", "пгт", "с", "село",
            "ул", "улица", "пр", "пр-т", "пр-кт", "просп", "проспект", "пер", "переулок", "б-р", "бульвар", "ш", "шоссе",
            "пл", "площадь", "наб", "набережная", "мкр", "микрорайон", "проезд", "туп", "тупик",
            "д", "дом", "кв", "квартира",
        };

        public static string Place(string? text) => string.Join(' ', Words(text).Where(w => !Noise.Contains(w)));

        public static string House(string? text) => string.Concat(Words(text).Where(w => !Noise.Contains(w)));

        public static string Flat(string? text) => House(text);

        public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        private static string[] Words(string? text)
        {
            var clean = new StringBuilder((text ?? "").Length);
            foreach (var c in text ?? "")
            {
                clean.Append(c switch
                {
                    'ё' => 'е',
                    'Ё' => 'Е',
                    '.' or ',' or '"' or '«' or '»' or '\u00A0' or '\t' => ' ',
                    _ => c,
                });
            }

            return clean.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
    }
}
