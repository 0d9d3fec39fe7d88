/*
 * latency_probe - measures ban latency: the time from the moment the line that
 * crosses the threshold is appended to the watched log until its address is in
 * the kernel's ipset set. Run inside the daemon's network namespace.
 *
 *   latency_probe LOG SET4 SET6 THRESHOLD TIMEOUT_MS < addresses
 *
 * For each address (one per line on stdin): appends THRESHOLD-1 "Failed password"
 * lines, waits 20 ms (so they are processed), then stamps the clock, appends
 * the last line in one write(2) and polls the set with libipset (the `ipset test`
 * of the ipset tool, in-process: ~20 us per poll) until the address is in it.
 * Prints one line per address: "<address> <microseconds>" (or "<address> timeout").
 *
 * Build: cc -O2 -o latency_probe bench/latency_probe.c -lipset
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libipset/ipset.h>

static int quiet_error(struct ipset *ipset, void *p, int status, const char *msg, ...) {
    (void)ipset; (void)p; (void)msg;
    return status;
}
static int quiet_standard_error(struct ipset *ipset, void *p) {
    (void)ipset; (void)p;
    return -1;
}
static int quiet_print(struct ipset_session *session, void *p, const char *fmt, ...) {
    (void)session; (void)p; (void)fmt;
    return 0;
}

static struct ipset *ipset_handle;

/* 1 when addr is in set, 0 when not. */
static int in_set(const char *set, const char *addr) {
    char *argv[] = {"ipset", "test", (char *)set, (char *)addr, NULL};
    int rc = ipset_parse_argv(ipset_handle, 4, argv);
    return rc == 0;
}

static double mono_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void write_all(int fd, const char *buf, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            perror("write");
            exit(1);
        }
        buf += w;
        n -= (size_t)w;
    }
}

static size_t failed_line(char *out, size_t n, const char *addr, int pid, int port) {
    static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return (size_t)snprintf(out, n, "%s %2d %02d:%02d:%02d bastion sshd[%d]: Failed password for root from %s port %d ssh2\n",
                            months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, pid, addr, port);
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s LOG SET4 SET6 THRESHOLD TIMEOUT_MS < addresses\n", argv[0]);
        return 2;
    }
    const char *log = argv[1], *set4 = argv[2], *set6 = argv[3];
    int threshold = atoi(argv[4]);
    double timeout_us = atof(argv[5]) * 1000.0;
    int fd = open(log, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) {
        perror(log);
        return 1;
    }
    ipset_load_types();
    ipset_handle = ipset_init();
    if (ipset_handle == NULL) {
        fprintf(stderr, "ipset_init failed\n");
        return 1;
    }
    ipset_custom_printf(ipset_handle, quiet_error, quiet_standard_error, quiet_print, NULL);

    char addr[128], line[512], burst[512 * 16];
    int pid = 700000;
    while (fgets(addr, sizeof addr, stdin) != NULL) {
        addr[strcspn(addr, "\r\n")] = 0;
        if (addr[0] == 0) continue;
        const char *set = strchr(addr, ':') ? set6 : set4;
        int port = 20000 + (pid % 40000);
        pid++;
        size_t n = 0;
        for (int i = 0; i < threshold - 1 && n + 512 < sizeof burst; i++)
            n += failed_line(burst + n, sizeof burst - n, addr, pid, port);
        if (n > 0) write_all(fd, burst, n);
        usleep(20000);
        size_t m = failed_line(line, sizeof line, addr, pid, port);
        double t0 = mono_us();
        write_all(fd, line, m);
        double waited = 0;
        int found = 0;
        while (waited < timeout_us) {
            if (in_set(set, addr)) {
                found = 1;
                break;
            }
            usleep(50);
            waited = mono_us() - t0;
        }
        double t1 = mono_us();
        if (found)
            printf("%s %.0f\n", addr, t1 - t0);
        else
            printf("%s timeout\n", addr);
        fflush(stdout);
    }
    ipset_fini(ipset_handle);
    close(fd);
    return 0;
}
