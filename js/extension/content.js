/*
 * colab-watchdog extension: content script, one per Colab tab.
 *
 * Contract
 *   Runs in every https://colab.research.google.com/* tab after defaults.js, settings.js,
 *   lifetime.js and engine.js (same isolated world). Every `interval` seconds it runs
 *   colabWatchdogTick({reconnect, selectors}) (js/engine.js: page events only) and sends
 *     {type: "status", status: <tick result> | null, paused: bool, title: document.title}
 *   to the service worker. `paused` (status null, nothing dispatched) while this notebook's
 *   switch is off in the popup. Settings are read from chrome.storage.local before each tick,
 *   and a change of interval or of the switch takes effect at once.
 *
 * It makes no network request and never touches a captcha (the engine does nothing while one
 * shows). A page reload starts it again; the runtime's start is kept by the service worker.
 * When the extension is reloaded or removed, this copy stops itself.
 */

const cwxTab = {timer: null, running: false};

function cwxAlive() {
  return typeof chrome !== "undefined" && chrome.runtime && !!chrome.runtime.id;
}

function cwxSchedule(seconds) {
  if (cwxTab.timer !== null) clearTimeout(cwxTab.timer);
  cwxTab.timer = setTimeout(cwxTick, Math.max(100, seconds * 1000));
}

async function cwxTick() {
  cwxTab.timer = null;
  if (!cwxAlive()) return;
  if (cwxTab.running) return;
  cwxTab.running = true;
  let settings = cwxSettings(null);
  try {
    const stored = await chrome.storage.local.get(["settings", "disabled"]);
    settings = cwxSettings(stored.settings);
    const paused = !!(stored.disabled || {})[cwxNotebookKey(location.href)];
    const status = paused ? null : colabWatchdogTick({
      reconnect: settings.reconnect,
      selectors: settings.selectors,
    });
    await chrome.runtime.sendMessage(
      {type: "status", status: status, paused: paused, title: document.title});
  } catch (err) {
    // The worker was restarting or the extension was reloaded: the next tick tries again.
  } finally {
    cwxTab.running = false;
  }
  if (cwxAlive()) cwxSchedule(settings.interval);
}

chrome.storage.onChanged.addListener((changes, area) => {
  if (area !== "local" || !cwxAlive()) return;
  if (changes.settings || changes.disabled) cwxSchedule(0);
});

cwxSchedule(0);
