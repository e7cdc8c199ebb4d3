/*
 * colab-watchdog extension: options page logic.
 *
 * Contract
 *   cwxReadForm(fields, idleTimeout) -> {settings} | {error: "one line"}
 *     pure: fields = {interval: text, reconnect: bool, maxLifetime: text (seconds),
 *     warnBefore: text, finishedAfter: text}
 *   Shows the current settings (storage over CW_DEFAULTS); Save validates and writes
 *   `settings`; Restore defaults removes it.
 */

function cwxReadForm(fields, idleTimeout) {
  const interval = cwxParseDuration(fields.interval);
  const margins = cwxParseMargins(fields.warnBefore);
  const finishedAfter = cwxParseDuration(fields.finishedAfter);
  if (!(interval > 0)) return {error: "interval '" + fields.interval + "': use 60s, 1m, 500ms"};
  if (margins === null) {
    return {error: "warning margins '" + fields.warnBefore + "': use 60m, 30m, 10m, 5m"};
  }
  if (!(finishedAfter >= 0)) {
    return {error: "finished after '" + fields.finishedAfter + "': use 2m, 90s, 0s"};
  }
  const settings = {
    interval: interval, reconnect: !!fields.reconnect, maxLifetime: Number(fields.maxLifetime),
    warnBefore: margins, idleTimeout: idleTimeout, finishedAfter: finishedAfter,
  };
  const error = cwxCheckSettings(settings);
  return error ? {error: error} : {settings: settings};
}

function cwxShow(settings) {
  const select = document.getElementById("maxLifetime");
  const value = String(settings.maxLifetime);
  if (![...select.options].some((o) => o.value === value)) {
    const custom = document.createElement("option");
    custom.value = value;
    custom.textContent = cwxFormatDuration(settings.maxLifetime) + " (custom)";
    select.appendChild(custom);
  }
  select.value = value;
  document.getElementById("interval").value = cwxFormatDuration(settings.interval);
  document.getElementById("reconnect").checked = settings.reconnect;
  document.getElementById("warnBefore").value =
    settings.warnBefore.map(cwxFormatDuration).join(", ");
  document.getElementById("finishedAfter").value = cwxFormatDuration(settings.finishedAfter);
}

function cwxSay(text, bad) {
  const line = document.getElementById("message");
  line.textContent = text;
  line.className = bad ? "error" : "ok";
}

async function cwxLoad() {
  const data = await chrome.storage.local.get(["settings"]);
  cwxShow(cwxSettings(data.settings));
}

document.getElementById("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const current = cwxSettings((await chrome.storage.local.get(["settings"])).settings);
  const read = cwxReadForm({
    interval: document.getElementById("interval").value,
    reconnect: document.getElementById("reconnect").checked,
    maxLifetime: document.getElementById("maxLifetime").value,
    warnBefore: document.getElementById("warnBefore").value,
    finishedAfter: document.getElementById("finishedAfter").value,
  }, current.idleTimeout);
  if (read.error) {
    cwxSay("Not saved: " + read.error, true);
    return;
  }
  await chrome.storage.local.set({settings: read.settings});
  cwxShow(cwxSettings(read.settings));
  cwxSay("Saved. Open Colab tabs use it from their next tick.", false);
});

document.getElementById("reset").addEventListener("click", async () => {
  await chrome.storage.local.remove("settings");
  cwxShow(cwxSettings(null));
  cwxSay("Defaults restored.", false);
});

cwxLoad();
