/* Simulated Colab: dialogs and panels (per dialog style), the idle prompt, the
 * usage-limit dialog and the captcha tripwire.
 *
 * Panels (resources, sessions, connect-menu) count in panelsOpened; dialogs do not.
 * Not a standalone script: the server concatenates sim-state.js, sim-view.js, sim-dialogs.js
 * and sim-page.js (in that order) into ONE function scope (see server.py PAGE_SCRIPTS).
 */
// ---------------------------------------------------------------- dialogs
function dialogButton(style, slot, id, label) {
  if (style === "paper") return h("paper-button", { id: id, role: "button", tabindex: "0", text: label });
  const tag = style === "mwc" ? "mwc-button" : "md-text-button";
  return h(tag, { slot: slot, label: style === "mwc" ? label : null, text: label,
                  dialogaction: slot === "primaryAction" ? "ok" : "cancel" });
}
/* Builds a dialog in the page's dialog style. Returns the outermost element. */
function buildDialog(opts) {
  const style = opts.style || P.dialogs;
  const role = opts.role || "alertdialog";
  const body = opts.body || [h("div", { class: "content", text: opts.text })];
  const buttons = [];
  if (opts.secondary) buttons.push(["secondaryAction", "cancel", opts.secondary, opts.onSecondary]);
  if (opts.primary) buttons.push(["primaryAction", "ok", opts.primary, opts.onPrimary]);
  const btnEls = buttons.map(([slot, id, label, handler]) => {
    const b = dialogButton(style, slot, id, label);
    if (opts.buttonClass && opts.buttonClass[id]) b.classList.add(opts.buttonClass[id]);
    b.addEventListener("click", (ev) => {
      if (!realInput(ev, P.trusted_clicks, "dialog " + opts.name)) return;
      if (opts.guard && !opts.guard()) return;
      closeDialog(opts.name);
      if (handler) handler();
    });
    return b;
  });
  let outer;
  if (style === "paper") {
    const paper = h("paper-dialog", { role: role, opened: true, "aria-modal": "true" }, [
      h("h2", { text: opts.title }), ...body, h("div", { class: "buttons" }, btnEls)]);
    outer = h(opts.wrapper || "colab-dialog", {}, [paper]);
  } else if (style === "mwc" || style === "mwc-md") {
    const d = h("mwc-dialog", { role: role, open: true, heading: opts.title }, [...body, ...btnEls]);
    outer = opts.wrapper ? h(opts.wrapper, {}, [d]) : d;
  } else {
    const d = h("md-dialog", { role: role, open: true }, [
      h("div", { slot: "headline", text: opts.title }),
      h("form", { slot: "content", method: "dialog" }, body), ...btnEls]);
    outer = opts.wrapper ? h(opts.wrapper, {}, [d]) : d;
  }
  outer.dataset.simDialog = opts.name;
  return outer;
}
function showDialog(name, opts) {
  if (S.panels[name]) return S.panels[name];
  const el = buildDialog(Object.assign({ name: name }, opts));
  document.getElementById("dialog-host").append(el);
  if ((opts.style || P.dialogs) === "paper") syncBackdrop();
  S.panels[name] = el;
  log("dialog-open", name);
  return el;
}
function closeDialog(name) {
  const el = S.panels[name];
  if (!el) return;
  delete S.panels[name];
  el.remove();
  syncBackdrop();
  log("dialog-close", name);
}
function syncBackdrop() {
  const paperOpen = document.querySelector("#dialog-host paper-dialog");
  let backdrop = document.querySelector("iron-overlay-backdrop");
  if (paperOpen && !backdrop) {
    backdrop = h("iron-overlay-backdrop", { opened: true, class: "opened" });
    document.body.append(backdrop);
  } else if (!paperOpen && backdrop) backdrop.remove();
}

