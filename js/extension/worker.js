/*
 * colab-watchdog extension: service worker. Collects each tab's status, keeps the runtime
 * clocks, and owns the badge and the notifications.
 *
 * Contract
 *   Messages in:  {type: "status", status, paused, title} from content.js   -> {enabled: bool}
 *                 {type: "refresh"} from the popup or options page         -> {ok: true}
 *   State lives in storage only (the worker may be stopped at any moment).
 *   chrome.storage.local, kept across browser restarts:
 *     settings  partial overrides written by the options page (see settings.js)
 *     disabled  {notebookKey: true} notebooks switched off in the popup
 *     sessions  {notebookKey: session (lifetime.js)}: each runtime's start
 *     alerts    the last 50 notifications raised: [{id, kind, key, title, message, at, error}]
 *   chrome.storage.session, gone with the browser (tab ids do not outlive it):
 *     tabs      {tabId: {key, url, title, state, paused, captcha, error, lastTickAt,
 *                         lastAction: {what, at} | null}}; a closed tab is removed, a tab
 *               silent for 3 intervals + 2 minutes (it left Colab) is dropped
 *   Badge: time left before the nearest runtime end of the open Colab tabs ("5h", "45m",
 *   "30s"), red once it is within the last warning margin; refreshed on every status and by
 *   an alarm every minute (MV3 alarms fire at most every 30 s; content scripts pace ticks).
 *   Notifications (chrome.notifications): each warning margin, the lifetime's end, a
 *   disconnect, a captcha (never touched: it asks a human), a run of at least
 *   `finishedAfter` that has finished (how long it ran), a session crash (the page's
 *   reason). Nothing leaves the machine.
 */

importScripts("defaults.js", "settings.js", "lifetime.js");

const CWX_ALERTS_KEPT = 50;
const CWX_ICON = "icons/icon-128.png";
const CWX_COLORS = {normal: "#1a73e8", red: "#b3261e"};
let cwxQueue = Promise.resolve();

/* One storage read-modify-write at a time: messages from several tabs arrive together. */
function cwxSerial(job) {
  const run = cwxQueue.then(job, job);
  cwxQueue = run.catch(() => {});
  return run;
}

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (!message || typeof message !== "object") return false;
  if (message.type === "status" && sender.tab && sender.tab.id !== undefined) {
    cwxSerial(() => cwxOnStatus(message, sender)).then(reply, (err) => reply({error: String(err)}));
    return true;
  }
  if (message.type === "refresh") {
    cwxSerial(cwxRefreshBadge).then(() => reply({ok: true}), (err) => reply({error: String(err)}));
    return true;
  }
  return false;
});

chrome.tabs.onRemoved.addListener((tabId) => cwxSerial(() => cwxForgetTab(tabId)));
chrome.runtime.onInstalled.addListener(() => cwxSerial(cwxRefreshBadge));
// Created once: creating it again on every worker start would keep postponing it.
chrome.alarms.get("cwx-badge").then((alarm) => {
  if (!alarm) chrome.alarms.create("cwx-badge", {periodInMinutes: 1});
});
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === "cwx-badge") cwxSerial(cwxRefreshBadge);
});
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.settings) cwxSerial(cwxRefreshBadge);
});

async function cwxOnStatus(message, sender) {
  const now = Date.now();
  const tabId = String(sender.tab.id);
  const url = sender.url || sender.tab.url || "";
  const key = cwxNotebookKey(url);
  const data = await chrome.storage.local.get(["settings", "disabled", "sessions"]);
  const settings = cwxSettings(data.settings);
  const sessions = data.sessions || {};
  const tabs = (await chrome.storage.session.get(["tabs"])).tabs || {};
  const previous = tabs[tabId] || {};
  const title = cwxTitle(message.title, url);
  const entry = {
    key: key, url: url, title: title, paused: !!message.paused, lastTickAt: now,
    state: previous.key === key ? previous.state || "unknown" : "unknown",
    captcha: false, error: null,
    lastAction: previous.key === key ? previous.lastAction || null : null,
  };
  let events = [];
  const status = message.status;
  if (status && typeof status === "object") {
    const tracked = cwxTrack(sessions[key] || null, status, now, settings);
    sessions[key] = tracked.session;
    events = tracked.events;
    entry.state = status.state;
    entry.captcha = !!status.captcha;
    entry.error = status.error || null;
    const what = cwxActionText(status);
    if (what) entry.lastAction = {what: what, at: now};
  }
  tabs[tabId] = entry;
  await chrome.storage.local.set({sessions: sessions});
  await chrome.storage.session.set({tabs: tabs});
  for (const event of events) {
    await cwxNotify(cwxAlertFor(event, key, title, sessions[key], settings), now);
  }
  await cwxRefreshBadge();
  return {enabled: !message.paused};
}

