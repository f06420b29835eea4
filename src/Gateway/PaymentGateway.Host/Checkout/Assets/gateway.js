/*! PaymentGateway browser SDK v1 - https://<your gateway>/js/v1/gateway.js - plain ES5, no build step.
 *  Gateway.init({ publishableKey }) -> gateway; gateway.mount(target) puts the hosted card fields (an iframe from the
 *  gateway origin) in your page; gateway.pay({ clientSecret }) pays a checkout session and resolves with the final
 *  payment state, after the 3-D Secure step if the bank asks for one. Your page never sees the card number.
 *  gateway.pay({ clientSecret, saveCard: true }) saves the card for the session's customer when the session offers it
 *  (save_card: "offer"; your page shows the choice); a session with save_card: "require" always saves it. */
(function (global) {
  'use strict';
  var script = document.currentScript;
  var DEFAULT_ORIGIN = script && script.src ? new URL(script.src).origin : null;

  function GatewayError(detail) {
    var error = new Error(detail.message || 'Payment failed.');
    error.name = 'GatewayError';
    error.type = detail.type || 'api_error';
    error.code = detail.code || 'api_error';
    error.decline_code = detail.decline_code || null;
    error.param = detail.param || null;
    error.payment = detail.payment || null;
    return error;
  }

  function init(options) {
    options = options || {};
    var publishableKey = options.publishableKey;
    if (typeof publishableKey !== 'string' || !/^pk_(test|live)_[A-Za-z0-9]+$/.test(publishableKey)) {
      throw GatewayError({ type: 'validation_error', code: 'api_key_invalid', message: 'Gateway.init needs { publishableKey: "pk_..." }; never use a secret key in a browser.' });
    }
    var origin = options.gatewayOrigin || DEFAULT_ORIGIN;
    if (!origin) { throw GatewayError({ type: 'validation_error', code: 'parameter_missing', message: 'Load gateway.js from your gateway or pass gatewayOrigin.' }); }
    origin = new URL(origin).origin;

    var frame = null;
    var fieldsUrl = null;
    var readyResolve = null;
    var ready = null;
    var pending = null;
    var challenged = false;

    function newReady() { ready = new Promise(function (resolve) { readyResolve = resolve; }); }

    function onMessage(event) {
      // Only our own frame, from the gateway origin.
      if (event.origin !== origin || !frame || event.source !== frame.contentWindow) { return; }
      var message = event.data || {};
      if (message.source !== 'paymentgateway') { return; }
      if (message.type === 'fields.ready') { readyResolve(); return; }
      if (message.type === 'pay.requires_action') { challenged = true; if (options.onRequiresAction) { options.onRequiresAction(message.payment); } return; }
      if (message.type === 'pay.result' && pending) {
        var settle = pending;
        pending = null;
        if (message.error) {
          if (challenged) { newReady(); frame.src = fieldsUrl; } // back to empty fields for another try
          challenged = false;
          settle.reject(GatewayError(message.error));
        } else {
          challenged = false;
          settle.resolve(message.payment);
        }
      }
    }

    global.addEventListener('message', onMessage);

    return {
      /** Mounts the hosted card fields into target (an element or a CSS selector). Resolves when they are ready. */
      mount: function (target, mountOptions) {
        var container = typeof target === 'string' ? document.querySelector(target) : target;
        if (!container) { throw GatewayError({ type: 'validation_error', code: 'parameter_invalid', message: 'mount: no element ' + target }); }
        if (frame) { frame.parentNode.removeChild(frame); }
        newReady();
        fieldsUrl = origin + '/checkout/fields?origin=' + encodeURIComponent(global.location.origin);
        frame = document.createElement('iframe');
        frame.src = fieldsUrl;
        frame.title = (mountOptions && mountOptions.title) || 'Secure card payment';
        frame.setAttribute('allow', 'payment');
        frame.style.border = '0';
        frame.style.width = '100%';
        frame.style.height = (mountOptions && mountOptions.height) || '21rem';
        container.appendChild(frame);
        return ready;
      },

      /** Pays the checkout session whose client secret is given (saveCard: the customer's "save this card" choice). Resolves with the payment; rejects with a GatewayError. */
      pay: function (payOptions) {
        var clientSecret = payOptions && payOptions.clientSecret;
        if (!frame) { return Promise.reject(GatewayError({ type: 'validation_error', code: 'not_mounted', message: 'Call mount() before pay().' })); }
        if (typeof clientSecret !== 'string' || !/^cs_[0-9a-z]+_secret_[A-Za-z0-9]+$/.test(clientSecret)) {
          return Promise.reject(GatewayError({ type: 'validation_error', code: 'checkout_client_secret_invalid', message: 'pay needs { clientSecret } from your server\'s checkout session.' }));
        }
        if (pending) { return Promise.reject(GatewayError({ type: 'invalid_request_error', code: 'payment_in_progress', message: 'A payment is already in progress.' })); }
        return ready.then(function () {
          return new Promise(function (resolve, reject) {
            pending = { resolve: resolve, reject: reject };
            frame.contentWindow.postMessage({ type: 'pay', clientSecret: clientSecret, publishableKey: publishableKey, saveCard: payOptions.saveCard === true }, origin);
          });
        });
      },

      /** Removes the card fields and stops listening. */
      destroy: function () {
        global.removeEventListener('message', onMessage);
        if (frame && frame.parentNode) { frame.parentNode.removeChild(frame); }
        frame = null;
      }
    };
  }

  global.Gateway = { init: init, version: '1' };
})(window);
