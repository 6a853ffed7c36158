// Suggestions as the buyer types in the header search field: the WAI-ARIA 1.2 combobox
// pattern (an input with a listbox popup). Arrow keys move through the suggestions, Enter
// opens the one chosen (or searches, when none is), Escape closes the list, then clears the
// field. Without this script the form simply submits to the search page.
(function () {
  "use strict";
  var form = document.querySelector("[data-suggest-url]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  if (!input) return;
  var WAIT_MS = 150;
  var listbox = document.createElement("ul");
  var status = document.createElement("div");
  var options = [];
  var active = -1;
  var timer = null;
  var pending = null;
  var latest = "";

  listbox.id = input.id + "-suggestions";
  listbox.className = "suggestions";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", form.dataset.suggestLabel);
  listbox.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  form.appendChild(listbox);
  form.appendChild(status);
  form.classList.add("has-suggestions");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);
  input.setAttribute("autocomplete", "off");

  function isOpen() {
    return !listbox.hidden;
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    mark(-1);
  }

  function open() {
    if (!options.length) return;
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function mark(index) {
    active = index;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  function go(option) {
    window.location.assign(option.dataset.url);
  }

  function show(answer) {
    listbox.textContent = "";
    options = answer.suggestions.map(function (item, i) {
      var option = document.createElement("li");
      option.id = listbox.id + "-" + i;
      option.className = "suggestion suggestion-" + item.kind;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = item.url;
      var label = document.createElement("span");
      label.textContent = item.label;
      if (item.lang !== document.documentElement.lang) label.lang = item.lang;
      option.appendChild(label);
      if (item.kind === "category") {
        var kind = document.createElement("span");
        kind.className = "suggestion-kind";
        kind.textContent = form.dataset.suggestCategory;
        option.appendChild(document.createTextNode(" "));
        option.appendChild(kind);
      }
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the field
      });
      option.addEventListener("click", function () {
        go(option);
      });
      listbox.appendChild(option);
      return option;
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = answer.message || form.dataset.suggestNone;
    if (options.length) open();
    else close();
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    latest = q;
    if (pending) pending.abort();
    if (!q) {
      options = [];
      listbox.textContent = "";
      status.textContent = "";
      close();
      return;
    }
    pending = window.AbortController ? new AbortController() : null;
    var url = form.dataset.suggestUrl + "?q=" + encodeURIComponent(q) +
      "&lang=" + encodeURIComponent(document.documentElement.lang);
    window.fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: pending ? pending.signal : undefined,
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (answer) {
      if (answer && q === latest && document.activeElement === input) show(answer);
    }).catch(function () {
      // A slow or refused answer leaves the field as it was: the search still works.
    });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, WAIT_MS);
  });

  input.addEventListener("keydown", function (event) {
    if (event.isComposing || event.keyCode === 229) return; // an IME is choosing kanji
    switch (event.key) {
      case "ArrowDown":
        if (!options.length) return;
        event.preventDefault();
        if (!isOpen()) { open(); if (!event.altKey) mark(0); }
        else mark(active + 1 >= options.length ? 0 : active + 1);
        break;
      case "ArrowUp":
        if (!options.length) return;
        event.preventDefault();
        if (!isOpen()) { open(); mark(options.length - 1); }
        else mark(active <= 0 ? options.length - 1 : active - 1);
        break;
      case "Enter":
        if (isOpen() && active >= 0) {
          event.preventDefault();
          go(options[active]);
        }
        break;
      case "Escape":
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          options = [];
          listbox.textContent = "";
        }
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", function () {
    close();
  });
  input.addEventListener("focus", function () {
    if (options.length && input.value.trim() === latest) open();
  });
})();