function cwxTitle(title, url) {
  const text = String(title || "").replace(/\s+-\s+Colab(oratory)?$/i, "").trim();
  return text || cwxNotebookKey(url).replace(/^https?:\/\//, "");
}

function cwxActionText(status) {
  if (status.captcha) return "captcha showing: left alone";
  const dialog = status.dialog;
  if (dialog && dialog.action === "confirmed") return "answered " + dialog.kind;
  if (status.acted === "reconnect") return "clicked Reconnect";
  if (status.acted === "activity") return "page activity";
  return null;
}

async function cwxForgetTab(tabId) {
  const tabs = (await chrome.storage.session.get(["tabs"])).tabs || {};
  if (!(String(tabId) in tabs)) return;
  delete tabs[String(tabId)];
  await chrome.storage.session.set({tabs: tabs});
  await cwxRefreshBadge();
}

/* {id, kind, title, message, sticky}: pure text from one event. */
function cwxAlertFor(event, key, name, session, settings) {
  const run = session && session.startedAt !== null ? session.startedAt : "ended";
  if (event.kind === "margin") {
    return {id: ["margin", key, run, event.margin].join("|"), kind: "margin",
      title: "Colab runtime ends in about " + cwxFormatLeft(event.left),
      message: name + ": save a checkpoint now. Nothing extends a runtime past its maximum " +
        "lifetime.", sticky: false};
  }
  if (event.kind === "lifetime-reached") {
    return {id: ["lifetime", key, run].join("|"), kind: "lifetime-reached",
      title: "Colab runtime lifetime reached",
      message: name + " may be disconnected any moment. Save your work.", sticky: true};
  }
  if (event.kind === "disconnected") {
    const why = event.atLifetimeEnd ? "it reached its maximum lifetime. " : "";
    const next = settings.reconnect ? "Reconnecting (a new runtime)." :
      "Reconnect it by hand (reconnect is off in the options).";
    return {id: ["disconnected", key, Date.now()].join("|"), kind: "disconnected",
      title: "Colab runtime disconnected", message: name + ": " + why + next, sticky: false};
  }
  if (event.kind === "finished") {
    return {id: ["finished", key, event.startedAt].join("|"), kind: "finished",
      title: "Colab run finished",
      message: name + ": the run took " + cwxFormatLeft(event.ran) + ". The runtime is " +
        "still connected (paid plans bill every hour connected).", sticky: false};
  }
  if (event.kind === "crashed") {
    const reason = event.text ? "\u201c" + cwxClip(event.text, 160) + "\u201d" :
      "the page shows a crash message.";
    return {id: ["crashed", key, Date.now()].join("|"), kind: "crashed",
      title: "Colab session crashed",
      message: name + ": " + reason + " Colab restarts the kernel: variables are gone.",
      sticky: true};
  }
  return {id: ["captcha", key, Date.now()].join("|"), kind: "captcha",
    title: "Colab needs a human: reCAPTCHA",
    message: name + " shows a reCAPTCHA. Solve it yourself; the watchdog never touches it.",
    sticky: true};
}

function cwxClip(text, limit) {
  const flat = String(text).replace(/\s+/g, " ").trim();
  return flat.length > limit ? flat.slice(0, limit - 1) + "\u2026" : flat;
}

async function cwxNotify(alert, now) {
  let error = null;
  try {
    await chrome.notifications.create(alert.id, {
      type: "basic", iconUrl: CWX_ICON, title: alert.title, message: alert.message,
      priority: alert.sticky ? 2 : 1, requireInteraction: alert.sticky,
    });
  } catch (err) {
    error = String((err && err.message) || err);
  }
  const data = await chrome.storage.local.get(["alerts"]);
  const alerts = (data.alerts || []).concat([{
    id: alert.id, kind: alert.kind, title: alert.title, message: alert.message, at: now,
    error: error,
  }]);
  await chrome.storage.local.set({alerts: alerts.slice(-CWX_ALERTS_KEPT)});
}

/* Whether a tab's content script went quiet (the tab left Colab, or its page hangs): every
 * tab reports each interval, and a hidden tab at least about once a minute. */
function cwxQuiet(tab, settings, now) {
  return now - tab.lastTickAt > (3 * settings.interval + 120) * 1000;
}

/* The nearest end among the runtimes of the open Colab tabs; quiet tabs are dropped. */
async function cwxRefreshBadge() {
  const now = Date.now();
  const data = await chrome.storage.local.get(["settings", "sessions"]);
  const settings = cwxSettings(data.settings);
  const sessions = data.sessions || {};
  const tabs = (await chrome.storage.session.get(["tabs"])).tabs || {};
  const quiet = Object.keys(tabs).filter((id) => cwxQuiet(tabs[id], settings, now));
  if (quiet.length) {
    quiet.forEach((id) => delete tabs[id]);
    await chrome.storage.session.set({tabs: tabs});
  }
  let nearest = null;
  let name = "";
  const keys = new Set();
  for (const tab of Object.values(tabs)) {
    if (keys.has(tab.key)) continue;
    keys.add(tab.key);
    const left = cwxLeft(sessions[tab.key], settings, now);
    if (left !== null && (nearest === null || left < nearest)) {
      nearest = left;
      name = tab.title;
    }
  }
  const badge = cwxBadge(nearest, settings);
  await chrome.action.setBadgeText({text: badge.text});
  const color = badge.red ? CWX_COLORS.red : CWX_COLORS.normal;
  await chrome.action.setBadgeBackgroundColor({color: color});
  await chrome.action.setTitle({title: nearest === null ? "Colab watchdog: no runtime watched" :
    "Colab watchdog: " + name + " ends in about " + cwxFormatLeft(nearest)});
}
