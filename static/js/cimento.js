// Cimento's own behaviour. Loaded as a file (CSP: no inline scripts).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
