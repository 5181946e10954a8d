#define _GNU_SOURCE
#include <errno.h>
#include "CFulcrumNetns.h"

#ifdef __linux__
#include <sched.h>

int cfulcrum_enter_network_namespace(int fd) {
    return setns(fd, CLONE_NEWNET);
}
#else
int cfulcrum_enter_network_namespace(int fd) {
    (void)fd;
    errno = ENOSYS;
    return -1;
}
#endif
