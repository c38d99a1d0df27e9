using EcsRoleAuditor.Aws.Resolution;
using EcsRoleAuditor.Cli.Accounts;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.Cli.Tests;

/// <summary>The progress line of an audit of several accounts, as a terminal would receive it.</summary>
public sealed class AccountsProgressTests
{
    private static AuditOutcome Unreachable(AccountRegion unit) =>
        new([], [new UnfinishedAudit(unit.ToString(), "the reader role could not be assumed (AccessDenied)", IsStep: true)], new ApiCallCounter(), null);

    [Fact]
    public void An_account_is_done_with_its_last_region_and_the_line_is_rewritten_in_place_then_cleared()
    {
        using var terminal = new StringWriter();
        var progress = new AccountsProgress(terminal);
        AccountRegion[] units = [new("111122223333", "eu-west-1"), new("444455556666", "eu-west-1"), new("111122223333", "us-east-1")];

        progress.Start(accounts: 2, regions: 2);
        foreach (var unit in units)
        {
            progress.Done(unit, Unreachable(unit));
        }
        progress.Finish();

        Assert.Equal(
            "\r\u001b[Kaccounts 0/2 done, 0 findings so far"
            + "\r\u001b[Kaccounts 0/2 done, 1 finding so far"
            + "\r\u001b[Kaccounts 0/2 done, 2 findings so far"
            + "\r\u001b[Kaccounts 1/2 done, 3 findings so far"
            + "\r\u001b[K",
            terminal.ToString());
    }

    [Fact]
    public void A_standard_error_that_is_not_the_terminal_gets_no_progress()
    {
        using var captured = new StringWriter();

        Assert.Null(AccountsProgress.ForStandardError(new EscapingTextWriter(captured)));
        Assert.Null(AccountsProgress.ForStandardError(captured));
    }
}
