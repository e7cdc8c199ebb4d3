/*
 * colab-watchdog console snippet: runs the engine (js/engine.js) on a timer inside the page.
 *
 * Contract
 *   colabWatchdogStart(config) -> window.colabWatchdog
 *
 *   config = {                       (rendered by watchdog/core/snippet.py as JSON)
 *     interval: ms between ticks,
 *     reconnect: bool,               click Connect/Reconnect when disconnected
 *     maxLifetime: s | null,         the runtime's maximum lifetime, for warnings
 *     warnBefore: [s, ...],          warn this long before the lifetime ends
 *     selectors: null | {...},       extra CSS selectors for the engine
 *     maxDepth: int,                 (optional) shadow-root search depth
 *     finishedAfter: s               (optional, default 120) a run this long that ends is
 *                                    announced as finished
 *   }
 *
 *   window.colabWatchdog = {tick() -> status, stop(), status, config}
 *
 * It ticks at once and then every interval, logging one line per tick. Starting again stops the
 * running instance first, so there is never more than one timer. With maxLifetime set it counts
 * the lifetime from the first connected tick it sees and, at each warnBefore margin, shows a
 * banner (div#colab-watchdog-banner), a console warning, and a Notification when permitted.
 * The same way it announces the work: "finished" when a cell that ran at least finishedAfter
 * seconds has stopped (with how long it ran), "crashed" when the page shows a crash message.
 * No network calls.
 *
 * The file is a template (watchdog/core/jstemplate.py) for watchdog/core/snippet.py: the
 * engine (js/engine.js) goes in at the ENGINE marker, in the same function scope, so only
 * window.colabWatchdog reaches the page; CONFIG is the config, a JSON literal. The result
 * is minified before it is printed.
 */
