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

  // After htmx swaps in an inline form, put the keyboard focus in it: on the error
  // summary when there are errors, otherwise on its first field.
  document.addEventListener("htmx:afterSettle", (event) => {
    revealCopyButtons(document);
    const root = event.detail.elt;
    let form = null;
    if (root && root.isConnected) {
      form = root.matches("form[data-focus-first]")
        ? root
        : root.querySelector("form[data-focus-first]");
    }
    if (!form) {
      return;
    }
    const first =
      form.querySelector(".error-summary, .conflict") ||
      form.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
  });

  document.addEventListener("DOMContentLoaded", () => revealCopyButtons(document));
})();
