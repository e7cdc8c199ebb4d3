/*
 * colab-watchdog extension: the runtime's lifetime clock, badge text and alert events.
 *
 * Contract (pure: no chrome.* calls, no clock reads; `nowMs` is always passed in)
 *   cwxNotebookKey(url) -> origin + path          one notebook, whatever its #fragment/query
 *   cwxTrack(session, status, nowMs, settings) -> {session, events}
 *     session: null | {startedAt: ms | null, lastSeenAt: ms | null, estimateAt: ms | null,
 *                      warned: [s, ...], state: str, captcha: bool,
 *                      busySince: ms | null, lastBusyAt: ms | null, crashShown: bool}
 *     status:  the engine's tick result (js/engine.js)
 *     events:  [{kind: "margin", margin: s, left: s} | {kind: "lifetime-reached"} |
 *               {kind: "disconnected", atLifetimeEnd: bool} | {kind: "captcha"} |
 *               {kind: "finished", ran: s, startedAt: ms} | {kind: "crashed", text: str}]
 *   cwxLeft(session, settings, nowMs) -> seconds left (may be < 0) | null when no runtime
 *   cwxDeadline(session, settings) -> {at: ms, source: "max_lifetime" | "colab-estimate"} | null
 *   cwxBadge(left, settings) -> {text: "5h" | "45m" | "30s" | "", red: bool}
 *   cwxFormatLeft(s) -> "2h 05m" | "12m 30s" | "45s"   (for people)
 *
 * Rules, as in the daemon (watchdog/core/session.py): a runtime starts at the first tick
 * that sees it connected and ends when a tick sees it disconnected (a later connection is a
 * new runtime); a record nobody saw for longer than the idle timeout is stale (that runtime
 * has idled out). Its end is the earlier of start + maximum lifetime and the page's own
 * "may last up to" estimate. Each warning margin fires once per runtime; alerts come from
 * transitions only (a tick that finds the same state raises nothing).
 *
 * The work, as in the daemon (watchdog/core/work.py): a run starts at the page's own elapsed
 * time ("Executing (1m 12s)") when it shows one, else at the first tick that saw a cell
 * running. "finished" when a run of at least `finishedAfter` has ended (its length is from
 * its start to the last tick that saw it running); an elapsed time that starts more than
 * CWX_NEW_RUN_SLACK_S later than the run we know is a new run (the old one ended between two
 * ticks). "crashed" when the page shows a crash message (the crash ended the run: no
 * "finished"), once until the message goes away. A disconnect or a new runtime forgets the
 * run; a connecting or unreadable tick, or `busy: null`, changes nothing.
 */

const CWX_NEW_RUN_SLACK_S = 5;

function cwxNotebookKey(url) {
  try {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
  } catch (err) {
    return String(url);
  }
}

function cwxTrack(previous, status, nowMs, settings) {
  const events = [];
  const session = Object.assign(
    {startedAt: null, lastSeenAt: null, estimateAt: null, warned: [], state: "unknown",
     captcha: false, busySince: null, lastBusyAt: null, crashShown: false},
    previous || {});
  session.warned = (session.warned || []).slice();
  if (status.captcha && !session.captcha) events.push({kind: "captcha"});
  session.captcha = !!status.captcha;

  if (status.state === "disconnected") {
    if (session.startedAt !== null && session.state !== "disconnected") {
      const left = cwxLeft(session, settings, nowMs);
      const tolerance = settings.interval * 1.1 + 1;
      events.push({kind: "disconnected", atLifetimeEnd: left !== null && left <= tolerance});
    }
    session.startedAt = null;
    session.estimateAt = null;
    session.warned = [];
    cwxForgetWork(session);
  } else if (status.state === "connected") {
    const stale = session.lastSeenAt === null ||
      (nowMs - session.lastSeenAt) / 1000 > settings.idleTimeout;
    if (session.startedAt === null || stale) {
      session.startedAt = nowMs;
      session.estimateAt = null;
      session.warned = [];
      cwxForgetWork(session);
    }
    session.lastSeenAt = nowMs;
    const estimate = status.remaining_estimate_s;
    if (typeof estimate === "number" && estimate >= 0) session.estimateAt = nowMs + estimate * 1000;
    events.push(...cwxCrossed(session, settings, nowMs));
    events.push(...cwxWork(session, status, nowMs, settings));
  }
  session.state = status.state;
  return {session: session, events: events};
}

