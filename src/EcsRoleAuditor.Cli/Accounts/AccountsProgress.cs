using EcsRoleAuditor.Audit.Rules;
using EcsRoleAuditor.Pipeline;

namespace EcsRoleAuditor.Cli.Accounts;

/// <summary>
/// The progress of an audit of several accounts, one line on a terminal overwritten in place: accounts done out of
/// the total, and the findings so far. Only numbers are written, so nothing from AWS reaches the terminal through it.
/// </summary>
/// <param name="terminal">Standard error, written to only when it is a terminal (see <see cref="ForStandardError"/>).</param>
internal sealed class AccountsProgress(TextWriter terminal)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _regionsDone = new(StringComparer.Ordinal);
    private int _accounts;
    private int _regions;
    private int _accountsDone;
    private int _findings;

    /// <summary>A progress line on standard error when it is a terminal, else null (redirected: tests, CI, a log file).</summary>
    /// <param name="stderr">The command's standard error; progress is shown only when it is the process's own.</param>
    public static AccountsProgress? ForStandardError(TextWriter stderr) =>
        stderr is EscapingTextWriter { Inner: var inner } && ReferenceEquals(inner, Console.Error) && !Console.IsErrorRedirected
            ? new AccountsProgress(Console.Error)
            : null;

    public void Start(int accounts, int regions)
    {
        lock (_lock)
        {
            (_accounts, _regions) = (accounts, regions);
            Write();
        }
    }

    /// <summary>One account × region is done; its account is done with its last region.</summary>
    public void Done(AccountRegion unit, AuditOutcome outcome)
    {
        lock (_lock)
        {
            var done = _regionsDone[unit.AccountId] = _regionsDone.GetValueOrDefault(unit.AccountId) + 1;
            if (done == _regions)
            {
                _accountsDone++;
            }
            _findings += outcome.AllReports.Sum(r => r.ActiveFindings.Count());
            Write();
        }
    }

    /// <summary>Clears the line, so the summary lines that follow start on a clean one.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            terminal.Write("\r\u001b[K");
            terminal.Flush();
        }
    }

    private void Write()
    {
        terminal.Write($"\r\u001b[Kaccounts {_accountsDone}/{_accounts} done, {FindingFactory.Count(_findings, "finding")} so far");
        terminal.Flush();
    }
}
