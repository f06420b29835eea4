/* PaymentGateway hosted checkout page (gateway origin). No inline script: CSP script-src 'self'. */
(function () {
  'use strict';
  var C = window.PaymentGatewayCard;
  var root = document.getElementById('checkout');
  if (!root || !C) { return; }
  var d = root.dataset;
  var parents = JSON.parse(d.parentOrigins || '[]');
  var framed = window.self !== window.top;

  // postMessage only to the session's allowed origins, each named explicitly (never '*'): the browser delivers a
  // message only if the parent really is that origin.
  function post(message) {
    if (!framed) { return; }
    message.source = 'paymentgateway';
    message.session = d.session;
    parents.forEach(function (origin) { window.parent.postMessage(message, origin); });
  }

  window.addEventListener('message', function (event) {
    if (parents.indexOf(event.origin) < 0 || event.source !== window.parent) { return; }
    if (event.data && event.data.type === 'checkout.ping') { post({ type: 'checkout.ready', state: d.state }); }
  });

  // Amounts in the customer's locale, with the currency table's exponent.
  var exponent = parseInt(d.exponent, 10);
  if (window.Intl && Intl.NumberFormat) {
    try {
      var format = new Intl.NumberFormat(navigator.language || 'en', { style: 'currency', currency: d.currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent });
      Array.prototype.forEach.call(document.querySelectorAll('.amount[data-minor]'), function (node) {
        node.textContent = format.format(parseInt(node.getAttribute('data-minor'), 10) / Math.pow(10, exponent));
      });
    } catch (e) { /* keep the server's rendering */ }
  }

  if (d.mode === 'fields') {
    // Back from the bank's challenge inside the hosted card fields: report to the SDK and stop.
    var failed = d.paymentStatus === 'failed' || d.paymentStatus === 'canceled';
    var box = document.getElementById('form-error');
    post({
      type: 'pay.result',
      payment: { id: d.payment, object: 'payment', status: d.paymentStatus },
      error: failed ? { type: 'card_error', code: 'card_declined', decline_code: null, message: box && box.textContent ? box.textContent : 'The payment was not authenticated.' } : null
    });
    return;
  }

  function complete() {
    C.announce('Payment received.');
    if (framed) {
      post({ type: 'checkout.completed', payment: d.payment, redirect_url: d.successUrl });
    } else {
      window.location.assign(d.successUrl);
    }
  }

  if (d.state === 'complete') { complete(); return; }
  if (d.state === 'expired') { post({ type: 'checkout.expired' }); return; }

  var form = document.getElementById('pay-form');
  var button = document.getElementById('pay-button');
  var cancel = document.getElementById('cancel-link');
  C.formatInputs();
  if (cancel) {
    cancel.addEventListener('click', function (event) {
      if (framed) { event.preventDefault(); post({ type: 'checkout.canceled', cancel_url: d.cancelUrl }); }
    });
  }

  if (d.paymentStatus === 'failed' || d.paymentStatus === 'canceled') {
    post({ type: 'checkout.payment_failed', payment: d.payment });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var input = C.read();
    if (input.errors.length) { C.showErrors(input.errors); return; }
    C.clearErrors();
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    C.announce('Processing payment…');
    var save = document.getElementById('save-card');
    C.postJson('/checkout/' + encodeURIComponent(d.session) + '/pay',
      { card: input.card, holder_name: input.holderName, save_card: save ? save.checked : null }, { 'X-Checkout-Token': d.token })
      .then(function (payment) {
        d.payment = payment.id;
        if (payment.status === 'requires_action' && payment.next_action && payment.next_action.redirect_to_url) {
          C.announce('Your bank asks you to confirm the payment.');
          post({ type: 'checkout.requires_action', payment: payment.id });
          window.location.assign(payment.next_action.redirect_to_url.url);
        } else if (payment.status === 'succeeded' || payment.status === 'requires_capture') {
          complete();
        } else {
          C.announce('The payment is processing.');
          window.setTimeout(function () { window.location.reload(); }, 2000);
        }
      }, function (error) {
        button.disabled = false;
        button.removeAttribute('aria-busy');
        document.getElementById('card-cvc').value = '';
        var message = error.type === 'card_error'
          ? 'Your card was declined' + (error.decline_code ? ' (' + error.decline_code.replace(/_/g, ' ') + ')' : '') + '. Check the details or try another card.'
          : error.message;
        C.showFormError(message);
        C.announce(message);
        post({ type: 'checkout.payment_failed', error: { type: error.type, code: error.code, decline_code: error.decline_code } });
        if (error.code === 'checkout_session_expired' || error.code === 'checkout_session_not_open') { window.location.reload(); return; }
        document.getElementById('card-number').focus();
      });
  });

  post({ type: 'checkout.ready', state: d.state });
})();
