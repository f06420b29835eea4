using Grpc.Core;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using Payments.V1;

namespace PaymentGateway.Grpc;

/// <summary>
/// payments.v1.PaymentGatewayService: each method translates its message, calls the same application service as the
/// REST endpoint, and translates the result back. Authentication, idempotency and errors are the interceptor's.
/// </summary>
[RequiresKey(ApiKeyKind.Secret)]
public sealed class PaymentGatewayGrpcService(
    PaymentCreation creation,
    PaymentQueries payments,
    CardPayments cards,
    PaymentCancellation cancellation,
    RefundService refunds,
    PaymentMethodService paymentMethods,
    EventService events,
    CustomerService customers,
    CustomerPaymentMethods savedMethods) : PaymentGatewayService.PaymentGatewayServiceBase
{
    [Idempotent(ReservesId = true, FoldsPaymentAnswer = true)]
    public override async Task<CreatePaymentResponse> CreatePayment(Payments.V1.CreatePaymentRequest request, ServerCallContext context) =>
        new() { Payment = ProtoMapper.ToProto(await creation.CreateAsync(context.Caller(), ProtoMapper.ToCore(request), context.RecoverySeed(), context.CancellationToken).ConfigureAwait(false)) };

    public override async Task<GetPaymentResponse> GetPayment(GetPaymentRequest request, ServerCallContext context) =>
        new() { Payment = ProtoMapper.ToProto(await payments.GetAsync(context.Caller(), request.Id, context.CancellationToken).ConfigureAwait(false)) };

    public override async Task<ListPaymentsResponse> ListPayments(ListPaymentsRequest request, ServerCallContext context)
    {
        var page = await payments.ListAsync(context.Caller(), ProtoMapper.ToCore(request), context.CancellationToken).ConfigureAwait(false);
        return new ListPaymentsResponse { Data = { page.Data.Select(ProtoMapper.ToProto) }, HasMore = page.HasMore };
    }

    [Idempotent(FoldsPaymentAnswer = true)]
    public override async Task<ConfirmPaymentResponse> ConfirmPayment(Payments.V1.ConfirmPaymentRequest request, ServerCallContext context) =>
        new() { Payment = ProtoMapper.ToProto(await cards.ConfirmAsync(context.Caller(), request.Id, ProtoMapper.ToCore(request), context.CancellationToken).ConfigureAwait(false)) };

    [Idempotent]
    public override async Task<CapturePaymentResponse> CapturePayment(Payments.V1.CapturePaymentRequest request, ServerCallContext context) =>
        new() { Payment = ProtoMapper.ToProto(await cards.CaptureAsync(context.Caller(), request.Id, ProtoMapper.ToCore(request), context.CancellationToken).ConfigureAwait(false)) };

    [Idempotent]
    public override async Task<CancelPaymentResponse> CancelPayment(Payments.V1.CancelPaymentRequest request, ServerCallContext context) =>
        new() { Payment = ProtoMapper.ToProto(await cancellation.CancelAsync(context.Caller(), request.Id, ProtoMapper.ToCore(request), context.CancellationToken).ConfigureAwait(false)) };

    [Idempotent(ReservesId = true)]
    public override async Task<CreateRefundResponse> CreateRefund(Payments.V1.CreateRefundRequest request, ServerCallContext context) =>
        new() { Refund = ProtoMapper.ToProto(await refunds.CreateAsync(context.Caller(), ProtoMapper.ToCore(request), context.RecoverySeed(), context.CancellationToken).ConfigureAwait(false)) };

    public override async Task<GetRefundResponse> GetRefund(GetRefundRequest request, ServerCallContext context) =>
        new() { Refund = ProtoMapper.ToProto(await refunds.GetAsync(context.Caller(), request.Id, context.CancellationToken).ConfigureAwait(false)) };

    public override async Task<ListRefundsResponse> ListRefunds(ListRefundsRequest request, ServerCallContext context)
    {
        var query = ProtoMapper.ToCore(request);
        var payment = request.HasPayment && request.Payment.Length > 0 ? request.Payment : null;
        var page = await refunds.ListAsync(context.Caller(), payment, query, context.CancellationToken).ConfigureAwait(false);
        return new ListRefundsResponse { Data = { page.Data.Select(ProtoMapper.ToProto) }, HasMore = page.HasMore };
    }

    [RequiresKey(ApiKeyKind.Publishable)]
    [Idempotent(ReservesId = true)]
    public override async Task<CreatePaymentMethodResponse> CreatePaymentMethod(Payments.V1.CreatePaymentMethodRequest request, ServerCallContext context) =>
        new() { PaymentMethod = ProtoMapper.ToProto(await paymentMethods.CreateAsync(context.Caller(), ProtoMapper.ToCore(request), context.RecoverySeed(), context.CancellationToken).ConfigureAwait(false)) };

    public override async Task<GetPaymentMethodResponse> GetPaymentMethod(GetPaymentMethodRequest request, ServerCallContext context) =>
        new() { PaymentMethod = ProtoMapper.ToProto(await paymentMethods.GetAsync(context.Caller(), request.Id, context.CancellationToken).ConfigureAwait(false)) };

    public override async Task<GetEventResponse> GetEvent(GetEventRequest request, ServerCallContext context) =>
        new() { Event = ProtoMapper.ToProto(await events.GetAsync(context.Caller(), request.Id, context.CancellationToken).ConfigureAwait(false)) };

    public override async Task<ListEventsResponse> ListEvents(ListEventsRequest request, ServerCallContext context)
    {
        var page = await events.ListAsync(context.Caller(), ProtoMapper.ToCore(request), context.CancellationToken).ConfigureAwait(false);
        return new ListEventsResponse { Data = { page.Data.Select(ProtoMapper.ToProto) }, HasMore = page.HasMore };
    }

    [Idempotent(ReservesId = true)]
    public override async Task<CreateCustomerResponse> CreateCustomer(Payments.V1.CreateCustomerRequest request, ServerCallContext context) =>
        new() { Customer = CustomerProtoMapper.ToProto(await customers.CreateAsync(context.Caller(), CustomerProtoMapper.ToCore(request), context.RecoverySeed(), context.CancellationToken).ConfigureAwait(false)) };

    public override async Task<GetCustomerResponse> GetCustomer(GetCustomerRequest request, ServerCallContext context) =>
        new() { Customer = CustomerProtoMapper.ToProto(await customers.GetAsync(context.Caller(), request.Id, context.CancellationToken).ConfigureAwait(false)) };

    public override async Task<UpdateCustomerResponse> UpdateCustomer(Payments.V1.UpdateCustomerRequest request, ServerCallContext context) =>
        new() { Customer = CustomerProtoMapper.ToProto(await customers.UpdateAsync(context.Caller(), request.Id, CustomerProtoMapper.ToCore(request), context.CancellationToken).ConfigureAwait(false)) };

    public override async Task<DeleteCustomerResponse> DeleteCustomer(DeleteCustomerRequest request, ServerCallContext context) =>
        new() { Customer = CustomerProtoMapper.ToProto(await customers.DeleteAsync(context.Caller(), request.Id, context.CancellationToken).ConfigureAwait(false)) };

    public override async Task<ListCustomersResponse> ListCustomers(ListCustomersRequest request, ServerCallContext context)
    {
        var page = await customers.ListAsync(context.Caller(), CustomerProtoMapper.ToCore(request), context.CancellationToken).ConfigureAwait(false);
        return new ListCustomersResponse { Data = { page.Data.Select(CustomerProtoMapper.ToProto) }, HasMore = page.HasMore };
    }

    [Idempotent]
    public override async Task<AttachPaymentMethodResponse> AttachPaymentMethod(Payments.V1.AttachPaymentMethodRequest request, ServerCallContext context) =>
        new()
        {
            PaymentMethod = ProtoMapper.ToProto(await savedMethods.AttachAsync(context.Caller(), request.Customer,
                new Core.Api.AttachPaymentMethodRequest { PaymentMethod = request.HasPaymentMethod ? request.PaymentMethod : null }, context.CancellationToken).ConfigureAwait(false)),
        };

    public override async Task<DetachPaymentMethodResponse> DetachPaymentMethod(DetachPaymentMethodRequest request, ServerCallContext context) =>
        new() { PaymentMethod = ProtoMapper.ToProto(await savedMethods.DetachAsync(context.Caller(), request.Customer, request.PaymentMethod, context.CancellationToken).ConfigureAwait(false)) };

    public override async Task<ListCustomerPaymentMethodsResponse> ListCustomerPaymentMethods(ListCustomerPaymentMethodsRequest request, ServerCallContext context)
    {
        var page = await savedMethods.ListAsync(context.Caller(), request.Customer, CustomerProtoMapper.ToCore(request), context.CancellationToken).ConfigureAwait(false);
        return new ListCustomerPaymentMethodsResponse { Data = { page.Data.Select(ProtoMapper.ToProto) }, HasMore = page.HasMore };
    }

    public override async Task<UpdatePaymentMethodResponse> UpdatePaymentMethod(Payments.V1.UpdatePaymentMethodRequest request, ServerCallContext context) =>
        new() { PaymentMethod = ProtoMapper.ToProto(await savedMethods.UpdateAsync(context.Caller(), request.Id, CustomerProtoMapper.ToCore(request), context.CancellationToken).ConfigureAwait(false)) };
}
