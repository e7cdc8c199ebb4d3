/*
 * colab-watchdog keep-alive engine (one tick).
 *
 * Contract
 *   colabWatchdogTick(options) -> status        never throws, never touches the network
 *
 *   options = {
 *     reconnect: bool,        click Connect/Reconnect when the runtime is disconnected
 *     selectors: null | {connect, connected, dialog, captcha, busy: [css, ...]},
 *                             extra CSS selectors, tried before the built-in probes
 *     maxDepth:  int          how many nested open shadow roots to search (default 8)
 *     closePanels: bool       close a sessions dialog / Resources panel left open (default
 *                             true); false where a person uses the browser (attach mode, the
 *                             console snippet): panels are theirs, left open and untouched
 *     actuator:  "page" | "browser"   (default "page") who performs the actions
 *     activity:  bool         false: read the page only (no input, no clicks, no dialog or
 *                             panel handled; with actuator "browser" an empty plan): the
 *                             notebook is released (default true)
 *   }
 *
 *   status = {
 *     state: "connected" | "disconnected" | "connecting" | "unknown",
 *     busy: bool | null,                 null when no execution indicator was found
 *     acted: "activity" | "reconnect" | "none",
 *     dialog: null | {kind: "idle-prompt" | "runtime-disconnected" | "usage-limit" | "unknown",
 *                     action: "confirmed" | "reconnect" | "left-open", text: str},
 *     captcha: bool,                     a reCAPTCHA is showing: nothing was touched
 *     probe: str,                        which probe read the state, e.g. "2025:shadow/sparkline"
 *     remaining_estimate_s: number | null,   from "may last up to X hours Y minutes"
 *     busy_for_s: number | null,         elapsed time of the running cell ("Executing (1m 12s)")
 *     resources: null | {ram_used_gb, ram_total_gb, disk_used_gb, disk_total_gb},
 *                                        each number | null, from the connect button's tooltip
 *     backend: str | null,               e.g. "Python 3 Google Compute Engine backend (GPU)"
 *     notice: null | {kind: "crashed" | "usage-limit", text: str, via: "toast" | "dialog"},
 *     error: null | str,
 *     signed_out: bool,                  a Google sign-in page or Colab's signed-out page
 *     plan: (actuator "browser" only) {
 *       activity: null | {pointer: bool, neutral: null | {x, y}},
 *       clicks: [{target: Element, x, y, native: bool, label: str}, ...]
 *     }
 *   }
 *
 *   cwSignInPage() -> bool               the same sign-in test alone, for any page
 *
 * Actuator "page" (the console snippet) dispatches the events itself: page events, which the
 * page sees with isTrusted false. Actuator "browser" (the daemon) dispatches nothing: `plan`
 * says what a person would do (a harmless key, pointer use over the notebook when allowed,
 * clicks at elements, with their viewport centres) and the caller performs it with input the
 * browser generates. `neutral` is a point over the notebook with nothing clickable under it.
 *
 * Rules: state is read structurally first (usage sparkline / meter, `tooltiptext`, shadow-root
 * layout of each Colab era), by localized label text second, and by the undocumented
 * `colab.global.notebook` object last. When connected, the tick dispatches harmless input
 * events (Shift key, pointer press) on document.body so the page's idle timer restarts; it
 * never clicks the connect button while connected and (with closePanels) closes any sessions
 * dialog or Resources panel a previous tool left open, by a button whose label says Close (in
 * any language below) or a known close control. It never clicks anything whose label says
 * terminate, delete, disconnect, end or stop (CW_LABELS.destructive), whatever the
 * selector that found it. When no probe reads the state ("unknown": Colab changed its
 * page) it sends the Shift key only, so the idle timer is still fed. When a reCAPTCHA is
 * present it does nothing at all.
 *
 * The file is evaluated inside a function scope (WebDriver's execute_script body, or the
 * console snippet's wrapper), so its helper functions do not leak into the page.
 *
 * Code between the comments "not in the snippet {" and "} not in the snippet" serves only
 * actuator "browser" and closePanels, which the console snippet never uses (actuator "page",
 * closePanels false): the snippet is built without it (watchdog/core/jsmin/).
 */

const CW_DEFAULT_DEPTH = 8;
const CW_TEXT_LIMIT = 400;

