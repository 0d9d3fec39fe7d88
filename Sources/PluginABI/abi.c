/* Compiles the header so its _Static_asserts run on every build. */
#include "siem_plugin.h"
