#ifndef FLAGDECK_CLIBPQ_SHIM_H
#define FLAGDECK_CLIBPQ_SHIM_H
/* libpq, PostgreSQL's reference client (Debian: libpq-dev). Synchronous like the store,
   and the reference implementation of conninfo/URL parsing, PG* environment variables,
   ~/.pgpass, sslmode and connect_timeout, so flagdeck inherits all of them unchanged. */
#include <postgresql/libpq-fe.h>
#include <poll.h>

/* Waits until the connection's socket is readable or `timeout_ms` passes (-1: forever).
   Returns 1 readable, 0 timed out, -1 error (errno set). Kept in C because Swift cannot
   build `struct pollfd` arrays as conveniently and the dashboard calls this every frame. */
static inline int fd_pq_wait_readable(int sock, int timeout_ms) {
    struct pollfd p;
    p.fd = sock;
    p.events = POLLIN;
    p.revents = 0;
    int rc = poll(&p, 1, timeout_ms);
    if (rc < 0) return -1;
    return rc > 0 ? 1 : 0;
}
#endif
