/*
 * Small helpers shared by every module: allocation that cannot fail, a
 * growable string buffer, and printf checking.
 *
 * Ownership rule for the whole project: a function that returns a pointer
 * through an `out` parameter or as a `char *` hands it to the caller, who
 * frees it with the matching *_free() (or free() for plain strings). A
 * `const` pointer returned by an accessor is borrowed from its owner and lives
 * as long as the owner does.
 */
#ifndef ITORISK_UTIL_H
#define ITORISK_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define ITR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define ITR_NORETURN __attribute__((noreturn))
#else
#define ITR_PRINTF(fmt, args)
#define ITR_NORETURN
#endif

#define ITR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Allocation. Like git's xmalloc(): running out of memory prints a message
 * and exits with status 2 (could not evaluate), so callers never see NULL.
 * The input limits of the loader keep every allocation bounded.
 */
void *itr_xmalloc(size_t n);
void *itr_xcalloc(size_t count, size_t size);
void *itr_xrealloc(void *p, size_t n);
/* Grow *p (an array of elem-sized items with capacity *cap) to hold at least need items. */
void itr_xgrow(void **p, size_t *cap, size_t need, size_t elem);
char *itr_xstrdup(const char *s);
char *itr_xstrndup(const char *s, size_t n);
ITR_NORETURN void itr_die(const char *fmt, ...) ITR_PRINTF(1, 2);

#define ITR_GROW(arr, cap, need) itr_xgrow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/*
 * A growable NUL-terminated string. Initialise with ITR_BUF_INIT or
 * itr_buf_init(); release with itr_buf_release(). Appends cannot fail.
 */
typedef struct itr_buf {
	char *s;     /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
} itr_buf;

#define ITR_BUF_INIT {NULL, 0, 0}

void itr_buf_init(itr_buf *b);
void itr_buf_release(itr_buf *b);
/* Hand over the string (never NULL; "" when empty) and reset the buffer. */
char *itr_buf_detach(itr_buf *b);
const char *itr_buf_str(const itr_buf *b); /* never NULL */
void itr_buf_add(itr_buf *b, const char *s, size_t n);
void itr_buf_puts(itr_buf *b, const char *s);
void itr_buf_putc(itr_buf *b, char c);
void itr_buf_printf(itr_buf *b, const char *fmt, ...) ITR_PRINTF(2, 3);
void itr_buf_vprintf(itr_buf *b, const char *fmt, va_list ap) ITR_PRINTF(2, 0);

/*
 * Strings that live and die together (a run's messages): copied into large
 * blocks, never freed one by one. Zero-initialise; release with
 * itr_strings_release(). Not for sharing between threads.
 */
typedef struct itr_strings {
	struct itr_strings_block *head;
} itr_strings;

/* A copy of s[0..n) and a NUL, owned by *st. */
char *itr_strings_add(itr_strings *st, const char *s, size_t n);
/* Every string of *from becomes *to's; *from is left empty. */
void itr_strings_move(itr_strings *to, itr_strings *from);
void itr_strings_release(itr_strings *st);

/* Bytewise comparison of two `const char *` through pointers, for qsort(). */
int itr_strcmp_p(const void *a, const void *b);
/* Sort key[0..n) ascending, stably, moving val[] (if not NULL) alongside. */
void itr_sort_u64(uint64_t *key, size_t *val, size_t n);

#endif
