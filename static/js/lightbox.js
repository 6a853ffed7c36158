// The product photo viewer: "Enlarge photo" opens the largest rendition in a modal <dialog>
// (focus stays inside it and returns to the link on closing; Escape closes it). Arrow keys
// step between photos; pinch (native), the mouse wheel, a double click, + and − zoom. The
// large image is fetched only when the viewer shows it. Without this script the link simply
// opens the large image.
(function () {
  "use strict";
  var dialog = document.querySelector("[data-lightbox]");
  var links = Array.prototype.slice.call(document.querySelectorAll("[data-zoom]"));
  if (!dialog || !links.length || typeof dialog.showModal !== "function") return;
  var title = dialog.querySelector("[data-lightbox-title]");
  var stage = dialog.querySelector("[data-lightbox-stage]");
  var image = dialog.querySelector("[data-lightbox-image]");
  var MIN = 1;
  var MAX = 4;
  var index = 0;
  var scale = 1;
  var opener = null;

  function zoom(next, focusX, focusY) {
    next = Math.max(MIN, Math.min(MAX, next));
    if (next === scale) return;
    // Keep the point under the pointer (or the middle) where it is while the image grows.
    var x = focusX === undefined ? stage.clientWidth / 2 : focusX;
    var y = focusY === undefined ? stage.clientHeight / 2 : focusY;
    var ratio = next / scale;
    var left = (stage.scrollLeft + x) * ratio - x;
    var top = (stage.scrollTop + y) * ratio - y;
    scale = next;
    image.style.width = scale * 100 + "%";
    stage.classList.toggle("is-zoomed", scale > 1);
    stage.scrollLeft = left;
    stage.scrollTop = top;
  }

  function reset() {
    scale = 1;
    image.style.width = "";
    stage.classList.remove("is-zoomed");
    stage.scrollLeft = 0;
    stage.scrollTop = 0;
  }

  function show(i) {
    index = (i + links.length) % links.length;
    var link = links[index];
    reset();
    image.src = link.href;
    image.alt = link.dataset.alt || "";
    title.textContent = link.dataset.caption || "";
  }

  function open(i, from) {
    opener = from;
    show(i);
    dialog.showModal();
    stage.focus();
  }

  links.forEach(function (link, i) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
      event.preventDefault();
      open(i, link);
    });
  });

  dialog.addEventListener("close", function () {
    image.removeAttribute("src");
    if (opener) opener.focus();
  });
  // The modal dialog keeps the page out of reach; this keeps Tab from leaving for the
  // browser's own controls too, cycling through the viewer's.
  function trap(event) {
    var focusable = Array.prototype.filter.call(
      dialog.querySelectorAll("button, [tabindex='0']"),
      function (el) { return !el.disabled && el.offsetParent !== null; }
    );
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
  }

  dialog.addEventListener("keydown", function (event) {
    if (event.key === "Tab") trap(event);
    else if (event.key === "ArrowRight" && links.length > 1) { event.preventDefault(); show(index + 1); }
    else if (event.key === "ArrowLeft" && links.length > 1) { event.preventDefault(); show(index - 1); }
    else if (event.key === "+" || event.key === "=") { event.preventDefault(); zoom(scale * 1.5); }
    else if (event.key === "-") { event.preventDefault(); zoom(scale / 1.5); }
  });
  // A click on the backdrop (outside the dialog's box) closes it, as people expect.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();
  });
  dialog.querySelectorAll("[data-lightbox-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      show(index + Number(button.dataset.lightboxStep));
    });
  });
  dialog.querySelectorAll("[data-lightbox-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      zoom(button.dataset.lightboxZoom === "in" ? scale * 1.5 : scale / 1.5);
    });
  });
  stage.addEventListener("wheel", function (event) {
    event.preventDefault();
    var box = stage.getBoundingClientRect();
    zoom(scale * (event.deltaY < 0 ? 1.2 : 1 / 1.2), event.clientX - box.left, event.clientY - box.top);
  }, { passive: false });
  image.addEventListener("dblclick", function (event) {
    var box = stage.getBoundingClientRect();
    zoom(scale > 1 ? 1 : 2.5, event.clientX - box.left, event.clientY - box.top);
  });
})();
