// The console works without this script. It moves focus to the error summary after a refused form, so a
// screen-reader user hears what to fix first, and keeps a page region marked data-refresh up to date.
(function () {
  'use strict';
  var summary = document.getElementById('error-summary');
  if (summary) {
    summary.focus();
  }

  // A region marked data-refresh="milliseconds" (the Exports page while a job runs; "0" when nothing runs) is read
  // again from the server and replaced in place, so progress shows without reloading the page: a form being filled in
  // keeps what was typed. The status line named by data-refresh-status (an aria-live element outside the region) gets
  // the server's new text, so a screen reader hears the change. It stops once the server's copy of the region says "0".
  var region = document.querySelector('[data-refresh][id]');
  var period = function (element) { return parseInt(element.getAttribute('data-refresh'), 10) || 0; };
  if (!region || period(region) <= 0 || !window.fetch || !window.DOMParser) {
    return;
  }

  var every = Math.max(1000, period(region));
  var statusId = region.getAttribute('data-refresh-status');
  var tick = function () {
    fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var page = html ? new DOMParser().parseFromString(html, 'text/html') : null;
        var fresh = page ? page.getElementById(region.id) : null;
        if (!fresh) {
          return;
        }

        var focused = document.activeElement && region.contains(document.activeElement) ? document.activeElement.id : null;
        region.innerHTML = fresh.innerHTML;
        if (focused && document.getElementById(focused)) {
          document.getElementById(focused).focus();
        }

        var status = statusId ? document.getElementById(statusId) : null;
        var freshStatus = statusId ? page.getElementById(statusId) : null;
        if (status && freshStatus && status.textContent !== freshStatus.textContent) {
          status.textContent = freshStatus.textContent;
        }

        region.setAttribute('data-refresh', String(period(fresh)));
        if (period(fresh) > 0) {
          window.setTimeout(tick, every);
        }
      })
      .catch(function () { window.setTimeout(tick, every * 2); });
  };
  window.setTimeout(tick, every);
})();
