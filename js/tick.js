/*
 * colab-watchdog adapter tick: the body of function (options, lastHref), placed after
 * js/engine.js in the same function (the daemon's one script call per notebook per tick).
 *
 * Contract
 *   options   the engine's options (js/engine.js)
 *   lastHref  the tab's address when the daemon last checked it, or null
 *
 *   returns [json, ...elements]
 *     json = JSON text of {href, visible, title?, status?, plan?}
 *       href     location.href; when it differs from lastHref the engine is NOT run and
 *                only {href, visible, signedOut} comes back, for the daemon to check the
 *                address (signedOut: cwSignInPage() of js/engine.js)
 *       visible  document.visibilityState is "visible" (pointer input is prompt there)
 *       status   the engine's status without `plan`
 *       plan     the engine's plan (actuator "browser") with each click's `target`
 *                replaced by `node`, an index into `elements`; in a hidden tab the first
 *                click on a native button also gets `focused: true`: that button has the
 *                focus, for the daemon to activate it with a key (pointer input waits
 *                for a frame a hidden tab does not draw; key input does not)
 *     elements  the click targets, as element references for the browser's input
 *
 * Nothing here waits for a page timer: background tabs run timers once a minute.
 */
const cwHref = location.href;
const cwVisible = document.visibilityState === "visible";
if (cwHref !== lastHref) {
  return [JSON.stringify({href: cwHref, visible: cwVisible, signedOut: cwSignInPage()})];
}
const cwStatus = colabWatchdogTick(options);
const cwElements = [];
let cwPlanOut = null;
let cwFocused = false;
if (cwStatus.plan) {
  cwPlanOut = {
    activity: cwStatus.plan.activity,
    clicks: cwStatus.plan.clicks.map((click) => {
      cwElements.push(click.target);
      const focus = !cwVisible && !cwFocused && click.native;
      if (focus) {
        click.target.focus({preventScroll: true});
        cwFocused = document.activeElement === click.target ||
          (click.target.getRootNode().activeElement === click.target);
      }
      return {node: cwElements.length - 1, x: click.x, y: click.y, native: click.native,
              label: click.label, focused: focus && cwFocused};
    }),
  };
  delete cwStatus.plan;
}
const cwOut = {href: cwHref, visible: cwVisible, title: document.title, status: cwStatus,
               plan: cwPlanOut};
return [JSON.stringify(cwOut), ...cwElements];
