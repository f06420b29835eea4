// The console works without this script. It only moves focus to the error summary after a refused form, so a
// screen-reader user hears what to fix first.
(function () {
  'use strict';
  var summary = document.getElementById('error-summary');
  if (summary) {
    summary.focus();
  }
})();
