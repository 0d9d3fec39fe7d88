# labdev.sh LAB CMD...: run CMD with a private /dev whose /dev/log is the lab's
# rsyslog socket ($LAB/run/log.sock), a private /run and private login-record
# files, so that nothing the lab does reaches the machine's own syslog, utmp,
# wtmp, btmp or lastlog.  Taken from testdata/sshd/make-corpus.sh.
#
# Must already run in its own mount namespace (`ip netns exec` or
# `unshare --mount --propagation slave`); it only alters that namespace.
# It execs CMD, so the caller's $! is CMD's pid.
set -e
LAB=$1; shift
mkdir -p "$LAB/run/hostdev" "$LAB/run/varlog"
mount --rbind /dev "$LAB/run/hostdev"
mount -t tmpfs -o mode=755,size=1m labdev /dev
for n in null zero full random urandom tty ptmx; do
    : > "/dev/$n"; mount --bind "$LAB/run/hostdev/$n" "/dev/$n"
done
mkdir /dev/pts /dev/shm
mount --bind "$LAB/run/hostdev/pts" /dev/pts
mount -t tmpfs -o mode=1777,size=1m shm /dev/shm
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin; ln -s /proc/self/fd/1 /dev/stdout; ln -s /proc/self/fd/2 /dev/stderr
: > /dev/log; mount --bind "$LAB/run/log.sock" /dev/log
umount -l "$LAB/run/hostdev"
mount -t tmpfs -o mode=755,size=4m labrun /run          # pam_motd, utmp, ...
mkdir -m 755 /run/sshd                                 # sshd privsep chroot
for f in btmp wtmp lastlog faillog; do                 # sshd/useradd records
    [ -f "/var/log/$f" ] || continue
    touch "$LAB/run/varlog/$f"          # same owner/mode, or sshd complains
    chown --reference="/var/log/$f" "$LAB/run/varlog/$f"
    chmod --reference="/var/log/$f" "$LAB/run/varlog/$f"
    mount --bind "$LAB/run/varlog/$f" "/var/log/$f"
done
exec "$@"