function cwxForgetWork(session) {
  session.busySince = null;
  session.lastBusyAt = null;
  session.crashShown = false;
}

/* One connected tick's work events: "crashed" first, then "finished". */
function cwxWork(session, status, nowMs, settings) {
  const events = [];
  const notice = status.notice;
  const crashed = !!notice && typeof notice === "object" && notice.kind === "crashed";
  if (crashed && !session.crashShown) {
    events.push({kind: "crashed", text: String(notice.text || "").trim()});
  }
  session.crashShown = crashed;
  if (crashed) {
    session.busySince = null;  // the crash ended the run: that is "crashed", not "finished"
    return events;
  }
  if (status.busy !== true && status.busy !== false) return events;  // unknown: no guess
  if (status.busy) {
    const elapsed = typeof status.busy_for_s === "number" && status.busy_for_s >= 0 ?
      status.busy_for_s : null;
    let start = elapsed === null ? nowMs : nowMs - elapsed * 1000;
    if (session.busySince !== null && elapsed !== null &&
        (start - session.busySince) / 1000 > CWX_NEW_RUN_SLACK_S) {
      events.push(...cwxFinished(session, settings));  // one run ended, another began
    } else if (session.busySince !== null) {
      start = session.busySince;
    }
    session.busySince = start;
    session.lastBusyAt = nowMs;
    return events;
  }
  if (session.busySince !== null) events.push(...cwxFinished(session, settings));
  session.busySince = null;
  return events;
}

function cwxFinished(session, settings) {
  const end = session.lastBusyAt !== null && session.lastBusyAt !== undefined ?
    session.lastBusyAt : session.busySince;
  const ran = Math.max(0, (end - session.busySince) / 1000);
  if (ran < settings.finishedAfter) return [];
  return [{kind: "finished", ran: ran, startedAt: session.busySince}];
}

/* The margins crossed since the last tick, as ONE event (the nearest), all marked as warned. */
function cwxCrossed(session, settings, nowMs) {
  const left = cwxLeft(session, settings, nowMs);
  if (left === null) return [];
  const due = settings.warnBefore.filter((m) => left <= m && session.warned.indexOf(m) < 0);
  const events = [];
  if (due.length) {
    session.warned.push(...due);
    events.push({kind: "margin", margin: Math.min(...due), left: left});
  }
  if (left <= 0 && session.warned.indexOf(0) < 0) {
    session.warned.push(0);
    events.push({kind: "lifetime-reached"});
  }
  return events;
}

function cwxDeadline(session, settings) {
  if (!session || session.startedAt === null || session.startedAt === undefined) return null;
  const byLimit = session.startedAt + settings.maxLifetime * 1000;
  if (typeof session.estimateAt === "number" && session.estimateAt < byLimit) {
    return {at: session.estimateAt, source: "colab-estimate"};
  }
  return {at: byLimit, source: "max_lifetime"};
}

function cwxLeft(session, settings, nowMs) {
  const deadline = cwxDeadline(session, settings);
  return deadline === null ? null : (deadline.at - nowMs) / 1000;
}

/* Whole units rounded down, so the badge never promises more time than there is. */
function cwxBadge(left, settings) {
  if (left === null || left === undefined) return {text: "", red: false};
  const s = Math.max(0, Math.floor(left));
  let text;
  if (s >= 3600) text = Math.floor(s / 3600) + "h";
  else if (s >= 60) text = Math.floor(s / 60) + "m";
  else text = s + "s";
  const last = settings.warnBefore.length ? Math.min(...settings.warnBefore) : 0;
  return {text: text, red: left <= last};
}

function cwxFormatLeft(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return h + "h " + String(m).padStart(2, "0") + "m";
  if (m > 0) return m + "m " + String(s % 60).padStart(2, "0") + "s";
  return s + "s";
}
