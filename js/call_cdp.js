/*
 * colab-watchdog DevTools call: the Runtime.evaluate expression that calls a page function
 * (at FUNCTION) with its arguments (ARGS, a JSON array literal); attach mode's transport.
 */
(/*@FUNCTION@*/).apply(null, /*@ARGS@*/)
