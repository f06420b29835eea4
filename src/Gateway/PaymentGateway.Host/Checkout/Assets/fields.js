/* PaymentGateway hosted card fields (gateway origin), driven by gateway.js on the merchant page through postMessage. */
(function () {
  'use strict';
  var C = window.PaymentGatewayCard;
  var root = document.getElementById('fields');
  if (!root || !C) { return; }
  var parentOrigin = root.dataset.parentOrigin; // also this page's CSP frame-ancestors: the parent can only be this origin
  var busy = false;

  function post(message) {
    message.source = 'paymentgateway';
    window.parent.postMessage(message, parentOrigin);
  }

  function summary(payment) {
    return {
      id: payment.id, object: 'payment', status: payment.status, amount: payment.amount, currency: payment.currency,
      capture_method: payment.capture_method, last_payment_error: payment.last_payment_error || null
    };
  }

  function fail(error) {
    busy = false;
    C.showFormError(error.message);
    post({ type: 'pay.result', error: { type: error.type, code: error.code, decline_code: error.decline_code || null, message: error.message, param: error.param || null } });
  }

  function pay(message) {
    if (busy) { post({ type: 'pay.result', error: { type: 'invalid_request_error', code: 'payment_in_progress', decline_code: null, message: 'A payment is already in progress.' } }); return; }
    var sessionId = C.sessionIdFromSecret(message.clientSecret);
    if (!sessionId) { fail({ type: 'validation_error', code: 'checkout_client_secret_invalid', message: 'clientSecret is not a checkout session client secret.' }); return; }
    if (!/^pk_(test|live)_[A-Za-z0-9]+$/.test(message.publishableKey || '')) { fail({ type: 'validation_error', code: 'api_key_invalid', message: 'Gateway.init needs a publishable key (pk_...).' }); return; }
    var input = C.read();
    if (input.errors.length) {
      C.showErrors(input.errors);
      var first = input.errors[0];
      fail({ type: 'validation_error', code: first.code, message: first.message, param: first.field });
      return;
    }
    C.clearErrors();
    busy = true;
    C.announce('Processing payment…');
    C.postJson('/v1/payment_methods', { type: 'card', card: input.card, holder_name: input.holderName }, { 'Authorization': 'Bearer ' + message.publishableKey })
      .then(function (method) {
        return C.postJson('/checkout/' + encodeURIComponent(sessionId) + '/pay',
          { client_secret: message.clientSecret, payment_method: method.id, embed_origin: parentOrigin, save_card: message.saveCard === true });
      })
      .then(function (payment) {
        if (payment.status === 'requires_action' && payment.next_action && payment.next_action.redirect_to_url) {
          post({ type: 'pay.requires_action', payment: summary(payment) });
          window.location.assign(payment.next_action.redirect_to_url.url);
          return;
        }
        busy = false;
        C.announce('Payment ' + payment.status + '.');
        post({ type: 'pay.result', payment: summary(payment) });
      }, fail);
  }

  window.addEventListener('message', function (event) {
    // Only the embedding page, and only from the origin this frame was created for.
    if (event.origin !== parentOrigin || event.source !== window.parent) { return; }
    var message = event.data;
    if (message && message.type === 'pay') { pay(message); }
  });

  C.formatInputs();
  document.getElementById('fields-form').addEventListener('submit', function (event) { event.preventDefault(); });
  post({ type: 'fields.ready' });
})();
