using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Dapper;
using Kabinet.Data.Connections;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Kabinet.Web.Hosting;

/// <summary>The <c>Kabinet:DataProtection</c> section: the certificate that encrypts the key ring at rest.</summary>
public sealed class KeyProtectionOptions
{
    /// <summary>The section name.</summary>
    public const string Section = "Kabinet:DataProtection";

    /// <summary>A PKCS#12 (.pfx) file with the certificate and its private key; every instance needs the same file.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The file's password, if it has one.</summary>
    public string? CertificatePassword { get; set; }
}

/// <summary>
/// The data-protection keys (which sign logins and API tokens and encrypt PPPoE passwords) live in
/// the database; here they are encrypted there with a certificate the operator keeps outside it
/// (docs/decisions/0012). Demo mode makes its own certificate; production refuses to start without one.
/// </summary>
public static class KeyProtection
{
    /// <summary>The default file of demo mode, beside the SQLite file or in the working directory.</summary>
    public const string DemoFileName = "kabinet.keys.pfx";

    /// <summary>Registers data protection with the key ring in <c>app_keys</c>, encrypted with the certificate.</summary>
    public static void AddKabinetDataProtection(this IServiceCollection services, IConfiguration configuration, KabinetOptions options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = configuration.GetSection(KeyProtectionOptions.Section).Get<KeyProtectionOptions>() ?? new KeyProtectionOptions();
        var certificate = Certificate(settings, options, connectionString);
        services.AddSingleton(new KeyEncryptionCertificate(certificate));
        services.AddSingleton<KeyRingEncryption>();
        services.AddDataProtection().SetApplicationName("Kabinet").ProtectKeysWithCertificate(certificate);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseKeyRepository(sp.GetRequiredService<Database>())));
    }

    /// <summary>Makes a self-signed key-encryption certificate and writes it as a .pfx readable by its owner only.</summary>
    public static X509Certificate2 Create(string path, string? password, DateTimeOffset now)
    {
        using var rsa = RSA.Create(3072);
        var request = new CertificateRequest("CN=Kabinet data-protection key encryption", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        // Nothing checks its dates (it only wraps keys), but a date in the past would puzzle an operator.
        using var made = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(50));
        var bytes = made.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        using (var stream = new FileStream(path, file))
        {
            stream.Write(bytes);
        }

        return X509CertificateLoader.LoadPkcs12(bytes, password);
    }

    private static X509Certificate2 Certificate(KeyProtectionOptions settings, KabinetOptions options, string connectionString)
    {
        if (!string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            return Load(settings.CertificatePath, settings.CertificatePassword);
        }

        if (!options.DemoEnabled)
        {
            throw new StartupRefusedException(
                "Kabinet:DataProtection:CertificatePath is not set. The keys that sign logins and encrypt PPPoE passwords are stored in " +
                "the database encrypted with a certificate that you keep outside it. Create one with " +
                "`dotnet Kabinet.Web.dll keys-certificate --out /etc/kabinet/keys.pfx`, set Kabinet__DataProtection__CertificatePath " +
                "(and CertificatePassword if you gave one), give every instance the same file and keep a copy: without it the stored keys, " +
                "and with them the PPPoE passwords, cannot be read.");
        }

        var path = DemoPath(options, connectionString);
        try
        {
            return Create(path, null, TimeProvider.System.GetUtcNow());
        }
        catch (IOException) when (File.Exists(path))
        {
            // Made by an earlier start (or by another instance a moment ago): the same keys stay readable.
            return Load(path, null);
        }
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new StartupRefusedException(
                $"The key-encryption certificate '{path}' (Kabinet:DataProtection:CertificatePath) cannot be read: {e.Message} " +
                "Check the path, the file's permissions and Kabinet:DataProtection:CertificatePassword.", e);
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            throw new StartupRefusedException($"The key-encryption certificate '{path}' has no RSA private key: a .pfx with its key is needed.");
        }

        return certificate;
    }

    private static string DemoPath(KabinetOptions options, string connectionString)
    {
        if (options.DatabaseKind == DatabaseKind.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
            if (!string.IsNullOrEmpty(file) && !file.Equals(":memory:", StringComparison.OrdinalIgnoreCase))
            {
                return Path.ChangeExtension(Path.GetFullPath(file), null) + ".keys.pfx";
            }
        }

        return Path.GetFullPath(DemoFileName);
    }
}

