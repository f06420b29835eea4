using System.Runtime.CompilerServices;

namespace PaymentGateway.Sdk.Internal;

/// <summary>Walks a cursor-paginated list lazily: the next page is fetched only when the caller has consumed the current one.</summary>
internal static class AutoPager
{
    /// <param name="fetchPage">Fetches one page for (starting_after, ending_before).</param>
    /// <param name="startingAfter">The first cursor; walks towards older objects.</param>
    /// <param name="endingBefore">When set (and <paramref name="startingAfter"/> is not), walks towards newer objects instead.</param>
    /// <param name="idOf">The id of an object, used as the next cursor.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    public static async IAsyncEnumerable<T> EnumerateAsync<T>(
        Func<string?, string?, CancellationToken, Task<Page<T>>> fetchPage,
        string? startingAfter,
        string? endingBefore,
        Func<T, string> idOf,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var backwards = startingAfter is null && endingBefore is not null;
        while (true)
        {
            var page = await fetchPage(startingAfter, endingBefore, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Data)
            {
                yield return item;
            }

            if (!page.HasMore || page.Data.Count == 0)
            {
                yield break;
            }

            if (backwards)
            {
                endingBefore = idOf(page.Data[0]);
            }
            else
            {
                startingAfter = idOf(page.Data[^1]);
            }
        }
    }
}
