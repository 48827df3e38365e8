// Cimento's own behaviour. Loaded as a file (CSP: no inline scripts).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});

// After a refused submission, take keyboard and screen-reader users to the list of errors.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
