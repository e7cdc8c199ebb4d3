// Runs the countdown JS the Python cell hands to eval_js, with a fake page and clock.
// usage: node run_cell_js.js SCRIPT_FILE STEP_S... ; prints one JSON line per state.
const fs = require("fs");
const src = fs.readFileSync(process.argv[2], "utf8");
const steps = process.argv.slice(3).map(Number);
let now = 1_000_000_000;
Date.now = () => now;
const intervals = [];
globalThis.setInterval = (fn) => { intervals.push(fn); return intervals.length; };
const children = [];
globalThis.window = globalThis;
globalThis.document = {
  body: { appendChild: (el) => children.push(el) },
  createElement: () => ({ style: {}, textContent: "" }),
};
const notes = [];
globalThis.Notification = function (title, opts) { notes.push(title + ": " + opts.body); };
globalThis.Notification.permission = "granted";
const report = (result) => console.log(JSON.stringify({
  result, shown: children.map((c) => c.textContent), color: children[0] && children[0].style.color,
  notes: notes.slice(), intervals: intervals.length,
}));
report((0, eval)(src));
for (const s of steps) { now += s * 1000; intervals.forEach((fn) => fn()); report(null); }
