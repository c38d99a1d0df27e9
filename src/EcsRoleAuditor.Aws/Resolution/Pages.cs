using System.Runtime.CompilerServices;
using Amazon.Runtime;
using EcsRoleAuditor.Aws.Api;

namespace EcsRoleAuditor.Aws.Resolution;

/// <summary>Follows a paginated operation's markers from the first page to the last.</summary>
public static class Pages
{
    /// <summary>
    /// Every page of <paramref name="operation"/>, read with <paramref name="read"/> (given the marker, null for the first
    /// page) until a page has no next marker. Errors of <paramref name="read"/> pass through. A server that hands out a
    /// marker it handed out before would keep us reading forever: that ends the reading with an
    /// <see cref="AmazonClientException"/> naming the operation (an AWS error to <see cref="AwsFailure"/>).
    /// </summary>
    public static IAsyncEnumerable<TPage> ReadAllAsync<TPage>(
        AwsOperation operation, Func<string?, CancellationToken, Task<TPage>> read, CancellationToken cancellationToken)
        where TPage : IPage =>
        ReadAllAsync(operation, read, int.MaxValue, cancellationToken);

    /// <summary>
    /// As <see cref="ReadAllAsync{TPage}(AwsOperation, Func{string?, CancellationToken, Task{TPage}}, CancellationToken)"/>,
    /// reading at most <paramref name="maxPages"/> pages: a list that still has a next marker after them ends with an
    /// <see cref="AmazonClientException"/> naming the operation and the bound, for lists that can hand out empty pages
    /// with fresh markers (Organizations says it may) or that are larger than anything the caller should walk.
    /// </summary>
    public static async IAsyncEnumerable<TPage> ReadAllAsync<TPage>(
        AwsOperation operation, Func<string?, CancellationToken, Task<TPage>> read, int maxPages, [EnumeratorCancellation] CancellationToken cancellationToken)
        where TPage : IPage
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(read);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPages, 1);
        if (!operation.Paginated)
        {
            throw new ArgumentException($"{operation} has no pages.", nameof(operation));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? marker = null;
        var pages = 0;
        do
        {
            var page = await read(marker, cancellationToken).ConfigureAwait(false);
            pages++;
            yield return page;
            marker = page.NextMarker;
            if (marker is not null && !seen.Add(marker))
            {
                throw new AmazonClientException($"{operation} answered with a page marker it had already given; following it would never end");
            }
            if (marker is not null && pages >= maxPages)
            {
                throw new AmazonClientException($"{operation} still had more after {maxPages:N0} pages; reading stopped there");
            }
        }
        while (marker is not null);
    }
}
