/*
 * no_entry - a valid shared object that does not export siem_plugin_entry.
 * Proves the loader refuses it with "no entry symbol" instead of crashing.
 */
int not_a_plugin(void) { return 42; }
