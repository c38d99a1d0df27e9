using System.Security.Cryptography;
using System.Text;

namespace EcsRoleAuditor.FakeAws;

/// <summary>Identifiers shaped like AWS's, derived deterministically so repeated runs give the same ids.</summary>
internal static class FakeIds
{
    /// <summary>The creation date given to entities that do not state one.</summary>
    public static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>A 21-character id with IAM's 4-letter prefix (AROA roles, ANPA policies, AIDA users).</summary>
    public static string Make(string prefix, string seed) => prefix + Encode(SHA256.HashData(Encoding.UTF8.GetBytes(seed)), 17);

    /// <summary>A random id of <paramref name="length"/> characters from IAM's alphabet.</summary>
    public static string Random(string prefix, int length) => prefix + Encode(RandomNumberGenerator.GetBytes(length), length);

    private static string Encode(byte[] bytes, int length)
    {
        var text = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            text.Append(Alphabet[bytes[i % bytes.Length] % Alphabet.Length]);
        }
        return text.ToString();
    }
}