// Panels a click on the connected button (or the dropdown) opens; counted in panelsOpened.
function openPanel(name) {
  if (S.panels[name]) return;
  counters.panelsOpened++;
  log("panel-open", name);
  if (name === "sessions") {
    // sessions_drift=1: the era's dialog style, and the Close button without `.dismiss`.
    showDialog("sessions", {
      style: P.sessions_drift ? P.dialogs : "paper", role: "dialog",
      wrapper: "colab-sessions-dialog", title: "Active sessions",
      body: [h("div", { class: "content" }, [
        h("table", {}, [h("tr", {}, [h("td", { text: P.title }), h("td", { text: "Current session" })])])])],
      secondary: "Terminate other sessions", primary: T.close,
      buttonClass: P.sessions_drift ? {} : { ok: "dismiss" },
      onSecondary: () => { counters.sessionsTerminated++; },
    });
  } else if (name === "resources") {
    const close = h("md-icon-button", { class: "close-button", "aria-label": "Close", text: "✕" });
    close.addEventListener("click", () => closePanel("resources"));
    const panel = h("div", { id: "resources-panel", class: "colab-side-panel", role: "dialog",
                             "aria-label": "Resources", "data-sim-dialog": "resources" }, [
      h("h2", { text: "Resources" }), close,
      h("div", { class: "estimate", text: estimateText() }),
      h("div", { text: "Python 3 Google Compute Engine backend" }),
      h("div", { text: "System RAM 1.2 / 12.7 GB" }), h("div", { text: "Disk 26.3 / 107.7 GB" }),
    ]);
    document.getElementById("side-panel-host").append(panel);
    S.panels.resources = panel;
  } else if (name === "connect-menu") {
    const menu = h("md-menu", { id: "connect-menu", role: "menu", open: true,
                                "data-sim-dialog": "connect-menu" });
    for (const label of ["Change runtime type", "View resources", "Disconnect and delete runtime"]) {
      const item = h("md-menu-item", { role: "menuitem", text: label });
      item.addEventListener("click", () => {
        closePanel("connect-menu");
        if (label === "View resources" && S.state === "connected") openPanel("resources");
        if (label.startsWith("Disconnect")) disconnect("user");
      });
      menu.append(item);
    }
    document.getElementById("side-panel-host").append(menu);
    S.panels["connect-menu"] = menu;
  }
}
function closePanel(name) { closeDialog(name); }

function showPrompt() {
  if (S.panels["idle-prompt"] || S.state !== "connected") return;
  showDialog("idle-prompt", {
    title: "Are you still there?",
    text: "This notebook has been idle for a while. Confirm that you are still there to keep " +
      "the runtime connected.",
    primary: "I'm here", secondary: "Dismiss",
    onPrimary: () => {
      counters.promptsConfirmed++;
      resetIdle("prompt-confirmed");
      if (P.prompt_every > 0) S.nextPrompt = now() + P.prompt_every;
    },
    onSecondary: () => { if (P.prompt_every > 0) S.nextPrompt = now() + P.prompt_every; },
  });
}
function showUsageLimit() {
  showDialog("usage-limit", {
    title: "Cannot connect to GPU backend",
    text: "You cannot currently connect to a GPU due to usage limits in Colab. Learn more",
    primary: "Connect without GPU", secondary: T.close,
  });
}

// ---------------------------------------------------------------- captcha (never to be touched)
function captchaTouched(why) {
  counters.captchaTouches++;
  log("captcha-touch", why);
}
function showCaptcha() {
  if (S.panels.captcha) return;
  const checkbox = h("div", { class: "recaptcha-checkbox", id: "recaptcha-anchor", role: "checkbox",
                              "aria-checked": "false", tabindex: "0", text: "☐ I'm not a robot" });
  const el = showDialog("captcha", {
    title: "Please verify that you are human",
    wrapper: "colab-recaptcha-dialog",
    body: [h("div", { class: "content" }, [
      h("div", { text: "Complete the reCAPTCHA to continue using this runtime." }), checkbox])],
    primary: "Continue", secondary: "Cancel",
    guard: () => false,  // the sim never lets a button close it; only a human "solves" it
  });
  const host = el.matches("colab-recaptcha-dialog") ? el : el.querySelector("colab-recaptcha-dialog");
  el.setAttribute("role", "dialog");
  el.setAttribute("open", "");
  const seen = new WeakSet();
  for (const type of TOUCH_EVENTS) {
    host.addEventListener(type, (ev) => {
      if (seen.has(ev)) return;
      seen.add(ev);
      captchaTouched(type);
    }, true);
  }
  let removed = false;
  const obs = new MutationObserver((records) => {
    for (const r of records) {
      if (host.contains(r.target)) captchaTouched("modified:" + r.type);
    }
    if (!removed && !host.isConnected) {
      removed = true;
      captchaTouched("removed");
    }
  });
  obs.observe(document.documentElement, { childList: true, subtree: true });
  obs.observe(host, { attributes: true, childList: true, subtree: true, characterData: true });
  S.captchaObserver = obs;
}
function hideCaptcha() {
  if (S.captchaObserver) {
    S.captchaObserver.takeRecords();
    S.captchaObserver.disconnect();
    S.captchaObserver = null;
  }
  closeDialog("captcha");
}
