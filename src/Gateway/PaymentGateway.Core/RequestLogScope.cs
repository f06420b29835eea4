namespace PaymentGateway.Core;

/// <summary>
/// The log scope of a request or gRPC call: its <c>req_…</c> id, the one the client sees (REST <c>Request-Id</c>, gRPC
/// <c>request-id</c> metadata and error details). Every line logged while it runs carries it (<c>scope_request_id</c>
/// in the JSON logs).
/// </summary>
public sealed class RequestLogScope(string requestId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    /// <summary>A new request id (<c>req_…</c>): one per request or call.</summary>
    public static string NewRequestId() => "req_" + Ids.New("r")[2..];

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new("RequestId", requestId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "RequestId:" + requestId;
}
