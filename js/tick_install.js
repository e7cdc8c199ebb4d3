/*
 * colab-watchdog tick installer: puts the tick function (js/engine.js and js/tick.js, placed
 * at the marker below as the body of function (options, lastHref)) under a symbol of the
 * page's window, once per document. The engine runs in the page's own world: its last
 * probe reads the page's objects.
 *
 * Contract: function (version) -> ["installed"]
 *   version  stored on the function; js/tick_stub.js compares it
 */
function (version) {
  const tick = function (options, lastHref) {
/*@ENGINE_AND_TICK@*/
  };
  tick.version = version;
  Object.defineProperty(window, Symbol.for("colab-watchdog/tick"), {
    value: tick,
    configurable: true,
  });
  return ["installed"];
}
