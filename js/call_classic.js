/*
 * colab-watchdog classic call: the execute_script body that calls a page function (at the
 * marker) with the script's arguments; the transport's fallback when there is no BiDi.
 */
return (/*@FUNCTION@*/).apply(null, arguments);
