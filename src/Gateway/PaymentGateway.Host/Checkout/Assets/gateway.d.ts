// Type declarations for the PaymentGateway browser SDK v1 (served at /js/v1/gateway.d.ts).

export interface GatewayInitOptions {
  /** The merchant's publishable key (pk_test_… / pk_live_…). Never a secret key. */
  publishableKey: string;
  /** The gateway's origin. Defaults to the origin gateway.js was loaded from. */
  gatewayOrigin?: string;
  /** Called when the bank asks for 3-D Secure; the challenge then runs inside the card fields frame. */
  onRequiresAction?: (payment: GatewayPayment) => void;
}

export interface GatewayMountOptions {
  /** The iframe's accessible title. Default "Secure card payment". */
  title?: string;
  /** CSS height of the iframe. Default "21rem". */
  height?: string;
}

export interface GatewayPayOptions {
  /** The checkout session's client_secret (cs_…_secret_…), created by your server with POST /v1/checkout/sessions. */
  clientSecret: string;
  /**
   * The customer's "save this card" choice, for a session created with a customer and save_card "offer" (show the
   * choice on your page). Ignored otherwise; a session with save_card "require" always saves the card.
   */
  saveCard?: boolean;
}

export type PaymentStatus =
  | "requires_payment_method" | "requires_confirmation" | "requires_action" | "processing"
  | "requires_capture" | "succeeded" | "canceled" | "failed";

export interface GatewayPayment {
  id: string;
  object: "payment";
  status: PaymentStatus;
  amount?: number;
  currency?: string;
  capture_method?: "automatic" | "manual";
  last_payment_error?: { code: string; decline_code?: string | null; message: string } | null;
}

export type GatewayErrorType = "card_error" | "validation_error" | "invalid_request_error" | "network_error" | "api_error";

export interface GatewayError extends Error {
  name: "GatewayError";
  type: GatewayErrorType;
  /** A stable code, as in the REST API (card_declined, card_number_invalid, checkout_session_expired, …). */
  code: string;
  /** For card_error: why the bank declined (insufficient_funds, generic_decline, …). */
  decline_code: string | null;
  /** The input at fault, for validation errors. */
  param: string | null;
  payment: GatewayPayment | null;
}

export interface GatewayInstance {
  /** Mounts the hosted card fields (an iframe from the gateway origin) into target. Resolves when ready. */
  mount(target: string | HTMLElement, options?: GatewayMountOptions): Promise<void>;
  /** Pays the session. Resolves with the final payment (succeeded or requires_capture); rejects with a GatewayError. */
  pay(options: GatewayPayOptions): Promise<GatewayPayment>;
  /** Removes the card fields and stops listening for their messages. */
  destroy(): void;
}

export interface GatewayStatic {
  init(options: GatewayInitOptions): GatewayInstance;
  readonly version: "1";
}

declare global {
  interface Window {
    Gateway: GatewayStatic;
  }
  const Gateway: GatewayStatic;
}
