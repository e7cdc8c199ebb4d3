/*
 * colab-watchdog extension: popup logic.
 *
 * Contract
 *   cwxRenderPopup(data, nowMs) -> rows [{tabId, key, name, state, left, lastAction, on}]
 *     pure: data is what chrome.storage.local holds plus `tabs` from
 *     chrome.storage.session (see worker.js)
 *   On load and every second while open it redraws the table from storage; a switch writes
 *   `disabled[notebookKey]` (the content script pauses at once) and asks the worker to
 *   refresh the badge.
 */

function cwxAgo(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? s + "s ago" : s < 3600 ? Math.floor(s / 60) + "m ago" :
    Math.floor(s / 3600) + "h ago";
}

function cwxRenderPopup(data, nowMs) {
  const settings = cwxSettings(data.settings);
  const disabled = data.disabled || {};
  const sessions = data.sessions || {};
  const rows = [];
  for (const [tabId, tab] of Object.entries(data.tabs || {})) {
    const left = cwxLeft(sessions[tab.key], settings, nowMs);
    let state = tab.paused ? "off" : tab.state;
    if (tab.captcha) state = "CAPTCHA: solve it";
    rows.push({
      tabId: tabId, key: tab.key, name: tab.title,
      state: state,
      left: left === null ? "-" : left <= 0 ? "ended" : cwxFormatLeft(left),
      red: left !== null && cwxBadge(left, settings).red,
      lastAction: tab.lastAction ? tab.lastAction.what + ", " + cwxAgo(nowMs - tab.lastAction.at) :
        "none yet",
      on: !disabled[tab.key],
    });
  }
  rows.sort((a, b) => a.name.localeCompare(b.name));
  return rows;
}

function cwxCell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

async function cwxToggle(key, on) {
  const data = await chrome.storage.local.get(["disabled"]);
  const disabled = data.disabled || {};
  if (on) delete disabled[key];
  else disabled[key] = true;
  await chrome.storage.local.set({disabled: disabled});
  await chrome.runtime.sendMessage({type: "refresh"});
}

async function cwxDraw() {
  const data = await chrome.storage.local.get(null);
  data.tabs = (await chrome.storage.session.get(["tabs"])).tabs || {};
  const rows = cwxRenderPopup(data, Date.now());
  const body = document.querySelector("#tabs tbody");
  body.textContent = "";
  for (const row of rows) {
    const tr = document.createElement("tr");
    tr.dataset.key = row.key;
    cwxCell(tr, row.name, "name").title = row.key;
    cwxCell(tr, row.state, "state " + row.state.split(":")[0].toLowerCase());
    cwxCell(tr, row.left, row.red ? "left red" : "left");
    cwxCell(tr, row.lastAction, "action");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = row.on;
    box.title = row.on ? "watched: click to stop for this notebook" : "off: click to watch";
    box.addEventListener("change", () => cwxToggle(row.key, box.checked));
    cwxCell(tr, "", "switch").appendChild(box);
    body.appendChild(tr);
  }
  document.getElementById("empty").hidden = rows.length > 0;
  document.getElementById("tabs").hidden = rows.length === 0;
  const settings = cwxSettings(data.settings);
  document.getElementById("settings-line").textContent =
    "every " + cwxFormatDuration(settings.interval) + ", lifetime " +
    cwxFormatDuration(settings.maxLifetime) + (settings.reconnect ? ", reconnects" : "");
  document.getElementById("summary").textContent =
    rows.length + " tab" + (rows.length === 1 ? "" : "s");
}

document.getElementById("open-options").addEventListener("click", (event) => {
  event.preventDefault();
  chrome.runtime.openOptionsPage();
});
cwxDraw();
setInterval(cwxDraw, 1000);
