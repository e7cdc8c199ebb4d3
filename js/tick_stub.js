/*
 * colab-watchdog tick stub: the few bytes the daemon sends each tick, once js/tick_install.js
 * has installed the tick function in the page.
 *
 * Contract: function (optionsJson, lastHref, version)
 *   optionsJson  the engine's options as JSON text (BiDi passes a string faster than an
 *                object)
 *   lastHref     as in js/tick.js
 *   version      the installed function must carry this version, else it is stale
 *   returns      ["install"] when no tick function of this version is in the page (a new
 *                document, or a new daemon), else what js/tick.js returns
 */
function (optionsJson, lastHref, version) {
  const tick = window[Symbol.for("colab-watchdog/tick")];
  if (typeof tick !== "function" || tick.version !== version) return ["install"];
  return tick(JSON.parse(optionsJson), lastHref);
}