/* Labels, most specific first. Non-Latin words are matched as substrings. */
const CW_LABELS = {
  connecting: /\b(connecting|allocating|initiali[sz]ing|conectando|asignando|inicializando)\b|bağlanıyor|подключение|выделение ресурсов|инициализация/i,
  notConnected: /not connected|disconnected|desconectado|bağlı değil|bağlantı kesildi|не подключено|отключено/i,
  connected: /\bconnected\b|(^|[^a-z])conectado|bağlandı|bağlı:|подключено|\bram\b[\s\S]*\bdisk\b/i,
  reconnect: /\breconnect\b|volver a conectar|reconectar|yeniden bağlan|переподключить/i,
  connect: /\bconnect\b|\bconectar\b|bağlan|подключить/i,
  /* A panel's close button: the whole label is one of these words. */
  /* not in the snippet { */
  dismiss: /^\s*(close|done|dismiss|cerrar|fechar|kapat|закрыть|✕|×)\s*$/i,
  /* } not in the snippet */
  /* Never clicked, whatever found it (en, es, pt, tr, ru). */
  destructive: /terminate|delete|disconnect(?!ed)|\bend\b|\bstop|\bkill\b|\bremove\b|\breset\b|terminar|eliminar|borrar|desconectar|detener|finalizar|encerrar|excluir|\bparar\b|sonlandır|(^|\s)sil(\s|$)|bağlantıyı kes|durdur|завершить|удалить|отключить|остановить|прервать|сбросить/i,
};

const CW_DIALOG_KINDS = [
  ["runtime-disconnected", /runtime disconnected|been disconnected|disconnected due to inactivity|entorno de ejecución (se ha )?desconectado|se ha desconectado|çalışma zamanı(nın)? bağlantısı kesildi|bağlantısı kesildi|среда выполнения отключена|отключена/i],
  ["idle-prompt", /are you still there|still there\?|sigues ahí|¿sigues|hala orada mısınız|hâlâ orada|вы (еще|ещё) здесь/i],
  ["usage-limit", /usage limit|cannot connect to (a )?gpu|gpu backend|límite de uso|kullanım sınırı|лимит использования/i],
];

const CW_CAPTCHA_TEXT = /recaptcha|i'?m not a robot|no soy un robot|ben robot değilim|я не робот/i;

const CW_SELECTORS = {
  dialogs: "colab-dialog, paper-dialog, mwc-dialog, md-dialog, dialog, [role=dialog], [role=alertdialog]",
  panels: "colab-sessions-dialog, colab-resources-panel, colab-resource-panel, #resources-panel, " +
    "[role=dialog][aria-label=Resources]",
  captcha: "colab-recaptcha-dialog, iframe[src*=recaptcha], .g-recaptcha",
  dialogButtons: "[slot=primaryAction], [slot=secondaryAction], #ok, #cancel, [dialog-confirm], " +
    "[dialog-dismiss], paper-button, mwc-button, md-text-button, md-filled-button, " +
    "md-outlined-button, button",
  confirm: "[slot=primaryAction], #ok, [dialog-confirm]",
  /* Close controls known by structure, tried after the labels, in this order. Never `#cancel`
   * or a secondary action: in the sessions dialog that is "Terminate other sessions". */
  /* not in the snippet { */
  dismiss: [".dismiss", "[dialog-dismiss]", "#close", ".close-button", "[aria-label=Close]"],
  /* } not in the snippet */
  busyTrue: ".cell.running, .cell-execution.running, .cell-execution.pending",
  busyPresent: "colab-status-bar, colab-execution-status, colab-run-button",
  /* Notebook content (cells and their outputs): its text is the user's, never the page's. */
  notebookContent: ".cell, .outputview, .output",
};

/* Signed out, by structure: Google's sign-in form (its identifier field), or a shown link
 * to Google's sign-in (Colab's signed-out page) on a page that is not connected. */
const CW_SIGN_IN = {
  form: "input[type=email][name=identifier], input#identifierId",
  link: "a[href^='https://accounts.google.com/ServiceLogin'], " +
    "a[href^='https://accounts.google.com/signin'], a[href^='https://accounts.google.com/v3/signin']",
};

const CW_ESTIMATE = /may last up to\s+(?:(\d+(?:\.\d+)?)\s*hours?)?(?:\s*,?\s*(?:and\s+)?)(?:(\d+)\s*min(?:ute)?s?)?/i;

/* Actuator "browser": what this tick would do, instead of doing it (see the contract). */
/* not in the snippet { */
let cwPlan = null;
/* } not in the snippet */

function colabWatchdogTick(options) {
  const status = {
    state: "unknown", busy: null, acted: "none", dialog: null, captcha: false,
    probe: "none", remaining_estimate_s: null, busy_for_s: null, resources: null,
    backend: null, notice: null, error: null, signed_out: false,
  };
  /* not in the snippet { */
  cwPlan = options && options.actuator === "browser" ? {activity: null, clicks: []} : null;
  /* } not in the snippet */
  try {
    cwRunTick(cwContext(options || {}), status);
  } catch (err) {
    status.error = String((err && err.message) || err);
  }
  /* not in the snippet { */
  if (cwPlan) status.plan = cwPlan;
  cwPlan = null;
  /* } not in the snippet */
  return status;
}

