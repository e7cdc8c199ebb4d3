/*
 * colab-watchdog notebook countdown: a live "time left" line in a Colab cell's output,
 * sent through google.colab.output.eval_js by CheckpointGuard.show_countdown
 * (watchdog/notebook.py; the `snippet --python` cell calls it once).
 *
 * Contract: a function expression, called with
 *   warn   the function of js/notebook_alert.js (title, body): beep and notification
 *   leftS  seconds until the runtime's estimated end (number)
 *   warnS  warning margins in seconds (array of numbers); crossing one turns the line red,
 *          beeps and raises a notification (where allowed), once per margin; margins
 *          already passed at the start do not alert again
 * returns the first line shown (text) and redraws it every second.
 */
(warn, leftS, warnS) => {
  const end = Date.now() + leftS * 1000;
  const fmt = (s) => {
    s = Math.max(0, Math.floor(s));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), x = s % 60;
    const p = (n) => String(n).padStart(2, "0");
    return h ? h + "h " + p(m) + "m" : (m ? m + "m " + p(x) + "s" : x + "s");
  };
  const line = document.createElement("div");
  line.style.fontFamily = "monospace";
  document.body.appendChild(line);
  const fired = new Set(warnS.filter((w) => w >= leftS));
  let note = "";
  const tick = () => {
    const s = (end - Date.now()) / 1000;
    const crossed = warnS.filter((w) => s <= w && !fired.has(w));
    if (crossed.length) {
      crossed.forEach((w) => fired.add(w));
      note = " - under " + fmt(Math.min(...crossed)) + ": save your work now";
      line.style.color = "#d93025";
      warn("Colab runtime ending",
        "About " + fmt(s) + " left in this Colab runtime: save your work now.");
    }
    line.textContent = "Colab runtime: about " + fmt(s) + " left (estimate, errs early)" + note;
    return line.textContent;
  };
  try {
    if ("Notification" in window && Notification.permission === "default") {
      Notification.requestPermission().catch(() => {});
    }
  } catch (e) {}
  setInterval(tick, 1000);
  return tick();
}
