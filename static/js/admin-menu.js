// The back office's section menu: on wide screens it is always open (for browsers without
// ::details-content); on a phone its closed row names the page's section.
(function () {
  "use strict";
  var menu = document.querySelector("[data-admin-menu]");
  if (!menu) return;
  var here = menu.querySelector('.admin-nav a[aria-current="page"]');
  var label = menu.querySelector("[data-admin-here]");
  if (here && label) label.textContent = here.childNodes[0].textContent.trim();
  if (window.matchMedia("(min-width: 701px)").matches) menu.open = true;
})();
