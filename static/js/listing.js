// Listing enhancement: empty fields are left out of the URL so shared links stay short.
(function () {
  "use strict";
  // After "Show results" the new page opens at #result-count: focus the count so a screen
  // reader says how many pieces were found (without a script the page still scrolls there).
  var count = document.getElementById("result-count");
  if (count && window.location.hash === "#result-count") count.focus();
  // Wide screens show the filters beside the results; browsers without ::details-content
  // need the panel opened for that (phones keep it closed: it is a drawer there).
  var panel = document.querySelector("[data-filters]");
  if (panel && window.matchMedia("(min-width: 900px)").matches) panel.open = true;
  var form = document.querySelector(".filter-form");
  if (!form) return;
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      if (field.value === "" || (field.name === "sort" && field.value === "newest")) {
        field.disabled = true;
      }
    });
    // Re-enable after the browser has read the form, so Back shows it intact.
    window.setTimeout(function () {
      Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
    }, 0);
  });
})();
