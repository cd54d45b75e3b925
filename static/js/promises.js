// Progressive enhancement for the promise workspace; every page works without it.
(() => {
  // "Use the saved text": copy the other person's value into the field while merging.
  const revealCopyButtons = (root) => {
    root.querySelectorAll("[data-use-theirs][hidden]").forEach((button) => {
      button.hidden = false;
    });
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-use-theirs]");
    if (!button) {
      return;
    }
    const field = document.getElementById(button.dataset.useTheirs);
    if (field) {
      field.value = button.dataset.value;
      field.focus();
    }
  });

  // Focus after a swap is app.js's (the error summary, the changed item, the first field).
  document.addEventListener("htmx:afterSettle", () => revealCopyButtons(document));

  document.addEventListener("DOMContentLoaded", () => revealCopyButtons(document));
})();
