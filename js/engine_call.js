/*
 * colab-watchdog engine call: appended to js/engine.js to make one execute_script body
 * that runs a tick with arguments[0] as the engine's options (the benchmarks' baseline).
 */
return colabWatchdogTick(arguments[0]);
