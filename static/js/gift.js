// Checkout enhancement: the gift message and wrap show only once "This is a gift" is ticked.
// Without JavaScript every field stays visible and the server ignores them for a non-gift.
(function () {
  "use strict";
  var toggle = document.querySelector("[data-gift-toggle]");
  var details = document.querySelector("[data-gift-details]");
  if (!toggle || !details) return;
  function show() { details.hidden = !toggle.checked; }
  toggle.addEventListener("change", show);
  show();
})();