(function () {
"use strict";

/*@ENGINE@*/

const CW_BANNER_ID = "colab-watchdog-banner";
const CW_TAG = "[colab-watchdog]";

function colabWatchdogStart(config) {
  const previous = window.colabWatchdog;
  if (previous && typeof previous.stop === "function") previous.stop();

  const clock = {connectedAt: null, warned: [], busySince: null, lastBusy: null, crashShown: false};
  const api = {status: null, config: config, tick: tick, stop: stop, timer: null};

  function tick() {
    // Passed through as given: the engine owns the defaults (an explicit maxDepth 0 stays 0).
    const status = colabWatchdogTick({
      reconnect: config.reconnect,
      selectors: config.selectors,
      maxDepth: config.maxDepth,
      closePanels: false, // the user's own browser: panels they open are theirs
    });
    api.status = status;
    const remaining = cwTrackLifetime(config, clock, status, Date.now());
    console.log(cwLogLine(status, remaining));
    cwWarnIfDue(config, clock, remaining, status);
    cwWatchWork(config, clock, status, Date.now());
    return status;
  }

  function stop() {
    if (api.timer !== null) clearInterval(api.timer);
    api.timer = null;
  }

  window.colabWatchdog = api;
  cwAskNotificationOnce(config);
  tick();
  api.timer = setInterval(tick, Math.max(100, Number(config.interval) || 60000));
  return api;
}

/* Seconds of lifetime left (null when untracked); a new connection starts a new session. */
function cwTrackLifetime(config, clock, status, nowMs) {
  if (status.state === "disconnected") {
    clock.connectedAt = null;
    clock.warned = [];
  }
  if (status.state === "connected" && clock.connectedAt === null) clock.connectedAt = nowMs;
  if (config.maxLifetime == null || clock.connectedAt === null) return null;
  let left = config.maxLifetime - (nowMs - clock.connectedAt) / 1000;
  if (typeof status.remaining_estimate_s === "number") left = Math.min(left, status.remaining_estimate_s);
  return left;
}

function cwWarnIfDue(config, clock, remaining, status) {
  if (status.captcha && !clock.captchaShown) {
    clock.captchaShown = true;
    cwAlert("reCAPTCHA showing: solve it by hand, the watchdog will not touch it.");
  }
  if (!status.captcha) clock.captchaShown = false;
  if (remaining === null) return;
  const due = (config.warnBefore || []).filter((m) => remaining <= m && clock.warned.indexOf(m) < 0);
  if (remaining <= 0 && clock.warned.indexOf(0) < 0) due.push(0);
  if (!due.length) return;
  clock.warned.push(...due);
  cwAlert(remaining <= 0
    ? "runtime lifetime reached: it may be disconnected any moment. Save your work."
    : "runtime lifetime ends in about " + cwFormatRemaining(remaining) + ": save a checkpoint now.");
}

/* "finished" and "crashed", once each per run / per crash message shown. */
function cwWatchWork(config, clock, status, nowMs) {
  const notice = status.notice;
  const crashed = !!notice && notice.kind === "crashed";
  if (crashed && !clock.crashShown) {
    clock.busySince = null;  // the crash ended the run: not "finished"
    cwAlert("crashed: " + notice.text);
  }
  clock.crashShown = crashed;
  if (status.state !== "connected") {
    clock.busySince = null;
    return;
  }
  if (status.busy === true) {
    const elapsed = typeof status.busy_for_s === "number" ? status.busy_for_s * 1000 : 0;
    if (clock.busySince === null) clock.busySince = nowMs - elapsed;
    clock.lastBusy = nowMs;
  } else if (status.busy === false && clock.busySince !== null) {
    const ran = (clock.lastBusy - clock.busySince) / 1000;
    clock.busySince = null;
    const after = typeof config.finishedAfter === "number" ? config.finishedAfter : 120;
    if (ran >= after) cwAlert("finished: the run took " + cwFormatRemaining(ran) + ".");
  }
}

function cwAlert(message) {
  console.warn(CW_TAG + " " + message);
  cwShowBanner(message);
  cwNotify(message);
}

function cwShowBanner(message) {
  let banner = document.getElementById(CW_BANNER_ID);
  if (!banner) {
    banner = document.createElement("div");
    banner.id = CW_BANNER_ID;
    banner.setAttribute("role", "status");
    banner.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:2147483647;" +
      "padding:8px 40px 8px 12px;background:#b3261e;color:#fff;font:14px/1.4 sans-serif;";
    const close = document.createElement("span");
    close.textContent = "×";
    close.title = "dismiss";
    close.style.cssText = "position:absolute;right:12px;top:4px;cursor:pointer;font-size:20px;";
    close.addEventListener("click", () => banner.remove());
    banner.appendChild(document.createElement("span"));
    banner.appendChild(close);
    (document.body || document.documentElement).appendChild(banner);
  }
  banner.firstChild.textContent = "Colab watchdog: " + message;
}

function cwNotify(message) {
  if (typeof Notification !== "function" || Notification.permission !== "granted") return;
  try {
    new Notification("Colab watchdog", {body: message});
  } catch (err) {
    // Some browsers only allow notifications from a service worker; the banner still shows.
  }
}

/* Ask for notification permission at most once per page (lifetime warnings, finished, crashed). */
function cwAskNotificationOnce(config) {
  if (typeof Notification !== "function") return;
  if (Notification.permission !== "default" || window.__colabWatchdogAskedNotify) return;
  window.__colabWatchdogAskedNotify = true;
  try {
    const asked = Notification.requestPermission();
    if (asked && typeof asked.catch === "function") asked.catch(() => {});
  } catch (err) {
    // Old callback-only API or blocked: the banner and console warnings still work.
  }
}

function cwLogLine(status, remaining) {
  const parts = [CW_TAG, new Date().toTimeString().slice(0, 8), status.state, "acted=" + status.acted];
  if (status.busy !== null) parts.push("busy=" + status.busy);
  if (status.dialog) parts.push("dialog=" + status.dialog.kind + "/" + status.dialog.action);
  if (status.captcha) parts.push("CAPTCHA");
  if (remaining !== null) parts.push("left=" + cwFormatRemaining(remaining));
  parts.push("probe=" + status.probe);
  if (status.error) parts.push("error=" + status.error);
  return parts.join(" ");
}

function cwFormatRemaining(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return h + "h " + String(m).padStart(2, "0") + "m";
  if (m > 0) return m + "m " + String(s % 60).padStart(2, "0") + "s";
  return s + "s";
}

colabWatchdogStart(/*@CONFIG@*/);
})();