/// <summary>The certificate the key ring is encrypted with, for the start-up check.</summary>
public sealed record KeyEncryptionCertificate(X509Certificate2 Certificate);

/// <summary>
/// At start, after the migrations and before anything uses a key (DatabaseStartup): keys written
/// before encryption existed (plain XML) are encrypted in place, and a key encrypted with another
/// certificate stops the start, because data protection would otherwise skip it silently and make a
/// new key: every login would end and every stored PPPoE password would become unreadable.
/// </summary>
public sealed class KeyRingEncryption(
    Database database, KeyEncryptionCertificate certificate, ILoggerFactory loggers, ILogger<KeyRingEncryption> logger)
{
    private static readonly XName RequiresEncryption = XName.Get("requiresEncryption", "http://schemas.asp.net/2015/03/dataProtection");
    private static readonly XName EncryptedSecret = XName.Get("encryptedSecret", "http://schemas.asp.net/2015/03/dataProtection");
    private static readonly XName DecryptorType = "decryptorType";

    /// <summary>Checks and encrypts the stored keys.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(long Id, string FriendlyName, string Xml)>("SELECT id, friendly_name, xml FROM app_keys ORDER BY id")).ToList();
        var encryptor = new CertificateXmlEncryptor(certificate.Certificate, loggers);
        var encrypted = 0;
        foreach (var row in rows)
        {
            var key = XElement.Parse(row.Xml);
            foreach (var thumbprint in Thumbprints(key))
            {
                if (!string.Equals(thumbprint, certificate.Certificate.Thumbprint, StringComparison.OrdinalIgnoreCase))
                {
                    throw new StartupRefusedException(
                        $"The data-protection key '{row.FriendlyName}' in app_keys is encrypted with the certificate {thumbprint}, but the configured " +
                        $"certificate (Kabinet:DataProtection:CertificatePath) is {certificate.Certificate.Thumbprint}. Start with the certificate " +
                        "the keys were made with; with another one every login would end and the stored PPPoE passwords could not be read.");
                }
            }

            if (!Encrypt(key, encryptor))
            {
                continue;
            }

            // Compare-and-set: another instance starting at the same moment may have done it already.
            encrypted += await connection.ExecuteAsync(
                "UPDATE app_keys SET xml = @xml WHERE id = @id AND xml = @old",
                new { xml = key.ToString(SaveOptions.DisableFormatting), id = row.Id, old = row.Xml });
        }

        if (encrypted > 0)
        {
            logger.LogWarning("Encrypted {Count} data-protection keys that were stored unencrypted in app_keys", encrypted);
        }
    }

    // What XmlKeyManager does to a new key when an encryptor is set: each element marked
    // requiresEncryption becomes an encryptedSecret that names its decryptor.
    private static bool Encrypt(XElement key, CertificateXmlEncryptor encryptor)
    {
        var secrets = key.Descendants().Where(e => string.Equals((string?)e.Attribute(RequiresEncryption), "true", StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var secret in secrets)
        {
            var info = encryptor.Encrypt(new XElement(secret));
            secret.ReplaceWith(new XElement(EncryptedSecret, new XAttribute(DecryptorType, info.DecryptorType.AssemblyQualifiedName!), info.EncryptedElement));
        }

        return secrets.Count > 0;
    }

    // The certificate travels in the EncryptedKey's KeyInfo (X509Data), so its thumbprint is known without decrypting.
    private static IEnumerable<string> Thumbprints(XElement key) =>
        key.Descendants()
            .Where(e => e.Name.LocalName == "X509Certificate")
            .Select(e => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(e.Value.Trim())).Thumbprint)
            .Distinct(StringComparer.OrdinalIgnoreCase);
}
