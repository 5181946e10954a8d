#ifndef CFULCRUM_NETNS_H
#define CFULCRUM_NETNS_H

/// Moves the calling thread into the network namespace open as `fd`: `setns(fd, CLONE_NEWNET)`, which Swift's
/// Glibc module does not export (it needs _GNU_SOURCE). Returns 0, or -1 with errno set (ENOSYS off Linux).
int cfulcrum_enter_network_namespace(int fd);

#endif
