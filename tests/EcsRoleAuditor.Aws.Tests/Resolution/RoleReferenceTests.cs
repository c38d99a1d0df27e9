using EcsRoleAuditor.Audit.Model;
using EcsRoleAuditor.Aws.Resolution;

namespace EcsRoleAuditor.Aws.Tests.Resolution;

public sealed class RoleReferenceTests
{
    // Role ARNs are arn:PARTITION:iam::ACCOUNT:role/PATH/NAME, the same in every partition: IAM User Guide, "IAM identifiers"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns), "ARNs for Amazon Web
    // Services in China" (https://docs.amazonaws.cn/en_us/aws/latest/userguide/ARNs.html) and the GovCloud (US) User Guide's
    // "Amazon Resource Names (ARNs) in AWS GovCloud (US)" (https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-arns.html).
    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/service-role/web", "web", "111122223333")]
    [InlineData("arn:aws-cn:iam::444455556666:role/service-role/web", "web", "444455556666")]
    [InlineData("arn:aws-us-gov:iam::777788889999:role/web", "web", "777788889999")]
    public void A_role_arn_in_any_partition_names_its_role_and_account(string text, string name, string account)
    {
        var reference = RoleReference.Parse(text);

        Assert.NotNull(reference);
        Assert.Equal((text, name, text, account), (reference.Text, reference.Name, reference.Arn, reference.Account));
    }

    [Fact]
    public void A_bare_name_is_the_role_name_of_the_auditors_account()
    {
        Assert.Equal(new RoleReference("web", "web", null, null), RoleReference.Parse("web"));
    }

    [Theory]
    [InlineData("arn:aws-cn:iam::444455556666:user/web")]
    [InlineData("arn:aws-us-gov:sts::777788889999:assumed-role/web/session")]
    [InlineData("arn:aws:iam::111122223333:role/")]
    [InlineData("arn:aws:iam::111122223333")]
    [InlineData("service-role/web")]
    [InlineData("")]
    public void Anything_else_is_not_a_role_reference(string text)
    {
        Assert.Null(RoleReference.Parse(text));
    }

    [Theory]
    [InlineData("arn:aws-cn:iam::444455556666:role/web", null)]
    [InlineData("arn:aws-us-gov:iam::777788889999:role/web", "777788889999")]
    public void A_role_of_the_audited_account_is_read_in_any_partition(string text, string? auditedAccount)
    {
        Assert.True(RoleReference.TryRead(text, new IamRoleDirectoryOptions(auditedAccount), out var reference, out _));
        Assert.Equal("web", reference.Name);
    }

    [Fact]
    public void A_china_role_of_another_account_is_unreadable_not_read()
    {
        Assert.False(RoleReference.TryRead("arn:aws-cn:iam::444455556666:role/web", new IamRoleDirectoryOptions("111122223333"), out _, out var answer));
        Assert.IsType<RoleLookup.Unreadable>(answer);
    }
}
