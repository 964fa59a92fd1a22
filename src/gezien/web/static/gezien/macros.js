/* Gezien: "Invoegen" puts a macro's text into the reply box, at the cursor, and selects the first
   placeholder still to fill in. Progressive: without this file the picker shows the text to copy. */
(function () {
  "use strict";
  if (window.gezienMacros) return; // the picker may be swapped in again by htmx
  window.gezienMacros = true;

  function reveal(root) {
    (root || document).querySelectorAll("[data-macro-insert][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-macro-insert]");
    if (!button) return;
    var item = button.closest("[data-macro]");
    var source = item && item.querySelector("[data-macro-text]");
    var box = document.querySelector('form[data-testid="reply-form"] textarea[name="text"]');
    if (!source || !box) return;
    event.preventDefault();
    var empty = !box.value.trim();
    var start = empty ? 0 : box.selectionStart;
    var end = empty ? box.value.length : box.selectionEnd;
    var before = box.value.slice(0, start);
    // Behind words already written, the macro starts on a paragraph of its own.
    var text = (before && !/\s$/.test(before) ? "\n\n" : "") + source.value;
    box.setRangeText(text, start, end, "end");
    box.focus();
    var missing = (item.getAttribute("data-macro-missing") || "").split(" ").filter(Boolean);
    if (missing.length) {
      var at = text.indexOf("[" + missing[0] + "]");
      if (at >= 0) box.setSelectionRange(start + at, start + at + missing[0].length + 2);
    }
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });

  document.addEventListener("htmx:load", function (event) { reveal(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { reveal(); });
  } else {
    reveal();
  }
})();
