/* Simulated Colab: custom elements with real OPEN shadow roots.
 *
 * Only structure lives here (what the real page's elements look like from the DOM); behaviour
 * lives in sim-page.js. Every element is defined once; defining twice is a no-op.
 */
"use strict";

function simDefine(tag, shadowHtml, extra) {
  if (customElements.get(tag)) return;
  customElements.define(tag, class extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({ mode: "open" }).innerHTML = shadowHtml;
    }
    connectedCallback() {
      if (extra) extra(this);
    }
  });
}

const SIM_BUTTON_CSS =
  "<style>button{font:inherit;background:none;border:1px solid #bbb;border-radius:4px;" +
  "padding:2px 8px;cursor:pointer}</style>";

/* Material 3 buttons (2024+): the host holds the label; its shadowRoot holds button#button. */
simDefine("md-text-button", SIM_BUTTON_CSS + '<button id="button" part="button"><slot></slot></button>');
simDefine("md-icon-button", SIM_BUTTON_CSS + '<button id="button" part="button"><slot></slot></button>');
simDefine("md-circular-progress",
  '<div class="progress" role="progressbar" aria-label="Executing">&#9696;</div>');
/* Material 2 button (2023). */
simDefine("mwc-button",
  SIM_BUTTON_CSS + '<button id="button"><span class="mdc-button__label"><slot></slot></span></button>');

/* Dialog shells. The host carries role + open; buttons are slotted light-DOM children. */
function simHeadingFromAttr(host) {
  const h = host.shadowRoot.getElementById("title");
  if (h && host.hasAttribute("heading")) h.textContent = host.getAttribute("heading");
}
const SIM_DIALOG_CSS =
  "<style>.surface{background:#fff;border:1px solid #888;padding:12px;max-width:480px;" +
  "box-shadow:0 4px 16px #0004}footer{margin-top:10px;text-align:right}</style>";
simDefine("mwc-dialog",
  SIM_DIALOG_CSS +
  '<div class="mdc-dialog__surface surface" role="alertdialog" aria-modal="true">' +
  '<h2 id="title" class="mdc-dialog__title"></h2><div id="content"><slot></slot></div>' +
  '<footer><slot name="secondaryAction"></slot><slot name="primaryAction"></slot></footer></div>',
  simHeadingFromAttr);
simDefine("md-dialog",
  SIM_DIALOG_CSS +
  '<dialog open class="surface" role="alertdialog"><div id="headline"><slot name="headline"></slot></div>' +
  '<div id="content"><slot name="content"></slot><slot></slot></div>' +
  '<footer><slot name="actions"></slot><slot name="secondaryAction"></slot>' +
  '<slot name="primaryAction"></slot></footer></dialog>');

/* 2020+ connect button host: its shadowRoot is filled by the page renderer. */
simDefine("colab-connect-button",
  "<style>:host{display:inline-flex;gap:4px;align-items:center}" +
  ".screenreader-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}" +
  "colab-toolbar-button{display:inline-flex;gap:4px;border:1px solid #ccc;padding:2px 6px;" +
  "cursor:pointer}</style><span id=\"slot-root\"></span>");

simDefine("colab-usage-sparkline",
  '<svg width="40" height="12" aria-hidden="true"><polyline points="0,10 10,6 20,8 30,3 40,5" ' +
  'fill="none" stroke="#4caf50"/></svg>');

/* Busy signals: status bar > execution status (each with its own shadowRoot); run button. */
simDefine("colab-execution-status", '<span id="status"></span>');
simDefine("colab-status-bar",
  '<div class="status-bar"><colab-execution-status></colab-execution-status></div>');
simDefine("colab-run-button",
  '<div class="cell-execution-indicator" role="button" aria-label="Run cell">' +
  '<div id="playSymbolMask">&#9654;</div></div>');

/* Toast (snackbar) at the bottom of the page: the message is slotted light-DOM text. */
simDefine("mwc-snackbar",
  '<div class="mdc-snackbar__surface"><div class="mdc-snackbar__label" role="status">' +
  '<slot></slot></div></div>');
