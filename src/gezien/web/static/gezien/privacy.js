/* Gezien: "Onleesbaar maken" on a message. Text the agent selects in a message fills that message's
   redact field and opens it, so the characters need not be typed. Progressive: without this file the
   field is filled in by hand and the form still posts. */
(function () {
  "use strict";
  if (window.gezienPrivacy) return;
  window.gezienPrivacy = true;

  document.addEventListener("mouseup", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed) return;
    var text = selection.toString();
    var node = selection.anchorNode && selection.anchorNode.parentElement;
    var body = node && node.closest(".msg .text");
    if (!body || !text.trim() || !body.contains(selection.focusNode)) return;
    var message = body.closest(".msg");
    var field = message && message.querySelector("input[data-redact-for]");
    if (!field) return;
    field.value = text;
    field.closest("details").open = true;
  });
})();
