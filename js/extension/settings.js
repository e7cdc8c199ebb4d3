/*
 * colab-watchdog extension: settings, shared by every part of the extension.
 *
 * Contract
 *   cwxSettings(stored) -> settings      never throws
 *     stored:   the `settings` object kept in chrome.storage.local by the options page
 *               (missing, partial or invalid fields fall back to CW_DEFAULTS one by one)
 *     settings: {interval: s, reconnect: bool, maxLifetime: s, warnBefore: [s, ...]
 *               (descending, each shorter than maxLifetime), idleTimeout: s,
 *               finishedAfter: s (>= 0: a run at least this long that ends is announced),
 *               selectors: null | {key: [css, ...]}}
 *   cwxCheckSettings(candidate) -> null | "one-line error naming the field"
 *   cwxParseDuration("1h30m") -> 5400   ("90m", "45s", "500ms", "2d", bare seconds; NaN if bad)
 *   cwxParseMargins("60m, 30m") -> [3600, 1800] (descending, no duplicates) | null if bad
 *   cwxFormatDuration(5400) -> "1h30m"  (parses back)
 *
 * Needs CW_DEFAULTS (defaults.js, written by `colab-watchdog extension` from the daemon's
 * settings) in the same scope. Pure: no chrome.* calls, no clock reads.
 */

const CWX_UNITS = {d: 86400, h: 3600, m: 60, s: 1, ms: 0.001};
const CWX_PART = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|d|h|m|s)/i;

function cwxParseDuration(text) {
  let rest = String(text === undefined || text === null ? "" : text).trim();
  if (!rest) return NaN;
  if (/^(\d+(?:\.\d+)?|\.\d+)$/.test(rest)) return parseFloat(rest);
  let total = 0;
  const seen = [];
  while (rest) {
    const match = CWX_PART.exec(rest);
    if (!match) return NaN;
    const unit = match[2].toLowerCase();
    if (seen.indexOf(unit) >= 0) return NaN;
    seen.push(unit);
    total += parseFloat(match[1]) * CWX_UNITS[unit];
    rest = rest.slice(match[0].length).trim();
  }
  return total;
}

function cwxParseMargins(text) {
  const items = String(text || "").split(/[\s,]+/).filter((item) => item);
  const out = [];
  for (const item of items) {
    const seconds = cwxParseDuration(item);
    if (!(seconds > 0)) return null;
    if (out.indexOf(seconds) < 0) out.push(seconds);
  }
  return out.sort((a, b) => b - a);
}

function cwxFormatDuration(seconds) {
  let left = Math.max(0, Math.round(Number(seconds) || 0));
  if (left === 0) return "0s";
  let text = "";
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60], ["s", 1]]) {
    const count = Math.floor(left / size);
    if (count) text += count + unit;
    left -= count * size;
  }
  return text;
}

function cwxPositive(value) {
  return typeof value === "number" && isFinite(value) && value > 0;
}

function cwxCheckSettings(c) {
  if (!cwxPositive(c.interval)) return "interval: use a duration such as 60s or 1m";
  if (!cwxPositive(c.idleTimeout)) return "idle timeout: use a duration such as 90m";
  if (c.interval >= c.idleTimeout) {
    return "interval (" + cwxFormatDuration(c.interval) + ") must be shorter than the idle " +
      "timeout (" + cwxFormatDuration(c.idleTimeout) + ")";
  }
  if (!cwxPositive(c.maxLifetime)) return "maximum lifetime: use 12h or 24h";
  if (typeof c.reconnect !== "boolean") return "reconnect: true or false";
  if (!Array.isArray(c.warnBefore) || !c.warnBefore.every(cwxPositive)) {
    return "warning margins: durations separated by commas, such as 60m, 30m, 10m, 5m";
  }
  if (!(typeof c.finishedAfter === "number" && isFinite(c.finishedAfter) &&
        c.finishedAfter >= 0)) {
    return "finished after: use a duration such as 2m (0s: every run that ends)";
  }
  const long = c.warnBefore.find((m) => m >= c.maxLifetime);
  if (long !== undefined) {
    return "warning margin " + cwxFormatDuration(long) + " must be shorter than the maximum " +
      "lifetime (" + cwxFormatDuration(c.maxLifetime) + ")";
  }
  return null;
}

/* Each stored field is taken only when the result still passes cwxCheckSettings. */
function cwxSettings(stored) {
  const base = {
    interval: CW_DEFAULTS.interval,
    reconnect: CW_DEFAULTS.reconnect,
    maxLifetime: CW_DEFAULTS.maxLifetime,
    warnBefore: CW_DEFAULTS.warnBefore.slice(),
    idleTimeout: CW_DEFAULTS.idleTimeout,
    finishedAfter: CW_DEFAULTS.finishedAfter,
    selectors: CW_DEFAULTS.selectors || null,
  };
  const given = stored && typeof stored === "object" ? stored : {};
  for (const field of ["idleTimeout", "maxLifetime", "interval", "reconnect", "warnBefore",
                       "finishedAfter"]) {
    if (!(field in given)) continue;
    const candidate = Object.assign({}, base, {[field]: given[field]});
    if (field === "maxLifetime" && Array.isArray(base.warnBefore)) {
      // A shorter lifetime drops the margins it cannot hold rather than being refused.
      candidate.warnBefore = base.warnBefore.filter((m) => m < given.maxLifetime);
    }
    if (cwxCheckSettings(candidate) === null) Object.assign(base, candidate);
  }
  base.warnBefore = base.warnBefore.slice().sort((a, b) => b - a);
  return base;
}
