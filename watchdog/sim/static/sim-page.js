/* Simulated Colab: the state machine, activity listeners, the one timer, boot and
 * window.__sim.
 *
 * The page makes no network request of its own after load.
 * Not a standalone script: the server concatenates sim-state.js, sim-view.js, sim-dialogs.js
 * and sim-page.js (in that order) into ONE function scope (see server.py PAGE_SCRIPTS).
 */
// ---------------------------------------------------------------- state machine
/* fresh=false resumes a restored runtime (persist=1) instead of starting a new one. */
function startRuntime(fresh) {
  S.state = "connected";
  if (fresh !== false) S.runtimeStart = now() - (S.runtimeStart === null ? P.age : 0);
  S.everConnected = true;
  S.idleDeadline = P.idle > 0 ? now() + P.idle : null;
  S.connectingUntil = null;
  log("connected");
  saveState();
  renderAll();
}
function startConnecting() {
  S.state = "connecting";
  S.connectingUntil = now() + Math.max(0, P.connect_delay);
  closeDialog("runtime-disconnected");
  log("connecting");
  saveState();
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
  saveState();
  renderAll();
  showDisconnectedDialog();
}
/* Also a hook: a stale dialog left up while the toolbar already reads connecting/connected. */
function showDisconnectedDialog() {
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
function onConnectClick(ev) {
  if (!realInput(ev, P.trusted_clicks, "connect")) return;
  counters.connectClicks++;
  log("connect-click", S.state);
  if (S.state === "disconnected") reconnect("button");
  else if (S.state === "connected") openPanel(P.era === "2025" ? "resources" : "sessions");
}

// ---------------------------------------------------------------- busy cell
/* A cell that runs for `seconds` and then finishes by itself. */
function runCell(seconds) {
  setBusy(true);
  S.busyUntil = now() + Math.max(0, seconds);
}
/* The kernel dies (out of memory): the running cell stops, RAM is freed, the toast shows. */
function crash(text) {
  if (S.busy) setBusy(false, true);
  S.ram = Math.min(P.ram, 0.5);
  S.toast = text || CRASH_TEXT;
  log("crash", S.toast);
  renderConnect();
  renderToast();
}
function setRam(value) {
  S.ram = Math.max(0, Number(value) || 0);
  if (S.state === "connected") renderConnect();
}
function setBusy(value, quiet) {
  value = Boolean(value);
  if (value === S.busy) return;
  S.busy = value;
  S.busyUntil = null;
  if (value) S.busySince = now();
  else {
    S.lastFinished = now();
    if (!quiet) resetIdle("cell-finished");
  }
  log("busy", value);
  renderBusy();
}
// ---------------------------------------------------------------- activity
// Timers in background tabs are throttled (to once a minute after 5 min hidden), so every
// reader and every input first catches up with page time: activity that arrives after the
// idle deadline finds the runtime already gone, exactly as if the timer had fired on time.
for (const type of ACTIVITY_EVENTS) {
  document.addEventListener(type, (ev) => {
    tick();
    if (!realInput(ev, P.trusted_activity, "activity")) return;
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
  if (S.busyUntil !== null && t >= S.busyUntil) setBusy(false);
  if (S.runAt !== null && t >= S.runAt && S.state === "connected") { S.runAt = null; runCell(P.run); }
  if (S.crashAt !== null && t >= S.crashAt && S.state === "connected") { S.crashAt = null; crash(); }
  if (S.busy) renderBusyText();
  renderSummary();
}

function renderAll() {
  renderConnect();
  renderSummary();
  if (S.panels.resources && S.state !== "connected") closePanel("resources");
}

// ---------------------------------------------------------------- boot
const restored = restoreState();
buildToolbar();
if (S.state === "connected") startRuntime(!restored);
else if (S.state === "connecting") startConnecting();
window.addEventListener("pagehide", saveState);
if (P.busy) setBusy(true);
if (P.run > 0 && P.run_at > 0) S.runAt = t0 + P.run_at;
else if (P.run > 0) runCell(P.run);
if (S.busy && P.elapsed > 0) S.busySince -= P.elapsed;  // the cell started before the page
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
  // Prunes panels removed from the DOM by anything but the page (that is not "closing" them
  // through the UI, but they are gone all the same).
  openPanels: () => {
    tick();
    for (const [name, el] of Object.entries(S.panels)) if (!el.isConnected) delete S.panels[name];
    return Object.keys(S.panels).sort();
  },
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
  showDisconnectedDialog: () => { tick(); showDisconnectedDialog(); },
  showCaptcha: showCaptcha,
  hideCaptcha: hideCaptcha,
  showUsageLimit: showUsageLimit,
  setBusy: (value) => { tick(); setBusy(value); },
  run: (seconds) => { tick(); runCell(seconds); },
  setRam: (value) => { tick(); setRam(value); },
  get ram() { return S.ram; },
  crash: (text) => { tick(); crash(text); },
  hideToast: () => { S.toast = null; renderToast(); },
};
log("ready", P.era + "/" + P.lang + "/" + P.state);
// hang_after=S: S seconds after load the page's main thread spins forever (a runaway loop
// started by the page), so every later script call or input to the tab waits for it.
if (P.hang_after > 0) {
  setTimeout(() => { log("hang", "busy loop"); for (;;) { /* never returns */ } },
    P.hang_after * 1000);
}
