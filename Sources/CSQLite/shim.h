#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call: one wrapper per setting used.
   Memory statistics cost a global mutex around every SQLite malloc; nobody reads them. */
static inline int siem_sqlite3_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
