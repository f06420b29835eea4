#!/usr/bin/env node
// A PaymentGateway client that no one on the .NET side wrote: Node's @grpc/grpc-js with @grpc/proto-loader, built
// only from the published .proto files in src/Gateway/PaymentGateway.Grpc/Protos. It drives a payment through its
// lifecycle, checks idempotent replay and a rich error, and exits non-zero on any mismatch.
//
// Usage: node client.js <grpc-address, e.g. 127.0.0.1:5081> <secret key sk_...> <publishable key pk_...>
'use strict';

const path = require('node:path');
const assert = require('node:assert/strict');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

const [address, secretKey, publishableKey] = process.argv.slice(2);
if (!address || !secretKey || !publishableKey) {
  console.error('usage: node client.js <host:port> <sk_...> <pk_...>');
  process.exit(2);
}

const protoRoot = path.resolve(__dirname, '../../src/Gateway/PaymentGateway.Grpc/Protos');
const definition = protoLoader.loadSync(path.join(protoRoot, 'payments/v1/payment_gateway_service.proto'), {
  includeDirs: [protoRoot],
  keepCase: true, // snake_case field names, as in the .proto files (and the REST API)
  longs: String, // int64 money amounts as decimal strings: no precision loss
  enums: String,
  defaults: false,
  oneofs: true,
});
const v1 = grpc.loadPackageDefinition(definition).payments.v1;
const client = new v1.PaymentGatewayService(address.replace(/^https?:\/\//, ''), grpc.credentials.createInsecure());

const rpcTypes = protobuf.loadSync(path.join(__dirname, 'google-rpc.proto'));
const Status = rpcTypes.lookupType('google.rpc.Status');
const ErrorInfo = rpcTypes.lookupType('google.rpc.ErrorInfo');

function call(method, request, key, idempotencyKey) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${key}`);
  if (idempotencyKey) metadata.set('idempotency-key', idempotencyKey);
  return new Promise((resolve, reject) => {
    let headers = new grpc.Metadata();
    const c = client[method](request, metadata, { deadline: Date.now() + 10000 }, (error, response) =>
      error ? reject(error) : resolve({ response, headers }));
    c.on('metadata', (m) => { headers = m; });
  });
}

function errorInfo(error) {
  const [bin] = error.metadata.get('grpc-status-details-bin');
  assert.ok(bin, 'the error carries google.rpc.Status details');
  const status = Status.decode(bin);
  const any = status.details.find((d) => d.type_url === 'type.googleapis.com/google.rpc.ErrorInfo' || d.typeUrl === 'type.googleapis.com/google.rpc.ErrorInfo');
  assert.ok(any, 'the status details hold an ErrorInfo');
  return ErrorInfo.decode(any.value);
}

async function main() {
  const year = new Date().getUTCFullYear() + 2;
  const { response: pmResponse } = await call('CreatePaymentMethod',
    { type: 'PAYMENT_METHOD_TYPE_CARD', card: { number: '4242424242424242', exp_month: 12, exp_year: year, cvc: '123' } }, publishableKey);
  const pm = pmResponse.payment_method;
  assert.match(pm.id, /^pm_/);
  assert.equal(pm.card.last4, '4242');
  assert.equal(pm.card.brand, 'visa');
  console.log(`payment method ${pm.id}: ${pm.card.brand} ending ${pm.card.last4}`);

  const orderKey = `node-order-${Date.now()}`;
  const create = { amount: '2500', currency: 'EUR', capture_method: 'CAPTURE_METHOD_MANUAL', payment_method: pm.id, confirm: true, metadata: { order_id: orderKey } };
  const { response: created, headers } = await call('CreatePayment', create, secretKey, orderKey);
  const payment = created.payment;
  assert.match(payment.id, /^pay_/);
  assert.equal(payment.status, 'PAYMENT_STATUS_REQUIRES_CAPTURE');
  assert.equal(payment.amount, '2500');
  assert.equal(payment.amount_capturable, '2500');
  assert.equal(payment.currency, 'EUR');
  assert.equal(payment.metadata.order_id, orderKey);
  assert.ok(payment.created && payment.created.seconds, 'created is a google.protobuf.Timestamp');
  assert.match(String(headers.get('request-id')[0]), /^req_/);
  console.log(`payment ${payment.id}: ${payment.status}`);

  const { response: replay, headers: replayHeaders } = await call('CreatePayment', create, secretKey, orderKey);
  assert.equal(replay.payment.id, payment.id, 'a replay returns the same payment');
  assert.equal(String(replayHeaders.get('idempotent-replayed')[0]), 'true');

  const { response: fetched } = await call('GetPayment', { id: payment.id }, secretKey);
  assert.equal(fetched.payment.id, payment.id);

  const { response: list } = await call('ListPayments', { limit: 10 }, secretKey);
  assert.ok(list.data.some((p) => p.id === payment.id), 'the new payment is listed');

  const { response: captured } = await call('CapturePayment', { id: payment.id, amount_to_capture: '2000' }, secretKey, `${orderKey}/capture`);
  assert.equal(captured.payment.status, 'PAYMENT_STATUS_SUCCEEDED');
  assert.equal(captured.payment.amount_received, '2000');

  const { response: refunded } = await call('CreateRefund', { payment: payment.id, amount: '500' }, secretKey, `${orderKey}/refund`);
  assert.equal(refunded.refund.status, 'REFUND_STATUS_SUCCEEDED');
  console.log(`refund ${refunded.refund.id}: ${refunded.refund.status}`);

  try {
    await call('GetPayment', { id: 'pay_doesnotexist' }, secretKey);
    assert.fail('an unknown payment must fail');
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    assert.equal(error.code, grpc.status.NOT_FOUND);
    const info = errorInfo(error);
    assert.equal(info.reason, 'resource_missing');
    assert.equal(info.domain, 'paymentgateway');
    assert.equal(info.metadata.http_status, '404');
  }

  try {
    await call('CapturePayment', { id: payment.id }, secretKey);
    assert.fail('capturing twice must fail');
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    assert.equal(error.code, grpc.status.ABORTED);
    assert.equal(errorInfo(error).reason, 'payment_state_conflict');
  }

  console.log('node grpc client: all checks passed');
}

main().then(
  () => { client.close(); process.exit(0); },
  (error) => { console.error(error); client.close(); process.exit(1); },
);
