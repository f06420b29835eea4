using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>
/// Statement import for bank-transfer reconciliation: <c>/v1/bank_statements</c> (secret key). Reach it through
/// <see cref="PaymentGatewayClient.BankStatements"/>. REST only: over <see cref="PaymentGatewayTransport.Grpc"/> its
/// methods throw <see cref="NotSupportedException"/> without sending anything.
/// </summary>
public class BankStatementsOperations
{
    private readonly IGatewayTransport? _transport;

    /// <summary>For mocking only: a derived mock overrides the virtual methods.</summary>
    protected BankStatementsOperations()
    {
    }

    internal BankStatementsOperations(IGatewayTransport transport) => _transport = transport;

    private IGatewayTransport Transport => _transport ?? throw new InvalidOperationException("This instance was created for mocking and has no transport.");

    /// <summary>
    /// Imports an ISO 20022 camt.053 statement (<c>POST /v1/bank_statements</c>, <c>Content-Type: application/xml</c>)
    /// and matches its credits to open bank-transfer payments. The stream is sent as it is read (never buffered whole),
    /// from its current position, and is not disposed.
    /// </summary>
    /// <remarks>
    /// Not retried automatically (a stream cannot be sent twice); importing the same statement again is safe: it
    /// returns the stored statement with <see cref="BankStatement.Duplicate"/> set and changes nothing.
    /// </remarks>
    /// <param name="statement">The camt.053 XML.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The statement with the entries this import created and their statuses.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.StatementInvalid"/>, 413 <see cref="ErrorCode.StatementTooLarge"/> or 422 <see cref="ErrorCode.StatementUnsupported"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: statements are REST only.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
        Justification = "Stream and string overloads cannot be confused; both take the same optional options as every operation.")]
    public virtual Task<BankStatement> ImportAsync(Stream statement, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return Transport.ImportBankStatementAsync(new XmlStreamContent(statement), requestOptions, cancellationToken);
    }

    /// <summary>Imports a camt.053 statement given as a string (<c>POST /v1/bank_statements</c>); sent as UTF-8.</summary>
    /// <param name="statementXml">The camt.053 XML.</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The statement with the entries this import created and their statuses.</returns>
    /// <exception cref="PaymentGatewayException">For example 400 <see cref="ErrorCode.StatementInvalid"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: statements are REST only.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters",
        Justification = "Stream and string overloads cannot be confused; both take the same optional options as every operation.")]
    public virtual Task<BankStatement> ImportAsync(string statementXml, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(statementXml);
        var content = new StringContent(statementXml, System.Text.Encoding.UTF8, "application/xml");
        return Transport.ImportBankStatementAsync(content, requestOptions, cancellationToken);
    }

    /// <summary>Retrieves an imported statement with its entries (<c>GET /v1/bank_statements/{id}</c>); the counts reflect manual matches.</summary>
    /// <param name="id">The statement id (<c>bst_…</c>).</param>
    /// <param name="requestOptions">Per-call API key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The statement.</returns>
    /// <exception cref="PaymentGatewayException">For example HTTP 404 <see cref="ErrorCode.ResourceMissing"/>.</exception>
    /// <exception cref="NotSupportedException">The client uses the gRPC transport: statements are REST only.</exception>
    public virtual Task<BankStatement> GetAsync(string id, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Transport.GetBankStatementAsync(id, requestOptions, cancellationToken);
    }
}
