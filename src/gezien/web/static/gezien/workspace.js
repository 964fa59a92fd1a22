/* Gezien: the three-pane workspace around a contact. The panes as tabs on a narrow screen, the picker of
   standard replies and knowledge articles (/ at the start of the composer, or Ctrl+K), the confirmation
   before closing a contact nobody answered, the keyboard shortcuts and their overlay (?), and at most two
   assist hints on view. Progressive: without this file every form still posts and the page still works. */
(function () {
  "use strict";
  if (window.gezienWorkspace) return;
  window.gezienWorkspace = true;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function workspace() { return $(".workspace"); }
  function composer() { return $("#composer textarea[name=text]"); }

  function modal(dialog) {
    if (!dialog) return;
    if (dialog.open) dialog.close();
    dialog.showModal();
  }

  /* ---- The panes on a narrow screen: one at a time, chosen by the tabs. ---- */
  function showPane(id) {
    var ws = workspace();
    if (!ws) return;
    ws.dataset.pane = id;
    $$("[data-show-pane]", ws).forEach(function (tab) {
      tab.setAttribute("aria-pressed", tab.dataset.showPane === id ? "true" : "false");
    });
  }

  /* ---- Inserting text into the composer, at the cursor; the first placeholder to fill selected. ---- */
  var caret = null; // where the cursor stood in the composer when the picker opened

  function insert(text, missing) {
    var box = composer();
    if (!box) return;
    var empty = !box.value.trim();
    var at = caret || [box.selectionStart, box.selectionEnd];
    var start = empty ? 0 : Math.min(at[0], box.value.length);
    var end = empty ? box.value.length : Math.min(at[1], box.value.length);
    var before = box.value.slice(0, start);
    var piece = (before && !/\s$/.test(before) ? "\n\n" : "") + text;
    box.setRangeText(piece, start, end, "end");
    showPane("conversation");
    box.focus();
    if (missing && missing.length) {
      var found = piece.indexOf("[" + missing[0] + "]");
      if (found >= 0) box.setSelectionRange(start + found, start + found + missing[0].length + 2);
    }
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /* ---- The picker. ---- */
  function options() { return $$("#picker-results [role=option]"); }
  function active() { return $("#picker-results [role=option][aria-selected=true]"); }

  function select(option) {
    options().forEach(function (o) { o.setAttribute("aria-selected", o === option ? "true" : "false"); });
    var input = $("#picker-q");
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function move(step) {
    var all = options();
    if (!all.length) return;
    var at = all.indexOf(active());
    select(all[(at + step + all.length) % all.length]);
  }

  function openPicker() {
    var dialog = $("#picker");
    if (!dialog) return;
    var box = composer();
    caret = box ? [box.selectionStart, box.selectionEnd] : null;
    var input = $("#picker-q");
    input.value = "";
    $("#picker-results").innerHTML = "";
    modal(dialog);
    input.focus();
    if (window.htmx) window.htmx.trigger(input, "picker-open");
  }

  function choose(option) {
    if (!option) return;
    var source = $("[data-pick-text]", option);
    var missing = (option.dataset.missing || "").split(" ").filter(Boolean);
    $("#picker").close();
    if (source) insert(source.value, missing);
  }

  /* ---- Closing: one status control; without a reply the dialog asks first. ---- */
  function needsConfirm(form) {
    var ws = workspace();
    var status = form.querySelector("select[name=status]");
    return ws && ws.dataset.replied !== "1" && status && status.value === "closed" &&
      !form.querySelector("input[name=confirm]");
  }

  function closeContact() {
    var form = $("#status-form");
    if (!form) return;
    form.querySelector("select[name=status]").value = "closed";
    if (needsConfirm(form)) { modal($("#close-confirm")); return; }
    form.requestSubmit();
  }

  function nextContact() {
    var items = $$("#queue-pane a.queue-item");
    var current = items.findIndex(function (a) { return a.classList.contains("current"); });
    var next = items[current + 1] || items.find(function (a) { return !a.classList.contains("current"); });
    if (next) window.location.assign(next.href);
    else {
      var ws = workspace();
      if (ws && ws.dataset.queueUrl) window.location.assign(ws.dataset.queueUrl);
    }
  }

  /* ---- The assist: at most two hints on view; a dismissed one makes room for the next. ---- */
  function promoteHint() {
    var assist = $("[data-testid=assist]");
    if (!assist) return;
    var shown = $$(":scope > [data-testid=hint]", assist);
    var more = $("[data-testid=more-hints]", assist);
    if (!more || shown.length >= 2) return;
    var next = $("[data-testid=hint]", more);
    if (next) more.parentNode.insertBefore(next, more);
    if (!$("[data-testid=hint]", more)) more.remove();
    else {
      var left = $$("[data-testid=hint]", more).length;
      var summary = $("summary", more);
      summary.textContent = summary.textContent.replace(/\d+/, String(left));
    }
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function closeMenus(except) {
    $$("details.ws-menu[open]").forEach(function (menu) { if (menu !== except) menu.open = false; });
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Escape" && $("details.ws-menu[open]") && !$("dialog[open]")) {
      var menu = $("details.ws-menu[open]");
      closeMenus(null);
      $("summary", menu).focus();
      return;
    }
    var dialog = $("#picker");
    if (dialog && dialog.open && target.id === "picker-q") {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); return; }
      if (event.key === "ArrowUp") { event.preventDefault(); move(-1); return; }
      if (event.key === "Enter") { event.preventDefault(); choose(active() || options()[0]); return; }
      return;
    }
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
      if (!$("#picker")) return;
      event.preventDefault();
      openPicker();
      return;
    }
    var box = composer();
    if (target === box) {
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        box.form.requestSubmit();
        return;
      }
      if (event.key === "/" && !event.ctrlKey && !event.altKey && !event.metaKey) {
        var before = box.value.slice(0, box.selectionStart);
        if (before === "" || /\n$/.test(before)) { event.preventDefault(); openPicker(); }
        return;
      }
      if (event.key === "Escape") { box.blur(); return; }
      return;
    }
    if (typing(target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if ($("dialog[open]")) return;
    switch (event.key) {
      case "?": event.preventDefault(); modal($("#shortcuts")); break;
      case "/": event.preventDefault(); openPicker(); break;
      case "r": case "R": if (box) { event.preventDefault(); showPane("conversation"); box.focus(); } break;
      case "n": case "N": event.preventDefault(); nextContact(); break;
      case "C": if (event.shiftKey) { event.preventDefault(); closeContact(); } break;
      default: break;
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    closeMenus(target.closest("details.ws-menu")); // a click outside the contact's menu folds it
    var tab = target.closest("[data-show-pane]");
    if (tab) { showPane(tab.dataset.showPane); return; }
    if (target.closest("[data-picker-open]")) { event.preventDefault(); openPicker(); return; }
    if (target.closest("[data-shortcuts-open]")) { event.preventDefault(); modal($("#shortcuts")); return; }
    var option = target.closest("#picker-results [role=option]");
    if (option && !target.closest("a")) { choose(option); return; }
    var closer = target.closest("[data-dialog-close]");
    if (closer) {
      closer.closest("dialog").close();
      if (closer.hasAttribute("data-focus-composer") && composer()) { showPane("conversation"); composer().focus(); }
      return;
    }
    if (target.tagName === "DIALOG" && target.open && target.id === "picker") target.close(); // the backdrop
  });

  document.addEventListener("mousemove", function (event) {
    var option = event.target.closest && event.target.closest("#picker-results [role=option]");
    if (option && option !== active()) select(option);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id === "status-form" && needsConfirm(form)) {
      event.preventDefault();
      modal($("#close-confirm"));
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "picker-results") select(options()[0] || null);
  });
  document.addEventListener("htmx:afterSettle", promoteHint);

  function ready() {
    var confirm = $("#close-confirm[open]");
    if (confirm) { confirm.close(); modal(confirm); } // the server asked: as a modal, Esc and focus work
    var scroll = $("#thread-scroll");
    if (scroll && !window.location.hash) scroll.scrollTop = scroll.scrollHeight; // the newest message in view
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