function cwContext(options) {
  const given = options.maxDepth;
  const depth = Number.isInteger(given) && given >= 0 ? given : CW_DEFAULT_DEPTH;
  return {
    reconnect: options.reconnect === true,
    closePanels: options.closePanels !== false,
    activity: options.activity !== false,
    custom: options.selectors || {},
    depth: depth,
    roots: cwCollectRoots(document, depth),
    notes: [],
  };
}

function cwRunTick(ctx, status) {
  status.captcha = cwHasCaptcha(ctx);
  const reading = cwReadState(ctx);
  status.state = reading.state;
  status.probe = reading.probe;
  status.busy = cwBusy(ctx);
  status.remaining_estimate_s = cwEstimate(ctx);
  status.signed_out = status.state !== "connected" && cwSignInPage();
  cwReadWork(ctx, status);
  const dialog = cwMainDialog(ctx);
  if (!ctx.activity) {
    // Released: the runtime is left to idle out, so nothing is touched and no input is made.
    if (dialog) status.dialog = cwDescribe(dialog, "left-open");
  } else if (status.captcha) {
    // A human must act: report what is showing, touch nothing, make no activity.
    if (dialog) status.dialog = cwDescribe(dialog, "left-open");
  } else {
    if (dialog) cwHandleDialog(ctx, dialog, status);
    const panelOpen = cwClosePanels(ctx);
    if (status.acted === "none") cwActOnState(ctx, reading, status, panelOpen);
  }
  if (ctx.notes.length) status.probe += "; " + ctx.notes.join("; ");
}

function cwActOnState(ctx, reading, status, panelOpen) {
  if (reading.state === "connected") {
    // No pointer press while a dialog or the user's panel is up: it could close it.
    cwProduceActivity(status.dialog !== null || panelOpen);
    status.acted = "activity";
  } else if (reading.state === "unknown") {
    // Colab changed its page and no probe reads it: keep feeding the idle timer with the one
    // input that is harmless anywhere (a Shift press, no pointer), clicking nothing.
    cwProduceActivity(true);
    status.acted = "activity";
  } else if (reading.state === "disconnected" && ctx.reconnect && reading.button) {
    if (cwClick(reading.button)) status.acted = "reconnect";
  }
}

function cwSignInPage() {
  if (location.hostname === "accounts.google.com") return true;
  if (document.querySelector(CW_SIGN_IN.form)) return true;
  return Array.from(document.querySelectorAll(CW_SIGN_IN.link))
    .some((a) => cwShown(a) && !a.closest(CW_SELECTORS.notebookContent));
}

/* ---------- deep DOM: open shadow roots, depth-bounded ---------- */

function cwCollectRoots(start, maxDepth) {
  const roots = [start];
  const queue = [[start, 0]];
  while (queue.length) {
    const [root, depth] = queue.shift();
    if (depth >= maxDepth) continue;
    for (const sr of cwShadowRootsIn(root)) {
      roots.push(sr);
      queue.push([sr, depth + 1]);
    }
  }
  return roots;
}

function cwShadowRootsIn(root) {
  const found = [];
  if (root.shadowRoot) found.push(root.shadowRoot);
  for (const el of root.querySelectorAll("*")) {
    if (el.shadowRoot) found.push(el.shadowRoot);
  }
  return found;
}

function cwQueryAll(roots, selector) {
  const out = [];
  for (const root of roots) {
    if (root.nodeType === 1 && root.matches(selector)) out.push(root);
    for (const el of root.querySelectorAll(selector)) out.push(el);
  }
  return out;
}

function cwQueryUnder(ctx, el, selector) {
  return cwQueryAll(cwCollectRoots(el, ctx.depth), selector);
}

function cwCustom(ctx, key) {
  const list = ctx.custom[key];
  if (!Array.isArray(list)) return [];
  const out = [];
  for (const selector of list) {
    try {
      out.push(...cwQueryAll(ctx.roots, selector).filter(cwShown));
    } catch (err) {
      ctx.notes.push("bad selector skipped: " + String(selector).slice(0, 60));
    }
  }
  return out;
}

/* Text of one tree, a space between text nodes ("Connect" + "Connect" must not fuse);
 * subtrees matching `skip` (a selector, optional) are left out. */
function cwRootText(root, skip) {
  const node = root.nodeType === 9 ? root.documentElement : root;
  if (!node) return "";
  const show = skip ? NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT : NodeFilter.SHOW_TEXT;
  const filter = (n) => n.nodeType !== 1 ? NodeFilter.FILTER_ACCEPT
    : n.matches(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
  const walker = document.createTreeWalker(node, show, skip ? filter : null);
  const parts = [];
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentNode;
    if (parent && /^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT)$/.test(parent.nodeName)) continue;
    parts.push(walker.currentNode.nodeValue);
  }
  return parts.join(" ");
}

