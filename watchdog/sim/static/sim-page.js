/* Simulated Colab: behaviour (state machine, timers, counters, dialogs, window.__sim).
 *
 * Parameters come from the query string (see watchdog/sim/README.md for the full list).
 * Time inside the page uses performance.now(); one 100 ms interval drives every timer.
 * The page makes no network request of its own after load.
 */
"use strict";

(function () {
  const q = new URLSearchParams(location.search);
  function num(name, dflt) {
    const raw = q.get(name);
    if (raw === null || raw === "") return dflt;
    const v = Number(raw);
    return Number.isFinite(v) ? v : dflt;
  }
  const ERA_VALUES = ["2019", "2021", "2023", "2025"];
  const era = ERA_VALUES.includes(q.get("era")) ? q.get("era") : "2025";
  const P = {
    era: era,
    lang: ["en", "es", "tr", "ru"].includes(q.get("lang")) ? q.get("lang") : "en",
    idle: num("idle", 10),
    lifetime: num("lifetime", 0),
    age: num("age", 0),
    state: ["connected", "disconnected", "connecting"].includes(q.get("state"))
      ? q.get("state") : "connected",
    connect_delay: num("connect_delay", 1),
    busy: q.get("busy") === "1" || q.get("busy") === "true",
    prompt_after: num("prompt_after", 0),
    prompt_every: num("prompt_every", 0),
    captcha_after: num("captcha_after", 0),
    usage_limit_after: num("usage_limit_after", 0),
    estimate: num("estimate", 0),
    dialogs: ["paper", "mwc", "md", "mwc-md"].includes(q.get("dialogs")) ? q.get("dialogs")
      : ({ "2019": "paper", "2021": "paper", "2023": "mwc", "2025": "md" })[era],
    global: q.get("global") === "1",
    tick_ms: Math.max(10, num("tick_ms", 100)),
    title: q.get("title") || document.title || "sim_notebook.ipynb - Colab",
  };
  document.title = P.title;

  const LABELS = {
    en: { connect: "Connect", reconnect: "Reconnect", connecting: "Connecting...",
          connected: "Connected", connectedTo: "Connected to", close: "Close" },
    es: { connect: "Conectar", reconnect: "Volver a conectar", connecting: "Conectando...",
          connected: "Conectado", connectedTo: "Conectado a", close: "Cerrar" },
    tr: { connect: "Bağlan", reconnect: "Yeniden bağlan", connecting: "Bağlanıyor...",
          connected: "Bağlandı", connectedTo: "Bağlı:", close: "Kapat" },
    ru: { connect: "Подключиться", reconnect: "Переподключиться", connecting: "Подключение...",
          connected: "Подключено", connectedTo: "Подключено к", close: "Закрыть" },
  };
  const T = LABELS[P.lang];
  const ACTIVITY_EVENTS = ["click", "keydown", "mousedown", "pointerdown", "wheel", "touchstart"];
  const TOUCH_EVENTS = ACTIVITY_EVENTS.concat(
    ["mouseup", "pointerup", "keyup", "keypress", "focusin", "input", "change", "touchend"]);
  const DISCONNECT_TEXT =
    "Your runtime has been disconnected due to inactivity or reaching its maximum duration.";

  const now = () => performance.now() / 1000;
  const t0 = now();
  const counters = { interactions: 0, disconnects: 0, panelsOpened: 0, reconnects: 0,
                     promptsConfirmed: 0, captchaTouches: 0, connectClicks: 0 };
  const S = {
    state: P.state,
    everConnected: P.state === "connected",
    busy: false,
    busySince: 0,
    lastFinished: null,
    idleDeadline: null,
    runtimeStart: null,
    connectingUntil: null,
    disconnectReason: null,
    nextPrompt: P.prompt_after > 0 ? t0 + P.prompt_after : null,
    captchaAt: P.captcha_after > 0 ? t0 + P.captcha_after : null,
    usageLimitAt: P.usage_limit_after > 0 ? t0 + P.usage_limit_after : null,
    panels: {},  // name -> element
    captchaObserver: null,
  };
  const events = [];
  function log(type, detail) {
    events.push({ t: Math.round((now() - t0) * 1000) / 1000, type: type, detail: detail || null });
    if (events.length > 500) events.shift();
  }

  // ---------------------------------------------------------------- helpers
  function h(tag, attrs, children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "text") el.textContent = v;
      else if (k === "class") el.className = v;
      else if (v !== null && v !== undefined && v !== false) el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children || []) el.append(c);
    return el;
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  function estimateText() {
    if (!(P.estimate > 0) || S.state !== "connected") return "";
    const left = Math.max(0, P.estimate - (now() - t0));
    const hours = Math.floor(left / 3600);
    const minutes = Math.floor((left % 3600) / 60);
    return "At your current usage level, this runtime may last up to " +
      plural(hours, "hour", "hours") + " " + plural(minutes, "minute", "minutes") + ".";
  }
  function tooltipText() {
    if (S.state === "connected") {
      return T.connectedTo + "\nPython 3 Google Compute Engine backend\nRAM: 1.21 GB/12.67 GB\n" +
        "Disk: 26.31 GB/107.72 GB";
    }
    if (S.state === "connecting") return T.connecting;
    return labelText();
  }
  function labelText() {
    if (S.state === "connecting") return T.connecting;
    if (S.state === "connected") return T.connected;
    return S.everConnected ? T.reconnect : T.connect;
  }

  // ---------------------------------------------------------------- toolbar (per era)
  const toolbarHost = document.getElementById("toolbar-host");
  let connectHost = null;  // colab-connect-button (2021+) or null (2019)

  function buildToolbar() {
    toolbarHost.textContent = "";
    if (P.era === "2019") {
      toolbarHost.append(h("div", { id: "top-toolbar", class: "colab-toolbar" }, [
        h("div", { class: "toolbar-title", text: P.title }),
        h("colab-toolbar-button", { id: "connect", role: "button", tabindex: "0" }),
      ]));
    } else {
      connectHost = h("colab-connect-button", {});
      const bar = P.era === "2025"
        ? h("colab-notebook-toolbar", { id: "top-toolbar" }, [connectHost])
        : h("div", { id: "top-toolbar", class: "colab-toolbar" }, [connectHost]);
      toolbarHost.append(bar);
    }
    renderConnect();
  }

  function resourceBars() {
    return [h("span", { class: "label", text: "RAM" }), h("span", { class: "bar ram", text: "▮▮▯" }),
            h("span", { class: "label", text: "Disk" }), h("span", { class: "bar disk", text: "▮▯▯" })];
  }

  function renderConnect() {
    if (P.era === "2019") {
      const btn = document.getElementById("connect");
      btn.textContent = "";
      if (S.state === "connected") {
        btn.append(h("span", { class: "connect-label", text: T.connected }), " ",
                   h("span", { class: "resource-display" }, resourceBars()));
      } else {
        btn.append(h("span", { class: "connect-label", text: labelText() }));
      }
      btn.onclick = onConnectClick;
      return;
    }
    const root = connectHost.shadowRoot;
    const mount = root.getElementById("slot-root");
    mount.textContent = "";
    if (P.era === "2021" || P.era === "2023") {
      const btn = h("colab-toolbar-button", { id: "connect", role: "button", tabindex: "0" });
      if (S.state === "connected") {
        btn.append(h("colab-usage-display", {}, [
          h("div", { id: "connect-button-resource-display" }, resourceBars())]));
      } else {
        btn.append(h("div", { class: "connect-label", text: labelText() }));
      }
      btn.addEventListener("click", onConnectClick);
      mount.append(btn);
      return;
    }
    // 2025
    const tip = tooltipText();
    const btn = h("colab-toolbar-button",
      { id: "connect", class: "split-button", tooltiptext: tip, role: "none" });
    const mdButton = h("md-text-button", { id: "button" });
    if (S.state === "connected") {
      mdButton.append(h("span", { class: "connected-icon", "aria-hidden": "true", text: "✓" }));
    } else {
      mdButton.append(labelText());
    }
    btn.append(mdButton, h("span", { class: "screenreader-only", text: tip }));
    if (S.state === "connected") {
      btn.append(h("div", { id: "connect-button-resource-display" }, [
        h("span", { class: "label", text: "RAM" }), h("colab-usage-sparkline", { class: "ram" }),
        h("span", { class: "label", text: "Disk" }), h("colab-usage-sparkline", { class: "disks" }),
      ]));
    }
    btn.addEventListener("click", onConnectClick);
    const icon = h("md-icon-button", { id: "connect-icon", "aria-label": "Focus the last run cell",
                                       title: "Focus the last run cell", text: "⟲" });
    icon.addEventListener("click", () => log("connect-icon"));
    const drop = h("md-icon-button", { id: "connect-dropdown", "aria-label": "Additional connection options",
                                       text: "▾" });
    drop.addEventListener("click", () => openPanel("connect-menu"));
    mount.append(btn, icon, drop);
  }

  function renderSummary() {
    const el = document.getElementById("resource-summary");
    const text = estimateText();
    if (el.textContent !== text) el.textContent = text;
    const panel = S.panels.resources;
    if (panel) {
      const line = panel.querySelector(".estimate");
      if (line && line.textContent !== text) line.textContent = text;
    }
  }

  // ---------------------------------------------------------------- state machine
  function startRuntime() {
    S.state = "connected";
    S.everConnected = true;
    S.runtimeStart = now() - (S.runtimeStart === null ? P.age : 0);
    S.idleDeadline = P.idle > 0 ? now() + P.idle : null;
    S.connectingUntil = null;
    log("connected");
    renderAll();
  }
  function startConnecting() {
    S.state = "connecting";
    S.connectingUntil = now() + Math.max(0, P.connect_delay);
    closeDialog("runtime-disconnected");
    log("connecting");
    renderAll();
  }
  function reconnect(via) {
    counters.reconnects++;
    log("reconnect", via);
    startConnecting();
  }
  function disconnect(reason) {
    if (S.state === "disconnected") return;
    S.state = "disconnected";
    S.disconnectReason = reason;
    S.everConnected = true;  // after any disconnect the button offers "Reconnect"
    S.idleDeadline = null;
    S.connectingUntil = null;
    counters.disconnects++;
    if (S.busy) setBusy(false, true);
    closeDialog("idle-prompt");
    log("disconnect", reason);
    renderAll();
    showDialog("runtime-disconnected", {
      title: "Runtime disconnected",
      text: DISCONNECT_TEXT,
      primary: T.reconnect,
      secondary: T.close,
      onPrimary: () => reconnect("dialog"),
    });
  }
  function resetIdle(why) {
    if (S.state === "connected" && P.idle > 0) S.idleDeadline = now() + P.idle;
    if (why) log("idle-reset", why);
  }
  function onConnectClick() {
    counters.connectClicks++;
    log("connect-click", S.state);
    if (S.state === "disconnected") reconnect("button");
    else if (S.state === "connected") openPanel(P.era === "2025" ? "resources" : "sessions");
  }

  // ---------------------------------------------------------------- busy cell
  function setBusy(value, quiet) {
    value = Boolean(value);
    if (value === S.busy) return;
    S.busy = value;
    if (value) S.busySince = now();
    else {
      S.lastFinished = now();
      if (!quiet) resetIdle("cell-finished");
    }
    log("busy", value);
    renderBusy();
  }
  function renderBusy() {
    const cell = document.getElementById("cell-1");
    cell.classList.toggle("running", S.busy);
    cell.querySelector(".cell-execution").classList.toggle("running", S.busy);
    const run = cell.querySelector("colab-run-button").shadowRoot.querySelector(".cell-execution-indicator");
    run.textContent = "";
    run.append(S.busy ? h("div", { id: "stopSymbolMask", text: "■" })
                      : h("div", { id: "playSymbolMask", text: "▶" }));
    renderBusyText();
  }
  function renderBusyText() {
    const status = document.querySelector("colab-status-bar").shadowRoot
      .querySelector("colab-execution-status").shadowRoot.getElementById("status");
    if (S.busy) {
      const secs = Math.floor(now() - S.busySince);
      const text = "Executing (" + secs + " sec)... cell 1";
      let progress = status.querySelector("md-circular-progress");
      if (!progress) {
        status.textContent = "";
        progress = h("md-circular-progress", { indeterminate: true });
        status.append(progress, h("span", { class: "text" }));
      }
      const span = status.querySelector(".text");
      if (span.textContent !== text) span.textContent = text;
    } else {
      const text = S.lastFinished === null ? "" : "✓ completed";
      if (status.querySelector("md-circular-progress") || status.textContent !== text) {
        status.textContent = text;
      }
    }
  }

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
      b.addEventListener("click", () => {
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
      showDialog("sessions", {
        style: "paper", role: "dialog", wrapper: "colab-sessions-dialog", title: "Active sessions",
        body: [h("div", { class: "content" }, [
          h("table", {}, [h("tr", {}, [h("td", { text: P.title }), h("td", { text: "Current session" })])])])],
        primary: T.close, buttonClass: { ok: "dismiss" },
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

  // ---------------------------------------------------------------- activity
  // Timers in background tabs are throttled (to once a minute after 5 min hidden), so every
  // reader and every input first catches up with page time: activity that arrives after the
  // idle deadline finds the runtime already gone, exactly as if the timer had fired on time.
  for (const type of ACTIVITY_EVENTS) {
    document.addEventListener(type, () => {
      tick();
      counters.interactions++;
      resetIdle();
    }, true);
  }

  // ---------------------------------------------------------------- the one timer
  function tick() {
    const t = now();
    if (S.state === "connecting" && S.connectingUntil !== null && t >= S.connectingUntil) {
      startRuntime();
    }
    if (S.state === "connected") {
      if (P.lifetime > 0 && t - S.runtimeStart >= P.lifetime) disconnect("lifetime");
      else if (S.idleDeadline !== null && t >= S.idleDeadline && !S.busy) disconnect("idle");
    }
    if (S.nextPrompt !== null && t >= S.nextPrompt) {
      S.nextPrompt = null;
      showPrompt();
    }
    if (S.captchaAt !== null && t >= S.captchaAt) { S.captchaAt = null; showCaptcha(); }
    if (S.usageLimitAt !== null && t >= S.usageLimitAt) { S.usageLimitAt = null; showUsageLimit(); }
    if (S.busy) renderBusyText();
    renderSummary();
  }

  function renderAll() {
    renderConnect();
    renderSummary();
    if (S.panels.resources && S.state !== "connected") closePanel("resources");
  }

  // ---------------------------------------------------------------- boot
  buildToolbar();
  if (S.state === "connected") startRuntime();
  else if (S.state === "connecting") startConnecting();
  if (P.busy) setBusy(true);
  renderBusy();
  renderSummary();
  setInterval(tick, P.tick_ms);

  if (P.global) {
    window.colab = { global: { notebook: { kernel: {
      isConnected: () => S.state === "connected",
      get state() { return S.state; },
    } } } };
  }

  window.__sim = {
    params: P,
    get counters() { tick(); return counters; },
    events: events,
    get state() { tick(); return S.state; },
    get busy() { tick(); return S.busy; },
    get disconnectReason() { tick(); return S.disconnectReason; },
    openPanels: () => { tick(); return Object.keys(S.panels).sort(); },
    idleRemaining: () => {
      tick();
      return S.state === "connected" && S.idleDeadline !== null
        ? Math.max(0, S.idleDeadline - now()) : null;
    },
    lifetimeRemaining: () => {
      tick();
      return S.state === "connected" && P.lifetime > 0
        ? Math.max(0, P.lifetime - (now() - S.runtimeStart)) : null;
    },
    disconnect: (reason) => disconnect(reason || "hook"),
    showPrompt: showPrompt,
    showCaptcha: showCaptcha,
    hideCaptcha: hideCaptcha,
    showUsageLimit: showUsageLimit,
    setBusy: (value) => { tick(); setBusy(value); },
  };
  log("ready", P.era + "/" + P.lang + "/" + P.state);
})();
