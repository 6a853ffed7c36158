// Product photo manager (templates/admin/_photos.html). Without this script every form posts
// and the page reloads; with it: a drop zone that uploads one file per request with a progress
// bar each, drag-to-reorder, and the card buttons saved without leaving the page (so unsaved
// changes elsewhere on the product edit page survive).
(function () {
  "use strict";

  function setUp(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    root.classList.add("has-script");

    var listBox = root.querySelector("[data-photo-list]");
    var statusBox = root.querySelector("[data-photo-status]");
    var uploadForm = root.querySelector("[data-photo-upload]");
    var maxBytes = parseInt(root.dataset.maxBytes, 10) || Infinity;
    var dragged = null;
    var orderBeforeDrag = "";

    // Messages come translated from the template; "{name}" stands for a file name.
    function text(key, name) {
      return (root.dataset["msg" + key] || "").replace("{name}", name || "");
    }

    function csrfToken() {
      return root.querySelector("input[name=csrf_token]").value;
    }

    function herePath() {
      return window.location.pathname + window.location.search;
    }

    function say(message, ok) {
      statusBox.textContent = message || "";
      statusBox.className = "photo-status" + (message ? " flash " + (ok ? "flash-success" : "flash-error") : "");
    }

    // POST form data the way the views expect from this script; resolve to {ok, message}.
    function send(url, body) {
      return fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest", "Accept": "application/json", "X-CSRFToken": csrfToken() }
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          return { ok: false, message: response.status === 400 ? text("Expired") : text("Error") };
        }
        return response.json().then(function (json) {
          return { ok: response.ok && json.ok !== false, message: json.message || json.error || "" };
        });
      }).catch(function () {
        return { ok: false, message: text("Error") };
      });
    }

    // Fetch the photo list again from the photos page and swap it in.
    function refresh(focusId) {
      return fetch(root.dataset.refreshUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.querySelector("[data-photo-list]");
          if (!fresh) throw new Error("no photo list");
          listBox.replaceChildren.apply(listBox, Array.prototype.slice.call(fresh.childNodes));
          var count = doc.querySelector("#photos-heading .count");
          var oldCount = root.querySelector("#photos-heading .count");
          if (count && oldCount) oldCount.textContent = count.textContent;
          enhanceList();
          if (focusId) keepFocus(focusId);
        })
        .catch(function () {
          window.location.reload();
        });
    }

    // After the list is redrawn, put focus back on the button used (its id follows the photo),
    // on another button of the same photo if that one is now disabled, or on the heading.
    function keepFocus(id) {
      var target = document.getElementById(id);
      if (target && target.disabled) {
        target = target.closest(".photo-card").querySelector(".photo-actions button:not([disabled])");
      }
      if (!target) {
        target = root.querySelector("#photos-heading");
        target.tabIndex = -1;
      }
      target.focus();
    }

    function enhanceList() {
      root.querySelectorAll("input[name=next]").forEach(function (input) { input.value = herePath(); });
      listBox.querySelectorAll("[data-drag-handle]").forEach(function (handle) { handle.hidden = false; });
      watchProcessing();
    }

    // Photos made by a background job: look again every few seconds (for a few minutes) until
    // they are ready, but never while staff are working in the list.
    var watchTimer = null;
    var watchesLeft = 40;
    function watchProcessing() {
      if (watchTimer || !listBox.querySelector("[data-photo-processing]") || watchesLeft <= 0) return;
      watchTimer = window.setTimeout(function () {
        watchTimer = null;
        watchesLeft -= 1;
        if (listBox.contains(document.activeElement) || dragged || waiting) {
          watchProcessing();
          return;
        }
        refresh();
      }, 5000);
    }

    // Say what is wrong right under the field, where the eye (and focus) is.
    function showFieldError(form, field, message) {
      var error = form.querySelector(".field-error");
      if (!error) {
        error = document.createElement("p");
        error.className = "field-error";
        error.id = field.id + "-error";
        form.append(error);
      }
      error.textContent = message;
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", error.id);
      field.focus();
    }

    // ---- Card buttons: alt text, move, cover, delete ----
    root.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches("[data-photo-action]")) return;
      event.preventDefault();
      if (form.hasAttribute("data-confirm") && !window.confirm(text("ConfirmDelete"))) return;
      var submitter = event.submitter;
      var body = new FormData(form);
      if (submitter && submitter.name) body.append(submitter.name, submitter.value);
      var card = form.closest(".photo-card");
      if (card) card.classList.add("is-busy");
      say(text("Saving"), true);
      send(form.action, body).then(function (result) {
        say(result.message, result.ok);
        if (result.ok) return refresh(submitter && submitter.id);
        if (card) card.classList.remove("is-busy");
        var field = form.querySelector("input[name=alt_text]");
        if (field) showFieldError(form, field, result.message);
        return null;
      });
    });

    // ---- Drag to reorder (the buttons stay for keyboards and touch screens) ----
    function currentOrder() {
      return Array.prototype.map.call(listBox.querySelectorAll(".photo-card"), function (card) {
        return card.dataset.photoId;
      }).join(",");
    }

    listBox.addEventListener("pointerdown", function (event) {
      var handle = event.target.closest("[data-drag-handle]");
      if (handle) handle.closest(".photo-card").draggable = true;
    });
    listBox.addEventListener("pointerup", function (event) {
      var card = event.target.closest(".photo-card");
      if (card && card !== dragged) card.draggable = false;
    });
    listBox.addEventListener("dragstart", function (event) {
      var card = event.target.closest && event.target.closest(".photo-card");
      if (!card || !card.draggable) return;
      dragged = card;
      orderBeforeDrag = currentOrder();
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.photoId);
      card.classList.add("is-dragging");
    });
    listBox.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      var over = event.target.closest(".photo-card");
      if (!over || over === dragged) return;
      var box = over.getBoundingClientRect();
      // Past the card's diagonal means "after it": right for a row, below for a column.
      var after = (event.clientX - box.left) / box.width + (event.clientY - box.top) / box.height > 1;
      over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
    });
    listBox.addEventListener("drop", function (event) {
      if (dragged) event.preventDefault();
    });
    listBox.addEventListener("dragend", function () {
      if (!dragged) return;
      var card = dragged;
      dragged = null;
      card.classList.remove("is-dragging");
      card.draggable = false;
      var order = currentOrder();
      if (order === orderBeforeDrag) return;
      var body = new FormData();
      body.append("csrf_token", csrfToken());
      body.append("order", order);
      listBox.querySelectorAll(".photo-card").forEach(function (each) { each.classList.add("is-busy"); });
      say(text("Saving"), true);
      send(root.dataset.reorderUrl, body).then(function (result) {
        say(result.message, result.ok);
        return refresh();
      });
    });

    // ---- Upload: drop zone, one request per file, a progress bar each ----
    if (!uploadForm) return;
    var input = uploadForm.querySelector("input[type=file]");
    var zone = uploadForm.querySelector("[data-drop-zone]");
    var results = uploadForm.querySelector("[data-upload-results]");
    var queue = Promise.resolve();
    var waiting = 0;
    uploadForm.querySelector("[data-drop-hint]").hidden = false;

    function row(file) {
      var item = document.createElement("li");
      item.className = "upload-item";
      var thumb = document.createElement("img");
      thumb.className = "upload-thumb";
      thumb.alt = "";
      var name = document.createElement("span");
      name.className = "upload-name";
      name.textContent = file.name;
      var progress = document.createElement("progress");
      progress.max = 100;
      progress.value = 0;
      var status = document.createElement("span");
      status.className = "upload-status";
      status.textContent = text("Uploading");
      item.append(thumb, name, progress, status);
      results.append(item);
      return { item: item, thumb: thumb, progress: progress, status: status };
    }

    function finish(view, ok, message, photo) {
      view.progress.remove();
      view.item.classList.add(ok ? "is-done" : "is-failed");
      view.status.textContent = message;
      if (photo && photo.thumb_url) {
        view.thumb.src = photo.thumb_url;
        view.thumb.alt = photo.alt;
      }
    }

    function upload(file, view) {
      return new Promise(function (resolve) {
        if (file.size > maxBytes) {
          finish(view, false, text("TooLarge", file.name));
          resolve();
          return;
        }
        var xhr = new XMLHttpRequest();
        xhr.open("POST", uploadForm.action);
        xhr.responseType = "json";
        xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
        xhr.setRequestHeader("Accept", "application/json");
        xhr.setRequestHeader("X-CSRFToken", csrfToken());
        xhr.upload.onprogress = function (event) {
          if (event.lengthComputable) view.progress.value = Math.round((event.loaded / event.total) * 100);
        };
        xhr.upload.onload = function () {
          view.progress.removeAttribute("value"); // indeterminate while the server makes renditions
          view.status.textContent = text("Processing");
        };
        xhr.onload = function () {
          var json = xhr.response;
          if (json && json.ok && json.photo) {
            finish(view, true, json.photo.note || text("Added"), json.photo);
          } else {
            var message = json && json.error;
            finish(view, false, message || (xhr.status === 400 ? text("Expired") : text("Failed", file.name)));
          }
          resolve();
        };
        xhr.onerror = xhr.onabort = function () {
          finish(view, false, text("Failed", file.name));
          resolve();
        };
        var body = new FormData();
        body.append("csrf_token", csrfToken());
        body.append("photos", file, file.name);
        xhr.send(body);
      });
    }

    function add(fileList) {
      var files = Array.prototype.slice.call(fileList || []);
      if (!files.length) return;
      say("", true);
      files.forEach(function (file) {
        var view = row(file);
        waiting += 1;
        // One after the other, so the photos land in the order they were chosen.
        queue = queue.then(function () { return upload(file, view); }).then(function () {
          waiting -= 1;
          if (waiting === 0) {
            return refresh().then(function () { say(text("AllDone"), true); });
          }
          return null;
        });
      });
    }

    input.addEventListener("change", function () {
      add(input.files);
      input.value = "";
    });
    uploadForm.addEventListener("submit", function (event) {
      event.preventDefault();
      add(input.files);
      input.value = "";
    });
    zone.addEventListener("click", function (event) {
      if (event.target === input || event.target.closest("label")) return;
      input.click();
    });
    function carriesFiles(event) {
      return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1;
    }
    zone.addEventListener("dragover", function (event) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      zone.classList.add("is-over");
    });
    zone.addEventListener("dragleave", function (event) {
      if (!zone.contains(event.relatedTarget)) zone.classList.remove("is-over");
    });
    zone.addEventListener("drop", function (event) {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      zone.classList.remove("is-over");
      add(event.dataTransfer.files);
    });

    enhanceList();
  }

  document.querySelectorAll(".photo-manager").forEach(setUp);
})();