function cwText(ctx, el) {
  const parts = cwCollectRoots(el, ctx.depth).map((root) => cwRootText(root));
  return parts.join(" ").replace(/\s+/g, " ").trim();
}

function cwShown(el) {
  if (el.hidden || el.closest("[hidden]")) return false;
  const style = window.getComputedStyle(el);
  if (style.display === "none" || style.visibility === "hidden") return false;
  return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
}

function cwInRoot(el) {
  return el.getRootNode() === document ? "light" : "shadow";
}

function cwContains(outer, inner) {
  for (let node = inner; node; node = node.parentNode || node.host) {
    if (node === outer) return true;
  }
  return false;
}

/* ---------- state of the connect button ---------- */

/* The first probe that reads a known state wins; an unknown reading is kept only as a last word. */
function cwReadState(ctx) {
  const probes = [cwReadCustom, cwReadShadowButton, cwReadToolbarButton, cwReadNotebookApi];
  let fallback = null;
  for (const probe of probes) {
    const reading = probe(ctx);
    if (reading && reading.state !== "unknown") return reading;
    fallback = fallback || reading;
  }
  return fallback || {state: "unknown", probe: "none", button: null};
}

function cwReadCustom(ctx) {
  if (cwCustom(ctx, "connected").length) {
    return {state: "connected", probe: "custom:selectors", button: null};
  }
  const button = cwCustom(ctx, "connect")[0];
  if (!button) return null;
  return {state: cwButtonState(ctx, button, button).state, probe: "custom:selectors", button: button};
}

/* 2020-2022 and 2024-2026: <colab-connect-button> with an open shadow root holding #connect. */
function cwReadShadowButton(ctx) {
  const hosts = cwQueryAll(ctx.roots, "colab-connect-button")
    .filter((h) => h.shadowRoot && ctx.roots.indexOf(h.shadowRoot) >= 0);
  const host = hosts.find(cwShown) || hosts[0];
  if (!host) return null;
  const inner = cwCollectRoots(host.shadowRoot, ctx.depth);
  const button = cwQueryAll(inner, "#connect")[0] ||
    cwQueryAll(inner, "colab-toolbar-button, paper-button, md-text-button, button")[0] || host;
  const modern = cwQueryAll(inner, "colab-usage-sparkline, md-text-button, [tooltiptext]").length > 0;
  const era = modern ? "2025" : "2021";
  const read = cwButtonState(ctx, host.shadowRoot, button);
  return {state: read.state, probe: era + ":shadow/" + read.via, button: button};
}

/* 2019: <colab-toolbar-button id="connect"> in the light DOM of the top toolbar. */
function cwReadToolbarButton(ctx) {
  const buttons = cwQueryAll(ctx.roots, "colab-toolbar-button#connect, #top-toolbar #connect");
  const button = buttons.find(cwShown) || buttons[0];
  if (!button) return null;
  const read = cwButtonState(ctx, button, button);
  return {state: read.state, probe: "2019:" + cwInRoot(button) + "/" + read.via, button: button};
}

/* Last resort: the undocumented page object; it can vanish at any Colab release. */
function cwReadNotebookApi() {
  try {
    const kernel = window.colab.global.notebook.kernel;
    if (typeof kernel.isConnected !== "function") return null;
    const state = kernel.isConnected() ? "connected" : "disconnected";
    return {state: state, probe: "api:colab.global.notebook", button: null};
  } catch (err) {
    return null;
  }
}

/* Structural proof of a connection under `scope`, else the button's label: {state, via}. */
function cwButtonState(ctx, scope, button) {
  const structural = cwStructural(ctx, scope, button);
  if (structural) return {state: "connected", via: structural};
  return {state: cwClassifyLabel(cwLabel(ctx, button)), via: "label"};
}

/* Structural evidence of a connection: the RAM/Disk meter or a "Connected to" tooltip. */
function cwStructural(ctx, scope, button) {
  const roots = cwCollectRoots(scope, ctx.depth);
  if (cwQueryAll(roots, "colab-usage-sparkline").some(cwShown)) return "sparkline";
  const tip = button && button.getAttribute && button.getAttribute("tooltiptext");
  if (tip && CW_LABELS.connected.test(tip) && !CW_LABELS.notConnected.test(tip)) return "tooltiptext";
  const meters = cwQueryAll(roots, "colab-usage-display, #connect-button-resource-display");
  if (meters.some((m) => cwShown(m) && /\S/.test(cwText(ctx, m)))) return "usage-display";
  return null;
}

function cwLabel(ctx, button) {
  const aria = button.getAttribute("aria-label") || "";
  return (cwText(ctx, button) || aria).replace(/[.…]+$/, "");
}

