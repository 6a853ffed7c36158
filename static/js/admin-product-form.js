// Product form enhancements; the form works the same without them.
// - Description: Write / Preview tabs, the preview rendered by the server (sanitised HTML).
// - Variants: "Add a variant" copies a row (with empty volume prices) here instead of
//   reloading the page.
// - Slug: shows the address that will be made from the name while the field is empty.
(function () {
  "use strict";

  var form = document.getElementById("product-form");
  if (!form) return;
  document.documentElement.classList.add("js");

  function csrfToken() {
    var input = form.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  // -- Description preview ---------------------------------------------------------------
  function setUpPreview(editor) {
    var tabs = editor.querySelector("[data-md-tabs]");
    var source = editor.querySelector("[data-md-source]");
    var pane = editor.querySelector("[data-md-preview]");
    var body = editor.querySelector("[data-md-preview-body]");
    var url = editor.getAttribute("data-preview-url");
    if (!tabs || !source || !pane || !body || !url) return;
    var buttons = tabs.querySelectorAll("[data-md-tab]");
    tabs.hidden = false;

    function show(which) {
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-md-tab") === which));
      });
      source.hidden = which === "preview";
      pane.hidden = which !== "preview";
      if (which === "write") source.focus();
    }

    function render() {
      var data = new FormData();
      data.append("csrf_token", csrfToken());
      data.append("description_md", source.value);
      body.textContent = tabs.getAttribute("data-loading") || "…";
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          // Server-rendered Markdown, sanitised by nh3 before it leaves the server.
          body.innerHTML = html || "<p>" + (tabs.getAttribute("data-empty") || "") + "</p>";
        })
        .catch(function () {
          body.textContent = tabs.getAttribute("data-failed") || "Preview unavailable.";
        });
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var which = button.getAttribute("data-md-tab");
        show(which);
        if (which === "preview") render();
      });
    });
    // A preview shown by the no-JS button stays visible until staff go back to writing.
    if (!pane.hidden) show("preview");
  }

  document.querySelectorAll("[data-md-editor]").forEach(setUpPreview);

  // -- Variant rows ----------------------------------------------------------------------
  var rows = form.querySelector("[data-variant-rows]");
  var addButton = form.querySelector("[data-add-variant]");
  var counter = form.querySelector("#variants-heading .count");

  function renumber(element, index) {
    ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
      var value = element.getAttribute(attr);
      if (value) element.setAttribute(attr, value.replace(/variants-\d+-/g, "variants-" + index + "-"));
    });
  }

  function nextIndex() {
    var highest = -1;
    rows.querySelectorAll("[name^='variants-']").forEach(function (input) {
      var found = /^variants-(\d+)-/.exec(input.name);
      if (found) highest = Math.max(highest, Number(found[1]));
    });
    return highest + 1;
  }

  function addRow() {
    var all = rows.querySelectorAll("[data-variant-group]");
    var max = Number(rows.getAttribute("data-max-rows") || "50");
    if (!all.length || all.length >= max) return false;
    var index = nextIndex();
    var row = all[all.length - 1].cloneNode(true);
    row.querySelectorAll(".field-error").forEach(function (p) { p.remove(); });
    row.querySelectorAll("[data-tiers]").forEach(function (details) { details.open = false; });
    row.querySelectorAll("input, label").forEach(function (element) {
      renumber(element, index);
      element.removeAttribute("aria-invalid");
      if (element.tagName !== "INPUT") return;
      if (element.type === "checkbox") element.checked = /-is_active$/.test(element.name);
      else element.value = "";
      if (element.getAttribute("aria-describedby")) element.removeAttribute("aria-describedby");
    });
    var stock = row.querySelector("input[name$='-stock']");
    if (stock) stock.value = "0";
    row.querySelectorAll("[data-tiers]").forEach(clearTierSummary);
    rows.appendChild(row);
    if (counter) counter.textContent = String(all.length + 1);
    var sku = row.querySelector("input[name$='-sku']");
    if (sku) sku.focus();
    if (all.length + 1 >= max && addButton) addButton.hidden = true;
    return true;
  }

  if (rows && addButton) {
    addButton.addEventListener("click", function (event) {
      if (addRow()) event.preventDefault();
    });
  }

  // -- Volume prices ---------------------------------------------------------------------
  // A copied row starts with no volume prices: its folded summary says so.
  function clearTierSummary(details) {
    var summary = details.querySelector("[data-tier-summary]");
    if (!summary) return;
    var none = document.createElement("span");
    none.className = "muted";
    none.textContent = summary.getAttribute("data-none") || "";
    summary.replaceChildren(none);
  }

  // -- Slug hint -------------------------------------------------------------------------
  var slug = form.querySelector("[data-slug-input]");
  var name = form.querySelector("#name");
  if (slug && name) {
    var original = slug.getAttribute("placeholder") || "";
    var update = function () {
      var made = name.value
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 160);
      slug.setAttribute("placeholder", made || original);
    };
    name.addEventListener("input", update);
    update();
  }
})();
