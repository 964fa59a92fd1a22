// Agent assist in the contact view: unfold the solutions once the draft check saw an acknowledgement,
// and insert a suggested sentence into the reply box. Progressive: without it, forms still work.
(function () {
  function openSolutions() {
    var box = document.getElementById("solutions");
    if (!box || box.dataset.open === "1") return;
    box.dataset.open = "1";
    box.querySelectorAll("[data-testid=folded]").forEach(function (el) { el.hidden = true; });
    box.querySelectorAll("[data-testid=solutions-body]").forEach(function (el) { el.hidden = false; });
  }
  document.addEventListener("htmx:afterSettle", function () {
    var state = document.getElementById("solutions-state");
    if (state && state.dataset.open === "1") openSolutions();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert]");
    if (!button) return;
    var box = document.querySelector("[data-testid=reply-form] textarea[name=text]");
    if (!box) return;
    var text = button.dataset.insert;
    box.value = box.value ? box.value.replace(/\s*$/, "") + " " + text : text;
    box.focus();
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