function cwClassifyLabel(text) {
  if (CW_LABELS.connecting.test(text)) return "connecting";
  if (CW_LABELS.notConnected.test(text)) return cwClassifyButtonWord(text) || "disconnected";
  if (CW_LABELS.connected.test(text)) return "connected";
  return cwClassifyButtonWord(text) || "unknown";
}

function cwClassifyButtonWord(text) {
  if (CW_LABELS.reconnect.test(text) || CW_LABELS.connect.test(text)) return "disconnected";
  return null;
}

/* ---------- dialogs, panels, captcha ---------- */

function cwHasCaptcha(ctx) {
  if (cwCustom(ctx, "captcha").length) return true;
  if (cwQueryAll(ctx.roots, CW_SELECTORS.captcha).some(cwShown)) return true;
  return cwOpenDialogs(ctx).some((d) => CW_CAPTCHA_TEXT.test(cwText(ctx, d)));
}

function cwIsOpen(el) {
  if (el.open === true || el.opened === true) return true;
  if (el.hasAttribute("open") || el.hasAttribute("opened")) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === "dialog" || tag === "mwc-dialog" || tag === "md-dialog" || tag === "paper-dialog") return false;
  return cwShown(el);
}

function cwOpenDialogs(ctx) {
  if (ctx.dialogs) return ctx.dialogs;
  const panels = cwQueryAll(ctx.roots, CW_SELECTORS.panels);
  const candidates = cwQueryAll(ctx.roots, CW_SELECTORS.dialogs).concat(cwCustom(ctx, "dialog"));
  const inPanel = (d) => panels.some((p) => cwContains(p, d));
  const open = candidates.filter((d) => !inPanel(d) && cwIsOpen(d));
  // Keep the outermost of nested matches (colab-dialog > paper-dialog counts once).
  ctx.dialogs = open.filter((d) => !open.some((o) => o !== d && cwContains(o, d)));
  return ctx.dialogs;
}

/* The open dialog that matters most (a prompt before a disconnect notice before the rest),
 * as {el, kind, text}; captcha dialogs are never candidates. */
function cwMainDialog(ctx) {
  const order = ["idle-prompt", "runtime-disconnected", "usage-limit", "unknown"];
  const found = cwOpenDialogs(ctx)
    .filter((d) => !d.matches(CW_SELECTORS.captcha))
    .map((d) => {
      const text = cwText(ctx, d);
      return {el: d, kind: cwDialogKind(text), text: text};
    });
  found.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  return found[0] || null;
}

function cwDialogKind(text) {
  for (const [kind, pattern] of CW_DIALOG_KINDS) {
    if (pattern.test(text)) return kind;
  }
  return "unknown";
}

function cwDescribe(dialog, action) {
  return {kind: dialog.kind, action: action, text: dialog.text.slice(0, CW_TEXT_LIMIT)};
}

/* Confirm an idle prompt; reconnect from "Runtime disconnected" only when allowed and the
 * toolbar does not already read connected/connecting (a stale dialog); leave the rest. */
function cwHandleDialog(ctx, dialog, status) {
  let action = "left-open";
  if (dialog.kind === "idle-prompt") {
    const ok = cwDialogButton(ctx, dialog.el, null);
    if (ok && cwClick(ok)) action = "confirmed";
  } else if (dialog.kind === "runtime-disconnected" && ctx.reconnect &&
             status.state !== "connected" && status.state !== "connecting") {
    const again = cwDialogButton(ctx, dialog.el, CW_LABELS.reconnect);
    if (again && cwClick(again)) { action = "reconnect"; status.acted = "reconnect"; }
  }
  status.dialog = cwDescribe(dialog, action);
}

/* The button labelled `pattern`, or (pattern null) the dialog's confirming action. */
function cwDialogButton(ctx, dialog, pattern) {
  const buttons = cwQueryUnder(ctx, dialog, CW_SELECTORS.dialogButtons).filter((b) => b !== dialog);
  if (pattern) return buttons.find((b) => pattern.test(cwLabel(ctx, b))) || null;
  return buttons.find((b) => b.matches(CW_SELECTORS.confirm)) || buttons[0] || null;
}

/* Sessions dialog / Resources panel left open by clicking the button while connected: closed
 * by its Close button (by label first, then a known close control; never a destructive one).
 * Without ctx.closePanels they are left alone. Returns whether a panel is still open. */
function cwClosePanels(ctx) {
  let left = false;
  for (const panel of cwQueryAll(ctx.roots, CW_SELECTORS.panels).filter(cwIsOpen)) {
    const name = panel.id ? "#" + panel.id : panel.tagName.toLowerCase();
    let close = null;
    /* not in the snippet { */
    if (ctx.closePanels) close = cwCloseButton(ctx, panel);
    /* } not in the snippet */
    if (close && cwClick(close)) {
      ctx.notes.push("closed " + name);
      continue;
    }
    left = true;
    ctx.notes.push("left " + name + " open");
  }
  return left;
}

