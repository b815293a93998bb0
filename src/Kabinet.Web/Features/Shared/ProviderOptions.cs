namespace Kabinet.Web.Features.Shared;

/// <summary>
/// The provider's legal and bank details printed on statements and receipts and carried by the
/// payment QR code (configuration section <c>Kabinet:Provider</c>). The defaults are a believable
/// demo company, not a real one.
/// </summary>
public sealed class ProviderOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Kabinet:Provider";

    /// <summary>The legal name.</summary>
    public string Name { get; set; } = "ООО «Кабинет Телеком»";

    /// <summary>ИНН (10 digits for a company).</summary>
    public string Inn { get; set; } = "5406123450";

    /// <summary>КПП.</summary>
    public string Kpp { get; set; } = "540601001";

    /// <summary>ОГРН.</summary>
    public string Ogrn { get; set; } = "1205400012345";

    /// <summary>The bank's name; at most 45 characters, as the payment QR code (GOST R 56042) allows.</summary>
    public string BankName { get; set; } = "АО «Сибирский демонстрационный банк»";

    /// <summary>Расчётный счёт.</summary>
    public string BankAccount { get; set; } = "40702810744050012345";

    /// <summary>Корреспондентский счёт of the bank.</summary>
    public string CorrespondentAccount { get; set; } = "30101813000000000999";

    /// <summary>БИК of the bank.</summary>
    public string Bik { get; set; } = "045004999";

    /// <summary>The legal address.</summary>
    public string Address { get; set; } = "630099, г. Новосибирск, ул. Советская, д. 18, офис 401";

    /// <summary>The support phone.</summary>
    public string Phone { get; set; } = "+7 (383) 200-00-00";

    /// <summary>The support e-mail.</summary>
    public string Email { get; set; } = "support@kabinet-telecom.example";
}
