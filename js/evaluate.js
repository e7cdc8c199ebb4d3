/*
 * colab-watchdog evaluate: runs a script body (tests, the demo) in the page and sends its
 * result back as JSON text, so any JSON-like value survives every transport alike.
 *
 * Contract: function (...args) -> [json]
 *   the body at the marker below runs with `this` and `arguments` of this call
 *   json  JSON text of what the body returned (null for undefined)
 */
function () {
  const cwResult = (function () {
/*@BODY@*/
  }).apply(this, arguments);
  return [JSON.stringify(cwResult === undefined ? null : cwResult)];
}