function cwCloseButton(ctx, panel) {
  const inside = cwCollectRoots(panel, ctx.depth);
  const safe = (b) => b !== panel && !cwDestructive(b);
  const buttons = cwQueryAll(inside, CW_SELECTORS.dialogButtons + ", [role=button], [aria-label]");
  const labelled = buttons.find((b) => safe(b) && CW_LABELS.dismiss.test(cwPlainLabel(b)));
  if (labelled) return labelled;
  for (const selector of CW_SELECTORS.dismiss) {
    const close = cwQueryAll(inside, selector).find(safe);
    if (close) return close;
  }
  return null;
}

/* A control's label without ctx: aria-label, label attribute or text (light DOM). */
function cwPlainLabel(el) {
  const text = (el.textContent || "").replace(/\s+/g, " ").trim();
  return text || el.getAttribute("aria-label") || el.getAttribute("label") || "";
}

function cwDestructive(el) {
  const words = [el.getAttribute("aria-label"), el.getAttribute("label"), el.getAttribute("title"),
    el.textContent].filter(Boolean).join(" ");
  return CW_LABELS.destructive.test(words);
}

/* ---------- acting ---------- */

/* Click the innermost native button, as a person would; the click is composed and bubbles
 * through every shadow host above it. */
function cwClick(el) {
  const inner = cwQueryAll(cwCollectRoots(el, 4), "button").filter((b) => b !== el)[0];
  if (cwDestructive(el) || (inner && cwDestructive(inner))) return false;
  /* not in the snippet { */
  if (cwPlan) {
    cwPlan.clicks.push(cwClickPlan(inner || el, el));
    return true;
  }
  /* } not in the snippet */
  (inner || el).click();
  return true;
}

/* Where a person would click `el`: its viewport centre; `native` when a key can activate it;
 * `label` is the text of `named` (the element the engine chose, around `el`). */
function cwClickPlan(el, named) {
  const rect = el.getBoundingClientRect();
  const text = named.textContent || named.getAttribute("aria-label") || "";
  const label = text.replace(/\s+/g, " ");
  return {
    target: el, x: Math.round(rect.left + rect.width / 2), y: Math.round(rect.top + rect.height / 2),
    native: /^(BUTTON|A|INPUT)$/.test(el.nodeName), label: label.trim().slice(0, 40),
  };
}

/* A point over the notebook with nothing a click could change under it, or null. */
function cwNeutralPoint() {
  const w = window.innerWidth, h = window.innerHeight;
  const risky = "a, button, input, textarea, select, label, [role], [contenteditable], " +
    "[tabindex], [onclick], .cell, .output, .outputview, " + CW_SELECTORS.dialogs + ", " +
    CW_SELECTORS.panels + ", " + CW_SELECTORS.captcha;
  for (const [x, y] of [[w - 8, h - 8], [8, h - 8], [Math.round(w / 2), h - 8], [w - 8, 8]]) {
    if (x < 0 || y < 0) continue;
    const el = document.elementFromPoint(x, y);
    if (el && !cwInside(el, risky)) return {x: x, y: y};
  }
  return null;
}

/* Input the idle timer counts, on a neutral target; pointer events only when no dialog is up
 * (an outside press can dismiss an overlay). */
function cwProduceActivity(keyboardOnly) {
  /* not in the snippet { */
  if (cwPlan) {
    cwPlan.activity = {pointer: !keyboardOnly, neutral: keyboardOnly ? null : cwNeutralPoint()};
    return;
  }
  /* } not in the snippet */
  const target = document.body || document.documentElement;
  const key = {key: "Shift", code: "ShiftLeft", keyCode: 16, bubbles: true, cancelable: true, composed: true};
  target.dispatchEvent(new KeyboardEvent("keydown", key));
  target.dispatchEvent(new KeyboardEvent("keyup", key));
  if (keyboardOnly) return;
  const press = {bubbles: true, cancelable: true, composed: true, clientX: 0, clientY: 0, button: 0};
  if (typeof PointerEvent === "function") target.dispatchEvent(new PointerEvent("pointerdown", press));
  target.dispatchEvent(new MouseEvent("mousedown", press));
  target.dispatchEvent(new MouseEvent("mouseup", press));
  if (typeof PointerEvent === "function") target.dispatchEvent(new PointerEvent("pointerup", press));
}

/* ---------- busy and the lifetime estimate ---------- */

function cwBusy(ctx) {
  if (cwCustom(ctx, "busy").length) return true;
  if (cwQueryAll(ctx.roots, CW_SELECTORS.busyTrue).length) return true;
  for (const status of cwQueryAll(ctx.roots, "colab-execution-status")) {
    if (cwQueryUnder(ctx, status, "md-circular-progress, paper-spinner[active]").length) return true;
  }
  for (const run of cwQueryAll(ctx.roots, "colab-run-button")) {
    if (cwQueryUnder(ctx, run, "#stopSymbolMask").some(cwShownOrSvg)) return true;
  }
  return cwQueryAll(ctx.roots, CW_SELECTORS.busyPresent).length ? false : null;
}

