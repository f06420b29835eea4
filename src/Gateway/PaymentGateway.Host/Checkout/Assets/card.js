/* PaymentGateway hosted card fields: shared input handling and validation (gateway origin only). */
(function () {
  'use strict';

  function digits(value) { return (value || '').replace(/[\s-]/g, ''); }

  function luhn(number) {
    var sum = 0;
    for (var i = 0; i < number.length; i++) {
      var d = number.charCodeAt(number.length - 1 - i) - 48;
      if (i % 2 === 1) { d *= 2; if (d > 9) { d -= 9; } }
      sum += d;
    }
    return sum % 10 === 0;
  }

  function parseExpiry(value) {
    var m = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(value || '');
    if (!m) { return null; }
    var month = parseInt(m[1], 10);
    var year = parseInt(m[2], 10);
    if (year < 100) { year += 2000; }
    if (month < 1 || month > 12) { return null; }
    return { month: month, year: year };
  }

  function el(id) { return document.getElementById(id); }

  /** Reads and validates the card inputs. Errors carry a stable code, like the API's. */
  function read() {
    var errors = [];
    var number = digits(el('card-number').value);
    if (!/^\d{12,19}$/.test(number) || !luhn(number)) {
      errors.push({ field: 'card-number', code: 'card_number_invalid', message: 'Enter a valid card number.' });
    }
    var expiry = parseExpiry(el('card-expiry').value);
    var now = new Date();
    if (!expiry) {
      errors.push({ field: 'card-expiry', code: 'parameter_invalid', message: 'Enter the expiry date as MM/YY.' });
    } else if (expiry.year < now.getFullYear() || (expiry.year === now.getFullYear() && expiry.month < now.getMonth() + 1)) {
      errors.push({ field: 'card-expiry', code: 'card_expired', message: 'This card has expired.' });
    }
    var cvc = digits(el('card-cvc').value);
    if (!/^\d{3,4}$/.test(cvc)) {
      errors.push({ field: 'card-cvc', code: 'cvc_invalid', message: 'Enter the 3 or 4 digit security code.' });
    }
    var holder = el('cardholder') ? el('cardholder').value.trim() : '';
    return {
      errors: errors,
      card: errors.length ? null : { number: number, exp_month: expiry.month, exp_year: expiry.year, cvc: cvc },
      holderName: holder || null
    };
  }

  function clearErrors() {
    ['card-number', 'card-expiry', 'card-cvc'].forEach(function (id) {
      el(id).removeAttribute('aria-invalid');
      el(id + '-error').textContent = '';
    });
    showFormError(null);
  }

  function showErrors(errors) {
    clearErrors();
    errors.forEach(function (e) {
      el(e.field).setAttribute('aria-invalid', 'true');
      el(e.field + '-error').textContent = e.message;
    });
    if (errors.length) {
      showFormError(errors.map(function (e) { return e.message; }).join(' '));
      el(errors[0].field).focus();
    }
  }

  function showFormError(message) {
    var box = el('form-error');
    if (!box) { return; }
    if (message) { box.textContent = message; box.hidden = false; } else { box.textContent = ''; box.hidden = true; }
  }

  function announce(message) { var s = el('status'); if (s) { s.textContent = message; } }

  /** A problem+json body (or a network failure) as the SDK's error object. */
  function toError(problem, status) {
    problem = problem || {};
    var type = status === 402 ? 'card_error' : (status === 400 || status === 409 || status === 410) ? 'invalid_request_error' : status === 0 ? 'network_error' : 'api_error';
    return {
      type: type,
      code: problem.code || (status === 0 ? 'network_error' : 'api_error'),
      decline_code: problem.decline_code || null,
      message: problem.detail || (status === 0 ? 'Could not reach the payment gateway. Check your connection and try again.' : 'The payment could not be completed.'),
      param: problem.param || null,
      payment: problem.payment || null
    };
  }

  /** POSTs JSON on the gateway origin; resolves with the body, rejects with an error object. */
  function postJson(url, body, headers) {
    var h = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    Object.keys(headers || {}).forEach(function (k) { h[k] = headers[k]; });
    return fetch(url, { method: 'POST', headers: h, body: JSON.stringify(body), credentials: 'same-origin', cache: 'no-store', redirect: 'error' })
      .then(function (res) {
        return res.json().catch(function () { return null; }).then(function (json) {
          if (!res.ok) { throw toError(json, res.status); }
          return json;
        });
      }, function () { throw toError(null, 0); });
  }

  function formatInputs() {
    var number = el('card-number');
    number.addEventListener('input', function () {
      var d = digits(number.value).replace(/\D/g, '').slice(0, 19);
      number.value = d.replace(/(\d{4})(?=\d)/g, '$1 ');
    });
    var expiry = el('card-expiry');
    expiry.addEventListener('input', function (e) {
      var d = expiry.value.replace(/\D/g, '').slice(0, 4);
      if (e.inputType && e.inputType.indexOf('delete') === 0) { return; }
      expiry.value = d.length >= 2 ? d.slice(0, 2) + '/' + d.slice(2) : d;
    });
    var cvc = el('card-cvc');
    cvc.addEventListener('input', function () { cvc.value = cvc.value.replace(/\D/g, '').slice(0, 4); });
  }

  function sessionIdFromSecret(secret) {
    var m = /^(cs_[0-9a-z]+)_secret_[A-Za-z0-9]+$/.exec(secret || '');
    return m ? m[1] : null;
  }

  window.PaymentGatewayCard = {
    read: read, showErrors: showErrors, clearErrors: clearErrors, showFormError: showFormError, announce: announce,
    toError: toError, postJson: postJson, formatInputs: formatInputs, sessionIdFromSecret: sessionIdFromSecret
  };
})();
