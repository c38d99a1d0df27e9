using System.Buffers.Binary;

namespace EcsRoleAuditor.ManagedPolicies.Tests;

/// <summary>The file format: what is written is read back, and a damaged file is refused saying why.</summary>
public sealed class ManagedPolicyFormatTests
{
    private static readonly AwsManagedPolicyCorpusIdentity Identity = new("test-corpus", "1.2.3", new DateOnly(2026, 1, 2));

    private static readonly ManagedPolicyRecord[] Policies =
    [
        new("ZetaAccess", "/", "v3", """{"Version":"2012-10-17","Statement":[]}"""),
        new("AlphaRolePolicy", "/service-role/", "v12", """{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::ü/*"}]}"""),
    ];

    [Fact]
    public void Written_policies_read_back_by_ARN_with_the_identity()
    {
        var corpus = ManagedPolicyFormat.Read(ManagedPolicyFormat.Compress(ManagedPolicyFormat.WritePayload(Identity, Policies)));

        Assert.Equal(Identity, corpus.Identity);
        Assert.Equal(["arn:aws:iam::aws:policy/ZetaAccess", "arn:aws:iam::aws:policy/service-role/AlphaRolePolicy"], corpus.Arns);
        var alpha = corpus.Find("arn:aws:iam::aws:policy/service-role/AlphaRolePolicy");
        Assert.Equal(new AwsManagedPolicy("AlphaRolePolicy", "arn:aws:iam::aws:policy/service-role/AlphaRolePolicy", "/service-role/", "v12", Policies[1].DocumentJson, Identity), alpha);
    }

    [Fact]
    public void The_payload_does_not_depend_on_the_order_policies_are_given_in()
    {
        Assert.Equal(ManagedPolicyFormat.WritePayload(Identity, Policies), ManagedPolicyFormat.WritePayload(Identity, Policies.Reverse()));
    }

    [Fact]
    public void A_policy_listed_twice_is_refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => ManagedPolicyFormat.WritePayload(Identity, [.. Policies, Policies[0] with { VersionId = "v4" }]));
        Assert.Contains("listed twice", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, Func<byte[], byte[]>> Damages => new()
    {
        { "magic", f => { f[0] = (byte)'X'; return f; } },
        { "format version", f => { f[4] = 2; return f; } },
        { "reserved header bytes", f => { f[6] = 1; return f; } },
        { "does not have the length", f => { BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(8), BinaryPrimitives.ReadInt32LittleEndian(f.AsSpan(8)) - 1); return f; } },
        { "does not have the length", f => { BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(8), BinaryPrimitives.ReadInt32LittleEndian(f.AsSpan(8)) + 1); return f; } },
        { "out of range", f => { BinaryPrimitives.WriteInt32LittleEndian(f.AsSpan(8), int.MaxValue); return f; } },
        { "damaged", f => f[..^3] },
        { "magic", f => f[..5] },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_damaged_file_is_refused_saying_which_check_failed(string expected, Func<byte[], byte[]> damage)
    {
        var file = damage(ManagedPolicyFormat.Compress(ManagedPolicyFormat.WritePayload(Identity, Policies)));

        var error = Assert.Throws<InvalidDataException>(() => ManagedPolicyFormat.Read(file));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncation_and_byte_flip_of_the_payload_is_refused_or_read_never_crashes()
    {
        var payload = ManagedPolicyFormat.WritePayload(Identity, Policies);
        for (var i = 0; i < payload.Length; i++)
        {
            foreach (var changed in new[] { payload[..i], Flip(payload, i) })
            {
                try
                {
                    ManagedPolicyFormat.Read(ManagedPolicyFormat.Compress(changed));
                }
                catch (InvalidDataException)
                {
                    // refused: what a damaged file must do
                }
            }
        }
    }

    [Fact]
    public void Policies_out_of_ARN_order_in_a_payload_are_refused()
    {
        // Written in order, then the two policies swapped: a lookup by ordinal order would otherwise miss one.
        var first = ManagedPolicyFormat.WritePayload(Identity, [Policies[0]]);
        var second = ManagedPolicyFormat.WritePayload(Identity, [Policies[1]]);
        var header = ManagedPolicyFormat.WritePayload(Identity, []);
        var headerLength = header.Length;
        var swapped = header[..(headerLength - 4)].Concat(BitConverter.GetBytes(2)).Concat(second[headerLength..]).Concat(first[headerLength..]).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => ManagedPolicyFormat.Read(ManagedPolicyFormat.Compress(swapped)));
        Assert.Contains("unique and in order", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0xFF;
        return copy;
    }
}