function cwShownOrSvg(el) {
  return el instanceof SVGElement || cwShown(el);
}

/* The page's own "may last up to" line; text inside notebook cells and outputs is skipped. */
function cwEstimate(ctx) {
  const pattern = new RegExp(CW_ESTIMATE.source, "gi");
  const content = CW_SELECTORS.notebookContent;
  for (const root of ctx.roots) {
    if (root.host && cwInside(root.host, content)) continue;
    const text = cwRootText(root, content).replace(/\s+/g, " ");
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (match[1] || match[2]) {
        return Math.round(parseFloat(match[1] || "0") * 3600 + parseInt(match[2] || "0", 10) * 60);
      }
    }
  }
  return null;
}

/* Whether `el` or an ancestor (across shadow hosts) matches `selector`. */
function cwInside(el, selector) {
  for (let node = el; node; node = node.parentNode || node.host) {
    if (node.nodeType === 1 && node.matches(selector)) return true;
  }
  return false;
}

/* ---------- the work: elapsed time, runtime resources, back-end, crash and limit notices ---------- */

/* "RAM: 1.10 GB/12.67 GB", "Disco: 30,0 GB/107,72 GB": an optional label of one or two words,
 * then used/total with units; a decimal comma is read as a decimal point. */
const CW_RESOURCE = /((?:[^\d\s:/()]+[ \t])?[^\d\s:/()]+)?[ \t]*:?[ \t]*(\d+(?:[.,]\d+)?)[ \t]*([KMGT]i?B|[КМГТ]Б|[KMGT]o)?[ \t]*\/[ \t]*(\d+(?:[.,]\d+)?)[ \t]*([KMGT]i?B|[КМГТ]Б|[KMGT]o)/gi;
const CW_RESOURCE_LABELS = {
  gpu: /gpu|vram|гп/i,
  ram: /^(?:system\s+)?(?:ram|mem|memoria|mémoire|bellek|озу|память)/i,
  disk: /^(?:disk|disco|disque|диск)/i,
};
const CW_NOTICE_KINDS = [
  ["crashed", /session crashed|sesión (?:se )?(?:ha )?(?:bloqueado|fallado)|oturum(?:unuz)? (?:çöktü|kilitlendi)|сеанс\S* .{0,20}(?:сбой|аварийно|заверш)/i],
  ["usage-limit", CW_DIALOG_KINDS.find(([kind]) => kind === "usage-limit")[1]],
];
const CW_TOASTS = "mwc-snackbar, md-snackbar, paper-toast, colab-toast, colab-snackbar, " +
  ".snackbar, [role=alert]";

function cwReadWork(ctx, status) {
  if (status.busy === true) status.busy_for_s = cwBusyFor(ctx);
  if (status.state === "connected") {
    const tips = cwTooltips(ctx);
    status.resources = cwResources(tips.concat(cwMeterTexts(ctx)));
    status.backend = cwBackend(tips);
  }
  status.notice = cwNotice(ctx);
}

/* Seconds of "Executing (1m 12s)" / "(5 sec)" in the execution status (structure: the
 * colab-execution-status element), or null when it shows no elapsed time. */
function cwBusyFor(ctx) {
  for (const el of cwQueryAll(ctx.roots, "colab-execution-status")) {
    const seconds = cwParseElapsed(cwText(ctx, el));
    if (seconds !== null) return seconds;
  }
  return null;
}

function cwParseElapsed(text) {
  const group = /\(\s*((?:\d+\s*[^\d\s()]+\s*)+)\)/.exec(text || "");
  if (!group) return null;
  let total = 0;
  let known = false;
  const part = /(\d+)\s*([^\d\s()]+)/g;
  for (let m = part.exec(group[1]); m; m = part.exec(group[1])) {
    const unit = m[2].toLowerCase();
    const scale = /^(?:h|ч|sa)/.test(unit) ? 3600 : /^(?:m|м|dk)/.test(unit) ? 60
      : /^(?:s|с)/.test(unit) ? 1 : null;
    if (scale === null) continue;
    total += parseInt(m[1], 10) * scale;
    known = true;
  }
  return known ? total : null;
}

/* The connect button's tooltip texts (lines kept): its `tooltiptext` or `title`, then the
 * screen-reader copy inside it. Only outside notebook cells and outputs. */
