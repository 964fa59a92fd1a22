// Behaviour every desk page shares, kept out of the HTML so that the Content-Security-Policy can refuse
// every inline script: a <select data-autosubmit> (the language switch) sends its form when changed.
document.addEventListener("change", (event) => {
  const select = event.target.closest && event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});
