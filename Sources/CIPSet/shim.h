#include <libipset/ipset.h>
