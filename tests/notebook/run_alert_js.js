// Runs the alert JS that CheckpointGuard hands to eval_js, with a fake page; prints JSON.
// usage: node run_alert_js.js SCRIPT_FILE PERMISSION   (granted | default | denied)
const fs = require("fs");
const src = fs.readFileSync(process.argv[2], "utf8");
const events = [];
globalThis.window = globalThis;
globalThis.AudioContext = function () {
  this.currentTime = 0;
  this.destination = {};
  this.createOscillator = () => ({
    frequency: {}, connect() {}, start() { events.push("beep"); }, stop() {},
  });
  this.createGain = () => ({ gain: {}, connect() {} });
};
globalThis.Notification = function (title, opts) { events.push(title + ": " + opts.body); };
Notification.permission = process.argv[3];
Notification.requestPermission = async () => {
  events.push("asked");
  Notification.permission = "granted";
  return "granted";
};
Promise.resolve((0, eval)(src)).then((result) => console.log(JSON.stringify({ result, events })));
