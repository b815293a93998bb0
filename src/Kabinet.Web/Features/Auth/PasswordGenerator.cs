using System.Security.Cryptography;

namespace Kabinet.Web.Features.Auth;

/// <summary>
/// Random first passwords, printed on the contract sheet or shown to staff once. The alphabet
/// leaves out characters people misread on paper (0/O, 1/l/I).
/// </summary>
public static class PasswordGenerator
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A new password of the given length from a cryptographic source.</summary>
    public static string New(int length = 10) => RandomNumberGenerator.GetString(Alphabet, length);
}
