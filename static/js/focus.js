// A refused form's error summary, or the message after a reload, takes focus so a screen reader
// reads it first. The autofocus attribute does this without a script, but a browser skips it
// when the address ends in a #fragment (a form sent after using the skip link posts to
// "…#main") and focuses the fragment's target instead: drop the fragment and focus the message.
(function () {
  "use strict";
  var target = document.getElementById("error-summary") ||
    document.querySelector(".flashes[autofocus]");
  if (!target) return;
  function focusMessage() {
    var now = document.activeElement;
    if (!now || now === document.body || now === document.getElementById("main")) target.focus();
  }
  if (window.location.hash) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
  focusMessage();
  window.addEventListener("load", focusMessage);
})();
