using System.Globalization;
using System.Text;

namespace EcsRoleAuditor.FakeAws.Wire;

/// <summary>Marker/nextToken pagination shared by the IAM and ECS list operations: opaque tokens holding an offset.</summary>
internal static class Paging
{
    /// <summary>One page of <paramref name="items"/> from <paramref name="token"/>, and the token of the next page (null on the last).</summary>
    public static (IReadOnlyList<T> Page, string? Next) Slice<T>(IReadOnlyList<T> items, string? token, int pageSize, ServiceErrors errors)
    {
        var offset = token is null ? 0 : Offset(token) ?? throw errors.Validation("Invalid pagination token");
        if (offset > items.Count)
        {
            throw errors.Validation("Invalid pagination token");
        }
        var count = Math.Min(pageSize, items.Count - offset);
        var page = new T[count];
        for (var i = 0; i < count; i++)
        {
            page[i] = items[offset + i];
        }
        var next = offset + count < items.Count ? Token(offset + count) : null;
        return (page, next);
    }

    /// <summary>The page size: the caller's limit, capped by the server's (real services may also return fewer).</summary>
    public static int Size(int? requested, int serviceDefault, int? serverCap) => Math.Min(requested ?? serviceDefault, serverCap ?? int.MaxValue);

    private static string Token(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"fake-aws/offset/{offset.ToString(CultureInfo.InvariantCulture)}"));

    private static int? Offset(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            const string Prefix = "fake-aws/offset/";
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                    ? offset
                    : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