function cwTooltips(ctx) {
  const texts = [];
  const content = CW_SELECTORS.notebookContent;
  for (const el of cwQueryAll(ctx.roots, "#connect, colab-connect-button, colab-toolbar-button")) {
    if (cwInside(el, content)) continue;
    for (const name of ["tooltiptext", "title", "aria-label"]) {
      const value = el.getAttribute(name);
      if (value && /\S/.test(value)) texts.push(value);
    }
    for (const sr of cwQueryUnder(ctx, el, ".screenreader-only")) {
      if (sr.textContent && /\S/.test(sr.textContent)) texts.push(sr.textContent);
    }
  }
  return texts;
}

/* Text of the RAM/Disk meter next to the button (shown numbers, when it has any). */
function cwMeterTexts(ctx) {
  return cwQueryAll(ctx.roots, "#connect-button-resource-display, colab-usage-display")
    .filter((m) => !cwInside(m, CW_SELECTORS.notebookContent))
    .map((m) => cwText(ctx, m));
}

/* {ram_used_gb, ram_total_gb, disk_used_gb, disk_total_gb} from the first text that names
 * RAM or Disk by label (or, unlabelled, holds exactly two pairs: RAM then Disk, the
 * tooltip's order); null when no text shows either. */
function cwResources(texts) {
  for (const text of texts) {
    const pairs = [];
    const pattern = new RegExp(CW_RESOURCE.source, "gi");
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const label = (m[1] || "").trim();
      const unitTotal = m[5];
      pairs.push({label: label, used: cwGb(m[2], m[3] || unitTotal), total: cwGb(m[4], unitTotal)});
    }
    const found = {ram: null, disk: null};
    for (const pair of pairs) {
      if (CW_RESOURCE_LABELS.gpu.test(pair.label)) continue;
      for (const key of ["ram", "disk"]) {
        const word = pair.label.split(/\s+/).pop() || "";
        if (!found[key] && (CW_RESOURCE_LABELS[key].test(pair.label) || CW_RESOURCE_LABELS[key].test(word))) {
          found[key] = pair;
        }
      }
    }
    if (!found.ram && !found.disk && pairs.length === 2 && pairs.every((p) => !p.label)) {
      found.ram = pairs[0];
      found.disk = pairs[1];
    }
    if (found.ram || found.disk) {
      return {
        ram_used_gb: found.ram ? found.ram.used : null,
        ram_total_gb: found.ram ? found.ram.total : null,
        disk_used_gb: found.disk ? found.disk.used : null,
        disk_total_gb: found.disk ? found.disk.total : null,
      };
    }
  }
  return null;
}

function cwGb(number, unit) {
  const value = parseFloat(String(number).replace(",", "."));
  const prefix = (unit || "G").charAt(0).toUpperCase();
  const scale = {K: 1e-6, M: 1e-3, G: 1, T: 1000, "К": 1e-6, "М": 1e-3, "Г": 1, "Т": 1000}[prefix];
  return Math.round(value * (scale === undefined ? 1 : scale) * 100) / 100;
}

/* The back-end line of the tooltip: the line after "Connected to" (any language), else a
 * line naming a Python back-end; null when no tooltip shows one. */
function cwBackend(texts) {
  for (const text of texts) {
    const lines = text.split(/\n+/).map((l) => l.trim())
      .filter((l) => l && !new RegExp(CW_RESOURCE.source, "i").test(l));
    if (lines.length >= 2 && (CW_LABELS.connected.test(lines[0]) || /[:：]$/.test(lines[0]))) {
      return lines[1].slice(0, 120);
    }
    const named = lines.find((l) => /backend|python\s*\d/i.test(l));
    if (named) return named.slice(0, 120);
  }
  return null;
}

/* A crash or usage-limit message, in a toast (snackbar) or an open dialog; toasts and dialogs
 * inside notebook cells or outputs are the user's, not the page's. Crashes come first. */
function cwNotice(ctx) {
  const content = CW_SELECTORS.notebookContent;
  const found = [];
  for (const el of cwQueryAll(ctx.roots, CW_TOASTS)) {
    if (cwInside(el, content) || el.matches(CW_SELECTORS.dialogs) || !cwToastOpen(el)) continue;
    found.push({el: el, via: "toast"});
  }
  for (const el of cwOpenDialogs(ctx)) {
    if (!cwInside(el, content)) found.push({el: el, via: "dialog"});
  }
  for (const [kind, pattern] of CW_NOTICE_KINDS) {
    for (const item of found) {
      const text = cwText(ctx, item.el);
      if (pattern.test(text)) return {kind: kind, text: text.slice(0, CW_TEXT_LIMIT), via: item.via};
    }
  }
  return null;
}

function cwToastOpen(el) {
  if (el.open === true || el.opened === true || el.hasAttribute("open") || el.hasAttribute("opened")) {
    return true;
  }
  const tag = el.tagName.toLowerCase();
  if (tag === "mwc-snackbar" || tag === "md-snackbar" || tag === "paper-toast") return false;
  return cwShown(el);
}
