/* Privileges of the capturing programs (pktd-sniff, pktd-bench capture,
 * and the seed-parity sniffers): what they give up once the capture socket
 * is open, and how they open the output file.  Not part of the library.
 *
 * The order every such program follows:
 *   privs_lookup_user()   -Z's user, before any file is touched;
 *   ... create and activate the capture handle (needs CAP_NET_RAW) ...
 *   privs_drop_setid()    a set-user-ID/set-group-ID start gives up the
 *                         borrowed ids: real ids become effective and saved;
 *   privs_become()        -Z: become the user, clear every capability set,
 *                         set no_new_privs;
 *   privs_open_output()   the output file, as whoever the process now is. */
#ifndef PKTD_EXAMPLES_PRIVS_H
#define PKTD_EXAMPLES_PRIVS_H

#include <sys/types.h>

/* A user looked up by name (-Z). */
struct privs_user {
    uid_t uid;
    gid_t gid;
    char name[256];
};

/* Look @p name up into @p u.  Prints why and returns -1 when there is no
 * such user (or the lookup fails). */
int privs_lookup_user(const char *prog, const char *name, struct privs_user *u);

/* When the program was started set-user-ID or set-group-ID, make the real
 * user and group ids the effective and saved ones as well, for good: what
 * follows (opening the output file) is done as the user who ran it.  A
 * no-op otherwise.  Prints why and returns -1 when the ids cannot be
 * changed or could be regained. */
int privs_drop_setid(const char *prog);

/* -Z: become @p u (supplementary groups, then real, effective and saved
 * gid and uid), then clear every capability set (effective, permitted,
 * inheritable, ambient) and set no_new_privs, whether or not the uid
 * changed: a process already running as @p u (e.g. with file capabilities)
 * keeps no capability either.  Prints why and returns -1 on failure. */
int privs_become(const char *prog, const struct privs_user *u);

/* For when nothing privileged is left to do (pktd-sniff-ip, -tcp, -arp once
 * the capture is active; pktd-sniff and pktd-bench capture once their
 * output file is open):
 * privs_drop_setid(), then clear every capability set (effective,
 * permitted, inheritable, ambient) and set no_new_privs, so that packets are
 * parsed with no capability whether the program was started by root,
 * set-user-ID root or with file or ambient capabilities.  A process started
 * by root keeps uid 0 (and with it the owner's access to root's files): -Z
 * is what gives that up.  Prints why and returns -1 on failure. */
int privs_give_up_all(const char *prog);

/* Open @p path to write a capture to: created with mode 0644 (less the
 * umask) or truncated, close-on-exec.  While the effective uid is 0 a
 * symbolic link as the last component is refused, not followed.  Returns
 * the descriptor, or prints why and returns -1. */
int privs_open_output(const char *prog, const char *path);

#endif
