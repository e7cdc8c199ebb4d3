/*
 * colab-watchdog page address: where the tab is and whether its document is ready.
 *
 * Contract: function () -> [href, readyState]
 *   href        location.href (the daemon checks the tab still shows its notebook)
 *   readyState  document.readyState ("loading", "interactive" or "complete")
 */
function () { return [location.href, document.readyState]; }
