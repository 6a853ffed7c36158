// Product page enhancements: the variant chooser updates the price live, the gallery
// thumbnails scroll the photo strip and arrow keys move through the photos.
(function () {
  "use strict";
  var form = document.querySelector("[data-variant-form]");
  if (form) {
    var price = document.querySelector("[data-selected-price]");
    var availability = document.querySelector("[data-selected-availability]");
    var sku = document.querySelector("[data-selected-sku]");
    var addButton = document.querySelector("[data-add-button]");
    function syncButton() {
      var checked = form.querySelector("input[name=variant]:checked");
      if (addButton && checked) addButton.disabled = checked.dataset.state === "sold_out";
    }
    function apply(input) {
      price.textContent = input.dataset.price;
      var approx = document.querySelector("[data-selected-approx]");
      if (approx) approx.textContent = input.dataset.approx || "";
      availability.textContent = input.dataset.availability;
      availability.className = "stock stock-" + ({ in_stock: "in", made_to_order: "mto", sold_out: "out" })[input.dataset.state];
      sku.textContent = input.value;
      syncButton();
      var url = new URL(window.location.href);
      url.searchParams.set("variant", input.value);
      window.history.replaceState(null, "", url);
      // Keep the chosen option when the visitor switches language.
      document.querySelectorAll(".lang-switch a").forEach(function (link) {
        var target = new URL(link.href);
        target.searchParams.set("next", url.pathname + url.search);
        link.href = target.toString();
      });
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "variant") apply(event.target);
    });
    // A choice made before this script ran (a quick click, or the browser restoring the form
    // on Back) is shown too, not left behind a stale price.
    function catchUp() {
      var checked = form.querySelector("input[name=variant]:checked");
      if (checked && sku && checked.value !== sku.textContent.trim()) apply(checked);
      else syncButton();
    }
    catchUp();
    window.addEventListener("pageshow", catchUp);
  }

  var gallery = document.querySelector("[data-gallery]");
  if (!gallery) return;
  var track = gallery.querySelector(".gallery-track");
  var thumbs = Array.prototype.slice.call(gallery.querySelectorAll(".gallery-thumbs a"));
  if (!track) return;
  var slides = Array.prototype.slice.call(track.children);

  function current() {
    return Math.round(track.scrollLeft / Math.max(track.clientWidth, 1));
  }
  function mark(index) {
    thumbs.forEach(function (thumb, i) {
      if (i === index) thumb.setAttribute("aria-current", "true");
      else thumb.removeAttribute("aria-current");
    });
  }
  function show(index) {
    index = Math.max(0, Math.min(slides.length - 1, index));
    track.scrollTo({ left: index * track.clientWidth });
    mark(index);
  }
  thumbs.forEach(function (thumb, i) {
    thumb.addEventListener("click", function (event) {
      event.preventDefault();
      show(i);
    });
  });
  track.addEventListener("keydown", function (event) {
    if (event.key === "ArrowRight") { event.preventDefault(); show(current() + 1); }
    if (event.key === "ArrowLeft") { event.preventDefault(); show(current() - 1); }
  });
  var pending;
  track.addEventListener("scroll", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { mark(current()); }, 80);
  });
})();
