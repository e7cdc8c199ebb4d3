/*
 * The simulated Colab page's own script: sim-state.js, sim-view.js, sim-dialogs.js and
 * sim-page.js (server.py PAGE_SCRIPTS), placed at the marker in that order, share one
 * strict function scope.
 */
(function () {
"use strict";
/*@PAGE_SCRIPTS@*/
})();
