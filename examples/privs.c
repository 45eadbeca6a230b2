/* Privileges of the capturing programs; see privs.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include "privs.h"

int privs_lookup_user(const char *prog, const char *name, struct privs_user *u)
{
    errno = 0;
    struct passwd *pw = getpwnam(name);
    if (pw == NULL) {
        fprintf(stderr, "%s: -Z %s: %s\n", prog, name,
                errno != 0 ? strerror(errno) : "no such user");
        return -1;
    }
    if (strlen(pw->pw_name) >= sizeof u->name) {
        fprintf(stderr, "%s: -Z %s: user name too long\n", prog, name);
        return -1;
    }
    u->uid = pw->pw_uid;
    u->gid = pw->pw_gid;
    strcpy(u->name, pw->pw_name);
    return 0;
}

/* 1 when real, effective and saved uid are all @p uid and the gids all @p gid. */
static int ids_are(uid_t uid, gid_t gid)
{
    uid_t r, e, s;
    gid_t rg, eg, sg;
    if (getresuid(&r, &e, &s) != 0 || getresgid(&rg, &eg, &sg) != 0)
        return 0;
    return r == uid && e == uid && s == uid && rg == gid && eg == gid && sg == gid;
}

int privs_drop_setid(const char *prog)
{
    uid_t ruid, euid, suid;
    gid_t rgid, egid, sgid;
    if (getresuid(&ruid, &euid, &suid) != 0 || getresgid(&rgid, &egid, &sgid) != 0) {
        fprintf(stderr, "%s: getresuid/getresgid: %s\n", prog, strerror(errno));
        return -1;
    }
    if (ruid == euid && ruid == suid && rgid == egid && rgid == sgid)
        return 0;
    /* The group first: changing it may need the privilege the uid change
     * gives up. */
    if (setresgid(rgid, rgid, rgid) != 0) {
        fprintf(stderr, "%s: setresgid(%lu) to give up the set-group-ID group: %s\n", prog,
                (unsigned long)rgid, strerror(errno));
        return -1;
    }
    if (setresuid(ruid, ruid, ruid) != 0) {
        fprintf(stderr, "%s: setresuid(%lu) to give up the set-user-ID user: %s\n", prog,
                (unsigned long)ruid, strerror(errno));
        return -1;
    }
    /* Root may switch ids at will: only for another real user does
     * getting the old ones back mean the privileges stayed. */
    if (!ids_are(ruid, rgid) ||
        (ruid != 0 && ((euid != ruid && seteuid(euid) == 0) ||
                       (egid != rgid && setegid(egid) == 0)))) {
        fprintf(stderr, "%s: the set-user-ID/set-group-ID privileges could not be given up\n",
                prog);
        return -1;
    }
    return 0;
}

/* Empty effective, permitted, inheritable and ambient capability sets, and
 * no_new_privs, so that nothing executed later regains any.  @p why starts
 * the messages ("-Z nobody"). */
static int clear_capabilities(const char *prog, const char *why)
{
    /* EINVAL: a kernel older than 4.3 has no ambient set. */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
        fprintf(stderr, "%s: %s: prctl(PR_CAP_AMBIENT_CLEAR_ALL): %s\n", prog, why,
                strerror(errno));
        return -1;
    }
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capset, &hdr, data) != 0) {
        fprintf(stderr, "%s: %s: capset (clearing every capability): %s\n", prog, why,
                strerror(errno));
        return -1;
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        fprintf(stderr, "%s: %s: prctl(PR_SET_NO_NEW_PRIVS): %s\n", prog, why,
                strerror(errno));
        return -1;
    }
    return 0;
}

int privs_give_up_all(const char *prog)
{
    if (privs_drop_setid(prog) < 0)
        return -1;
    return clear_capabilities(prog, "giving up privileges after opening the capture");
}

int privs_become(const char *prog, const struct privs_user *u)
{
    if (!ids_are(u->uid, u->gid)) {
        /* Groups first: after the uid change there is no permission left
         * to change them. */
        if (initgroups(u->name, u->gid) != 0) {
            fprintf(stderr, "%s: -Z %s: initgroups: %s%s\n", prog, u->name, strerror(errno),
                    errno == EPERM ? " (only root can change to another user)" : "");
            return -1;
        }
        if (setresgid(u->gid, u->gid, u->gid) != 0) {
            fprintf(stderr, "%s: -Z %s: setresgid(%lu): %s\n", prog, u->name,
                    (unsigned long)u->gid, strerror(errno));
            return -1;
        }
        if (setresuid(u->uid, u->uid, u->uid) != 0) {
            fprintf(stderr, "%s: -Z %s: setresuid(%lu): %s\n", prog, u->name,
                    (unsigned long)u->uid, strerror(errno));
            return -1;
        }
        /* Make sure root cannot come back. */
        if (!ids_are(u->uid, u->gid) || (u->uid != 0 && setuid(0) == 0)) {
            fprintf(stderr, "%s: -Z %s: privileges could not be dropped\n", prog, u->name);
            return -1;
        }
    }
    char why[sizeof u->name + 4];
    snprintf(why, sizeof why, "-Z %s", u->name);
    return clear_capabilities(prog, why);
}

int privs_open_output(const char *prog, const char *path)
{
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC;
    int as_root = geteuid() == 0;
    /* As root, a link planted by someone else would make us write wherever
     * it points: the file is only ever the path itself.  O_NOFOLLOW stops a
     * symbolic link; a hard link to someone else's file (possible where
     * fs.protected_hardlinks is 0) is seen by its link count, so root opens
     * without O_TRUNC and truncates only after that check. */
    if (as_root)
        flags |= O_NOFOLLOW;
    else
        flags |= O_TRUNC;
    int fd = open(path, flags, 0644);
    if (fd < 0) {
        int err = errno;
        struct stat st;
        if (as_root && err == ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
            fprintf(stderr, "%s: %s: is a symbolic link, not followed when running as root (give "
                            "the file it points to)\n", prog, path);
        else
            fprintf(stderr, "%s: %s: open: %s\n", prog, path, strerror(err));
        return -1;
    }
    if (as_root) {
        struct stat st;
        if (fstat(fd, &st) != 0) {
            fprintf(stderr, "%s: %s: fstat: %s\n", prog, path, strerror(errno));
            close(fd);
            return -1;
        }
        if (S_ISREG(st.st_mode) && st.st_nlink > 1) {
            fprintf(stderr, "%s: %s: has %ju hard links, not overwritten when running as root\n",
                    prog, path, (uintmax_t)st.st_nlink);
            close(fd);
            return -1;
        }
        if (S_ISREG(st.st_mode) && ftruncate(fd, 0) != 0) {
            fprintf(stderr, "%s: %s: ftruncate: %s\n", prog, path, strerror(errno));
            close(fd);
            return -1;
        }
    }
    return fd;
}
