// A merchant's server written only against the generated types (generated/api.d.ts, made by openapi-typescript from
// the gateway's /openapi/v1.json) and openapi-fetch: tokenize a card, create and confirm a payment for manual capture,
// capture part of it, read it back. Run by OpenApiReferenceTests.GeneratedClient_MakesAPayment:
//   node build/client/pay.js <base url> <publishable key> <secret key>
import createClient from "openapi-fetch";
import type { components, paths } from "../generated/api.js";

type Payment = components["schemas"]["PaymentResource"];

const [baseUrl, publishableKey, secretKey] = process.argv.slice(2);
if (!baseUrl || !publishableKey || !secretKey) {
  throw new Error("usage: pay.js <base url> <publishable key> <secret key>");
}

const browser = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${publishableKey}` } });
const server = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${secretKey}` } });

const method = await browser.POST("/v1/payment_methods", {
  body: { type: "card", card: { number: "4242424242424242", exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: "123" } },
});
if (!method.data) throw new Error(`tokenize failed: ${JSON.stringify(method.error)}`);

const created = await server.POST("/v1/payments", {
  params: { header: { "Idempotency-Key": `generated-client-${method.data.id}` } },
  body: { amount: 2000, currency: "EUR", capture_method: "manual", payment_method: method.data.id, confirm: true, metadata: { order: "gen-1" } },
});
if (!created.data) throw new Error(`create failed: ${JSON.stringify(created.error)}`);
const authorized: Payment = created.data;

const captured = await server.POST("/v1/payments/{id}/capture", {
  params: { path: { id: authorized.id } },
  body: { amount_to_capture: 1500 },
});
if (!captured.data) throw new Error(`capture failed: ${JSON.stringify(captured.error)}`);

const read = await server.GET("/v1/payments/{id}", { params: { path: { id: authorized.id } } });
if (!read.data) throw new Error(`retrieve failed: ${JSON.stringify(read.error)}`);

const missing = await server.GET("/v1/payments/{id}", { params: { path: { id: "pay_does_not_exist" } } });
const missingCode: string | undefined = missing.error?.code;

console.log(JSON.stringify({
  id: read.data.id,
  authorized_status: authorized.status,
  status: read.data.status,
  amount_received: read.data.amount_received,
  currency: read.data.currency,
  missing_code: missingCode,
}));
