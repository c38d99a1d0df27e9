using EcsRoleAuditor.Lambda.Observability;

namespace EcsRoleAuditor.Lambda.Tests.Observability;

public sealed class ProcessStatTests
{
    [Fact]
    public void Minor_faults_are_field_10_counted_after_the_command_name_even_when_it_holds_spaces_and_parentheses()
    {
        const string stat = "4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 1234 0 7 0 3 1 0 0 20 0 9 0 100 123456 789";

        Assert.Equal(1234, ProcessStat.MinorPageFaults(stat));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 (bootstrap")]
    [InlineData("4242 (bootstrap) S 1 2")]
    [InlineData("4242 (bootstrap) S 1 4242 4242 0 -1 4194560 many 0")]
    public void A_line_of_another_shape_gives_no_count(string stat) => Assert.Null(ProcessStat.MinorPageFaults(stat));

    [Fact]
    public void This_process_has_taken_page_faults() => Assert.True(ProcessStat.MinorPageFaults() > 0);
}
