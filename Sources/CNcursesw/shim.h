#ifndef FLAGDECK_CNCURSESW_SHIM_H
#define FLAGDECK_CNCURSESW_SHIM_H
/* The wide-character API (get_wch, mvwaddnwstr, cchar_t) is only declared with these. */
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>
#include <ncursesw/term.h>

/*
 * Swift cannot import ncurses' macros (A_*, getmaxyx, ACS_*) nor read its global
 * variables (stdscr, COLORS) in Swift 6 mode, so each one gets a static inline wrapper.
 */

static inline attr_t fd_A_NORMAL(void) { return A_NORMAL; }
static inline attr_t fd_A_BOLD(void) { return A_BOLD; }
static inline attr_t fd_A_REVERSE(void) { return A_REVERSE; }
static inline attr_t fd_A_DIM(void) { return A_DIM; }
static inline attr_t fd_A_UNDERLINE(void) { return A_UNDERLINE; }
static inline attr_t fd_A_STANDOUT(void) { return A_STANDOUT; }

static inline WINDOW *fd_stdscr(void) { return stdscr; }
static inline WINDOW *fd_curscr(void) { return curscr; }
static inline int fd_COLORS(void) { return COLORS; }
static inline int fd_COLOR_PAIRS(void) { return COLOR_PAIRS; }
static inline FILE *fd_stdout(void) { return stdout; }
static inline FILE *fd_stdin(void) { return stdin; }
static inline FILE *fd_stderr(void) { return stderr; }

static inline int fd_getmaxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int fd_getmaxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

/* Line-drawing characters, for terminals where Unicode box glyphs are not safe. */
static inline chtype fd_ACS_VLINE(void) { return ACS_VLINE; }
static inline chtype fd_ACS_HLINE(void) { return ACS_HLINE; }

/* Draws at most n wide characters at (y, x) with the given attributes and colour pair.
   Using the bounded call keeps ncurses from wrapping past the right edge. */
static inline int fd_put(WINDOW *w, int y, int x, const wchar_t *s, int n, attr_t attrs, short pair) {
    wattr_set(w, attrs, pair, NULL);
    int rc = mvwaddnwstr(w, y, x, s, n);
    wattr_set(w, A_NORMAL, 0, NULL);
    return rc;
}

/* True when the terminal can move the cursor; without it (TERM=dumb) a grid is garbage. */
static inline int fd_has_cursor_addressing(void) {
    const char *cup = tigetstr("cup");
    return cup != NULL && cup != (const char *)-1;
}

/* Probes a terminal type without letting ncurses print or exit: 1 usable, 0 unknown,
   -1 no terminfo database. */
static inline int fd_probe_term(const char *term) {
    int err = 0;
    /* fd 2 is only used to read the size; the result is discarded by del_curterm. */
    TERMINAL *saved = cur_term;
    int rc = setupterm(term, 2, &err);
    if (rc != OK) { cur_term = saved; return err == 1 ? 2 : (err == 0 ? 0 : -1); }
    int ok = fd_has_cursor_addressing();
    del_curterm(cur_term);
    cur_term = saved;
    return ok ? 1 : 2;
}

static inline int fd_codeset_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* Opens a FILE on an fd for newterm, so a benchmark can direct output anywhere. */
static inline FILE *fd_fdopen(int fd, const char *mode) { return fdopen(fd, mode); }

#endif
