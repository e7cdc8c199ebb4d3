/*
 * colab-watchdog demo reading: the simulated Colab's own counters (watchdog/sim), for the
 * demo's live view. A script body for SeleniumBrowser.evaluate.
 *
 * Returns [state, idle seconds left, lifetime seconds left, idle disconnects so far], or
 * null on a page that is not the simulated Colab.
 */
const s = window.__sim;
if (!s) return null;
const idleOuts = s.events.filter((e) => e.type === "disconnect" && e.detail === "idle");
return [s.state, s.idleRemaining(), s.lifetimeRemaining(), idleOuts.length];
