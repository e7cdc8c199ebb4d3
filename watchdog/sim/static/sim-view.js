/* Simulated Colab: rendering of the connect button (per era), the resource summary
 * and the busy cell.
 *
 * Renderers only read the state record; they never change it.
 * Not a standalone script: the server concatenates sim-state.js, sim-view.js, sim-dialogs.js
 * and sim-page.js (in that order) into ONE function scope (see server.py PAGE_SCRIPTS).
 */
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
    return T.connectedTo + "\n" + BACKENDS[P.backend] + "\n" +
      T.ram + ": " + gb(S.ram) + "/" + gb(P.ram_total) + "\n" +
      T.disk + ": " + gb(P.disk) + "/" + gb(P.disk_total);
  }
  if (S.state === "connecting") return T.connecting;
  return labelText();
}
/* "1.10 GB", or "1,10 GB" in the decimal-comma languages. */
function gb(value) {
  const text = Number(value).toFixed(2) + " GB";
  return T.comma ? text.replace(".", ",") : text;
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
    const elapsed = secs < 60 ? secs + " sec" : Math.floor(secs / 60) + "m " + (secs % 60) + "s";
    const text = "Executing (" + elapsed + ")... cell 1";
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

/* The toast (snackbar) at the bottom of the page: mwc-snackbar[open] holding the message. */
function renderToast() {
  const host = document.getElementById("toast-host");
  if (!S.toast) { host.textContent = ""; return; }
  if (host.firstChild && host.firstChild.textContent === S.toast) return;
  host.textContent = "";
  host.append(h("mwc-snackbar", { open: true, role: "alert" }, [
    h("span", { class: "label", text: S.toast })]));
}
