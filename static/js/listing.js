// On a phone the filter panel starts folded when nothing is filtered, to show products first.
(function () {
  "use strict";
  var panel = document.querySelector(".filters[data-collapsible]");
  if (panel && window.matchMedia("(max-width: 899px)").matches) panel.removeAttribute("open");
})();
