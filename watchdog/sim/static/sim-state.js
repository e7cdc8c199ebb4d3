/* Simulated Colab: parameters, labels, counters and the state record.
 *
 * Parameters come from the query string (watchdog/sim/README.md lists them). Page time is
 * performance.now() in seconds.
 * Not a standalone script: the server concatenates sim-state.js, sim-view.js, sim-dialogs.js
 * and sim-page.js (in that order) into ONE function scope (see server.py PAGE_SCRIPTS).
 */
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
  hang_after: num("hang_after", 0),
  estimate: num("estimate", 0),
  dialogs: ["paper", "mwc", "md", "mwc-md"].includes(q.get("dialogs")) ? q.get("dialogs")
    : ({ "2019": "paper", "2021": "paper", "2023": "mwc", "2025": "md" })[era],
  global: q.get("global") === "1",
  tick_ms: Math.max(10, num("tick_ms", 100)),
  persist: q.get("persist") === "1",
  sessions_drift: q.get("sessions_drift") === "1",
  // The pessimistic hypotheses: only input the browser generates (isTrusted) counts as
  // activity; dialog and connect buttons answer only such clicks. trusted=1 sets both.
  trusted_activity: ["trusted", "trusted_activity"].some((k) => q.get(k) === "1"),
  trusted_clicks: ["trusted", "trusted_clicks"].some((k) => q.get(k) === "1"),
  title: q.get("title") || document.title || "sim_notebook.ipynb - Colab",
  run: num("run", 0),
  run_at: num("run_at", 0),
  elapsed: num("elapsed", 0),
  ram: num("ram", 1.21),
  ram_total: num("ram_total", 12.67),
  disk: num("disk", 26.31),
  disk_total: num("disk_total", 107.72),
  backend: ["cpu", "gpu", "tpu"].includes(q.get("backend")) ? q.get("backend") : "cpu",
  crash_after: num("crash_after", 0),
};
document.title = P.title;

const LABELS = {
  en: { connect: "Connect", reconnect: "Reconnect", connecting: "Connecting...",
        connected: "Connected", connectedTo: "Connected to", close: "Close",
        ram: "RAM", disk: "Disk", comma: false },
  es: { connect: "Conectar", reconnect: "Volver a conectar", connecting: "Conectando...",
        connected: "Conectado", connectedTo: "Conectado a", close: "Cerrar",
        ram: "RAM", disk: "Disco", comma: true },
  tr: { connect: "Bağlan", reconnect: "Yeniden bağlan", connecting: "Bağlanıyor...",
        connected: "Bağlandı", connectedTo: "Bağlı:", close: "Kapat",
        ram: "RAM", disk: "Disk", comma: true },
  ru: { connect: "Подключиться", reconnect: "Переподключиться", connecting: "Подключение...",
        connected: "Подключено", connectedTo: "Подключено к", close: "Закрыть",
        ram: "ОЗУ", disk: "Диск", comma: true },
};
const T = LABELS[P.lang];
const ACTIVITY_EVENTS = ["click", "keydown", "mousedown", "pointerdown", "wheel", "touchstart"];
const TOUCH_EVENTS = ACTIVITY_EVENTS.concat(
  ["mouseup", "pointerup", "keyup", "keypress", "focusin", "input", "change", "touchend"]);
const BACKENDS = {
  cpu: "Python 3 Google Compute Engine backend",
  gpu: "Python 3 Google Compute Engine backend (GPU)",
  tpu: "Python 3 Google Compute Engine backend (TPU)",
};
const CRASH_TEXT = "Your session crashed after using all available RAM.";
const DISCONNECT_TEXT =
  "Your runtime has been disconnected due to inactivity or reaching its maximum duration.";

const now = () => performance.now() / 1000;
const t0 = now();
const counters = { interactions: 0, disconnects: 0, panelsOpened: 0, reconnects: 0,
                   promptsConfirmed: 0, captchaTouches: 0, connectClicks: 0,
                   sessionsTerminated: 0, untrustedIgnored: 0 };
const S = {
  state: P.state,
  everConnected: P.state === "connected",
  busy: false,
  busySince: 0,
  busyUntil: null,  // a cell started with `run` / __sim.run(s) finishes at this page time
  runAt: null,  // page time at which the `run` cell starts (run_at > 0)
  ram: P.ram,
  crashAt: P.crash_after > 0 ? t0 + P.crash_after : null,
  toast: null,
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

// persist=1: the runtime outlives the page, as a real Colab VM does. State, the runtime's
// start (as wall-clock epoch seconds) and counters are kept in sessionStorage (per tab and
// URL) and restored on reload; the idle timer restarts with the page.
const STORE_KEY = "colab-watchdog-sim:" + location.pathname + location.search;
function saveState() {
  if (!P.persist) return;
  const startEpoch = S.runtimeStart === null ? null : Date.now() / 1000 - (now() - S.runtimeStart);
  sessionStorage.setItem(STORE_KEY, JSON.stringify({
    state: S.state, everConnected: S.everConnected, startEpoch: startEpoch,
    disconnectReason: S.disconnectReason, counters: counters }));
}
function restoreState() {
  if (!P.persist) return false;
  let saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null"); } catch (e) { saved = null; }
  if (!saved) return false;
  S.state = saved.state;
  S.everConnected = Boolean(saved.everConnected);
  S.disconnectReason = saved.disconnectReason || null;
  S.runtimeStart = saved.startEpoch === null ? null : now() - (Date.now() / 1000 - saved.startEpoch);
  Object.assign(counters, saved.counters || {});
  return true;
}

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
/* Under the pessimistic hypotheses: false (and counted) for an event a page script made. */
function realInput(ev, required, what) {
  if (!required || !ev || ev.isTrusted) return true;
  counters.untrustedIgnored++;
  log("untrusted-ignored", what + ":" + ev.type);
  return false;
}
function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
