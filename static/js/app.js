// Progressive enhancement only: every page works without this file.
(() => {
  document.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });

  // --- Announcements (WCAG 4.1.3) ---------------------------------------------------
  // The page has one polite live region (#live-region, in base.html). Messages reach it
  // once each: the server's messages after a page load, and after an htmx swap every
  // element marked data-announce (or an old-style role=status element, which then stops
  // being a live region of its own).
  const region = () => document.getElementById("live-region");
  let queued = [];
  let announceTimer = null;

  const announce = (text) => {
    const message = (text || "").replace(/\s+/g, " ").trim();
    const live = region();
    if (!message || !live) {
      return;
    }
    queued.push(message);
    clearTimeout(announceTimer);
    // Emptied first, filled a moment later: the same message twice is still a change.
    live.textContent = "";
    announceTimer = setTimeout(() => {
      live.textContent = queued.join(" ");
      queued = [];
    }, 150);
  };

  const takeMessages = (root) => {
    const found = [];
    if (root.matches && root.matches("[data-announce], [role=status]")) {
      found.push(root);
    }
    root.querySelectorAll("[data-announce], [role=status]").forEach((el) => found.push(el));
    found.forEach((el) => {
      if (el.id === "live-region") {
        return;
      }
      if (el.getAttribute("role") === "status") {
        if (!el.textContent.trim()) {
          return; // an empty region a script fills later (passkeys.js) stays one
        }
        el.removeAttribute("role");
      }
      el.removeAttribute("data-announce");
      announce(el.textContent);
    });
  };

  // --- Focus (WCAG 2.4.3) -----------------------------------------------------------
  const focusable = (el) => {
    if (!el.matches("a[href], button, input, select, textarea, summary, [tabindex]")) {
      el.setAttribute("tabindex", "-1");
    }
    return el;
  };

  const moveFocus = (el) => {
    if (el && el.isConnected) {
      focusable(el).focus();
      return true;
    }
    return false;
  };

  // Where focus goes after htmx swapped `root` in: the error summary when the save
  // failed (or a conflict), else the element the server named (data-focus-target),
  // else the first field of an inline form; and never to <body> because the focused
  // control was swapped away.
  const focusAfterSwap = (root) => {
    const problem = root.matches(".error-summary, .conflict")
      ? root
      : root.querySelector(".error-summary, .conflict");
    if (problem) {
      moveFocus(problem);
      return;
    }
    const marked = root.matches("[data-focus-target]")
      ? root
      : root.querySelector("[data-focus-target]");
    if (marked) {
      const target = document.getElementById(marked.dataset.focusTarget);
      root.querySelectorAll("[data-focus-target]").forEach((el) => {
        el.removeAttribute("data-focus-target");
      });
      marked.removeAttribute("data-focus-target");
      if (moveFocus(target)) {
        return;
      }
    }
    const form = root.matches("form[data-focus-first]")
      ? root
      : root.querySelector("form[data-focus-first]");
    if (form) {
      const first = form.querySelector(
        "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])",
      );
      if (moveFocus(first)) {
        return;
      }
    }
    if (!document.activeElement || document.activeElement === document.body) {
      moveFocus(root.querySelector("h2, h3, h4") || root);
    }
  };

  document.addEventListener("htmx:afterSettle", (event) => {
    const root = event.detail.elt;
    if (!root || !root.isConnected || root.nodeType !== Node.ELEMENT_NODE) {
      return;
    }
    takeMessages(root);
    focusAfterSwap(root);
  });

  // A control whose htmx target is not on this page (a commitment opened on its own edit
  // page has no list to redraw) does what it does without JavaScript.
  document.addEventListener("htmx:targetError", (event) => {
    const elt = event.detail.elt;
    if (!elt) {
      return;
    }
    if (elt.matches("a[href]")) {
      window.location.assign(elt.href);
      return;
    }
    const form = elt.matches("form") ? elt : elt.closest("form");
    if (form) {
      HTMLFormElement.prototype.submit.call(form);
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    // The server's messages, read once by the live region, not by a region of their own.
    document.querySelectorAll(".messages .alert").forEach((el) => announce(el.textContent));
    takeMessages(document.querySelector("main") || document.body);
    // A failed submit: the summary that links to the fields. A form filled in again
    // after a timeout: the note that says so, at the top of the form.
    const summary = document.querySelector("main .error-summary");
    const restored = document.querySelector("[data-form-restored]");
    moveFocus(summary || restored);
  });

  // --- Time limit (WCAG 2.2.1) ------------------------------------------------------
  // The session ends after data-session-seconds without a request. The banner shows
  // data-warning-seconds before that, takes the focus, and is announced; its button
  // extends the session. Every tab shares the time of the last request (localStorage),
  // so working in one tab keeps the others from warning.
  const warning = document.getElementById("sessionsvarning");
  if (!warning) {
    return;
  }
  const STORE = "medborgarlofte:senaste-aktivitet";
  const sessionMs = Number(warning.dataset.sessionSeconds) * 1000;
  const warningMs = Number(warning.dataset.warningSeconds) * 1000;
  const warnBlock = warning.querySelector("[data-session-state=warning]");
  const expiredBlock = warning.querySelector("[data-session-state=expired]");
  const deadlineText = warning.querySelector("[data-session-deadline]");
  let lastActive = Date.now();
  let state = "quiet";
  let timer = null;
  let returnFocus = null;

  warning.classList.remove("session-warning--css-timer");
  warning.hidden = true;

  const remember = () => {
    try {
      window.localStorage.setItem(STORE, String(lastActive));
    } catch {
      // Private windows may refuse storage: this tab still times itself.
    }
  };
  const recall = () => {
    try {
      return Number(window.localStorage.getItem(STORE)) || 0;
    } catch {
      return 0;
    }
  };

  const open = () => {
    const deadline = new Date(lastActive + sessionMs);
    if (deadlineText) {
      const time = deadline.toLocaleTimeString("sv-SE", { hour: "2-digit", minute: "2-digit" });
      deadlineText.textContent = ` (kl. ${time})`;
    }
    if (state === "warning") {
      return;
    }
    state = "warning";
    warnBlock.hidden = false;
    expiredBlock.hidden = true;
    warning.setAttribute("aria-labelledby", "sessionsvarning-rubrik");
    warning.hidden = false;
    returnFocus = document.activeElement;
    warning.focus();
    announce(warnBlock.querySelector("[data-session-message]").textContent);
  };

  const expire = () => {
    if (state === "expired") {
      return;
    }
    const hadFocus = warning.contains(document.activeElement);
    state = "expired";
    warnBlock.hidden = true;
    expiredBlock.hidden = false;
    warning.setAttribute("aria-labelledby", "sessionsvarning-utloggad");
    warning.hidden = false;
    if (!hadFocus) {
      returnFocus = document.activeElement;
    }
    warning.focus();
    announce(expiredBlock.querySelector("[data-session-message]").textContent);
  };

  const close = () => {
    const hadFocus = warning.contains(document.activeElement);
    state = "quiet";
    warning.hidden = true;
    if (hadFocus && returnFocus && returnFocus.isConnected && returnFocus !== document.body) {
      returnFocus.focus();
    }
    returnFocus = null;
  };

  const schedule = () => {
    clearTimeout(timer);
    lastActive = Math.max(lastActive, recall());
    const left = lastActive + sessionMs - Date.now();
    if (left <= 0) {
      expire();
      return;
    }
    if (left <= warningMs) {
      open();
      timer = setTimeout(schedule, Math.min(left, 30000));
      return;
    }
    if (state !== "quiet") {
      close();
    }
    timer = setTimeout(schedule, left - warningMs);
  };

  const touched = () => {
    lastActive = Date.now();
    remember();
    schedule();
  };

  document.addEventListener("htmx:afterRequest", (event) => {
    if (!event.detail.successful || state === "expired") {
      return;
    }
    const extended = event.detail.elt && event.detail.elt.matches("[data-session-extend]");
    touched();
    if (extended) {
      announce(warning.dataset.extendedText);
    }
  });
  window.addEventListener("storage", (event) => {
    if (event.key === STORE) {
      schedule();
    }
  });
  touched();
})();
