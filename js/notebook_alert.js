/*
 * colab-watchdog notebook alert: a short beep, then a browser notification if the user
 * allows them. Runs in a Colab cell's output frame through google.colab.output.eval_js,
 * sent by CheckpointGuard (watchdog/notebook.py) when time left drops under its margin.
 *
 * Contract: an async function expression, called with
 *   title  the notification's title (text)
 *   body   the notification's body (text)
 * resolves to true. Every failure (no audio, no Notification, permission refused) is
 * swallowed: an alert must never stop training.
 */
async (title, body) => {
  try {
    const ctx = new (window.AudioContext || window.webkitAudioContext)();
    const osc = ctx.createOscillator(), gain = ctx.createGain();
    osc.frequency.value = 880; gain.gain.value = 0.1;
    osc.connect(gain); gain.connect(ctx.destination);
    osc.start(); osc.stop(ctx.currentTime + 0.4);
  } catch (e) {}
  try {
    if ("Notification" in window) {
      if (Notification.permission === "default") await Notification.requestPermission();
      if (Notification.permission === "granted") new Notification(title, {body: body});
    }
  } catch (e) {}
  return true;
}
