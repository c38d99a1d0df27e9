using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EcsRoleAuditor.Policy.Evaluation.Conditions;

/// <summary>Parsers for the typed condition values (numbers, dates, booleans, base64 bytes, IP ranges); none of them throws.</summary>
internal static class ConditionValues
{
    private static readonly string[] IsoDateFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd",
        "yyyy-MM",
    ];

    /// <summary>Integers and decimals (<c>10</c>, <c>-1.5</c>); no exponents, no spaces, no thousands separators.</summary>
    public static bool TryParseNumber(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// A date as UTC ticks: the W3C profile of ISO 8601 (<c>2024-01-01</c>, <c>2024-01-01T10:00Z</c>,
    /// <c>2024-01-01T10:00:00.5+02:00</c>; a time without a zone is UTC) or epoch seconds (all digits).
    /// </summary>
    /// <remarks>All-digit text is epoch seconds, so the W3C year-only form (<c>2024</c>) is read as epoch seconds too.</remarks>
    public static bool TryParseDate(string text, out long utcTicks)
    {
        utcTicks = 0;
        if (text.Length == 0)
        {
            return false;
        }
        if (IsDigits(text))
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            {
                return false;
            }
            utcTicks = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcTicks;
            return true;
        }
        if (DateTimeOffset.TryParseExact(text, IsoDateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            utcTicks = date.UtcTicks;
            return true;
        }
        return false;
    }

    /// <summary><c>true</c> or <c>false</c>, in any case.</summary>
    public static bool TryParseBool(string text, out bool value)
    {
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }
        value = false;
        return text.Equals("false", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Decodes standard base64; false when the text is not base64.</summary>
    public static bool TryParseBase64(string text, out byte[] bytes)
    {
        var buffer = new byte[text.Length * 3 / 4 + 3];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            bytes = buffer.AsSpan(0, written).ToArray();
            return true;
        }
        bytes = [];
        return false;
    }

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>An IPv4 or IPv6 CIDR range; a bare address is a single-host range (/32 or /128).</summary>
/// <param name="Network">The address bits (IPv4 in the low 32 bits), with the host bits cleared.</param>
/// <param name="PrefixLength">The number of leading bits that must match.</param>
/// <param name="IsIPv6">The address family.</param>
internal readonly record struct IpRange(UInt128 Network, int PrefixLength, bool IsIPv6)
{
    /// <summary>Parses <c>203.0.113.0/24</c>, <c>2001:DB8::/32</c> or a bare address. Host bits after the prefix are ignored.</summary>
    public static bool TryParse(string text, out IpRange range)
    {
        range = default;
        var span = text.AsSpan();
        var slash = span.IndexOf('/');
        var addressText = slash < 0 ? span : span[..slash];
        if (!IpAddressBits.TryParse(addressText, out var bits, out var isIPv6))
        {
            return false;
        }
        var width = isIPv6 ? 128 : 32;
        var prefix = width;
        if (slash >= 0)
        {
            var prefixText = span[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > width)
            {
                return false;
            }
        }
        range = new IpRange(bits & Mask(prefix, width), prefix, isIPv6);
        return true;
    }

    /// <summary>True when the address (of the same family) lies in the range.</summary>
    public bool Contains(UInt128 address, bool isIPv6) =>
        isIPv6 == IsIPv6 && (address & Mask(PrefixLength, IsIPv6 ? 128 : 32)) == Network;

    private static UInt128 Mask(int prefix, int width) =>
        prefix == 0 ? UInt128.Zero : (UInt128.MaxValue << (128 - prefix)) >> (128 - width);
}

/// <summary>Parses a bare IP address into its bits.</summary>
internal static class IpAddressBits
{
    /// <summary>
    /// Strict dotted-quad IPv4 (the legacy forms <c>10</c> or <c>10.1</c> that <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/>
    /// accepts are rejected) or IPv6 without a zone.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out UInt128 bits, out bool isIPv6)
    {
        bits = UInt128.Zero;
        isIPv6 = text.Contains(':');
        if (isIPv6)
        {
            if (text.Contains('%') || !IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out _);
            foreach (var b in bytes)
            {
                bits = (bits << 8) | b;
            }
            return true;
        }

        var octets = 0;
        while (true)
        {
            var dot = text.IndexOf('.');
            var part = dot < 0 ? text : text[..dot];
            if (part.Length is 0 or > 3 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet) || octet > 255)
            {
                return false;
            }
            bits = (bits << 8) | (uint)octet;
            octets++;
            if (dot < 0)
            {
                return octets == 4;
            }
            text = text[(dot + 1)..];
        }
    }
}
