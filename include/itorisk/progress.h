/*
 * Stage timings (--timings) and the progress indicator on stderr.
 *
 * Process-wide instrumentation for the command line: the library calls
 * itr_stage_begin()/itr_stage_end() around each stage and itr_progress()
 * inside long loops; both cost a clock read and nothing else unless the
 * command enabled them. Stages may run on several threads: their times add
 * up per stage (so, with stages in parallel, they can exceed the total);
 * only the thread that called itr_instrument_start() draws the progress line.
 *
 * The progress line appears only when enabled (stderr is a terminal and no
 * --quiet) and only once the run has lasted ITR_PROGRESS_DELAY seconds, so
 * short runs never print it; it is erased before anything else is printed.
 */
#ifndef ITORISK_PROGRESS_H
#define ITORISK_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Seconds before the progress line shows; the environment variable
 * ITORISK_PROGRESS_DELAY overrides it (for tests). */
#define ITR_PROGRESS_DELAY 2.0

/* Seconds on a monotonic clock. */
double itr_clock(void);

/* Start the run's clock; collect timings and/or show progress. */
void itr_instrument_start(bool timings, bool progress);

/* A stage: begin returns the clock, end adds the elapsed time to the stage's
 * total (stages of the same name accumulate, e.g. "parse" over files). */
double itr_stage_begin(const char *stage);
void itr_stage_end(const char *stage, double began);

/* The end of a phase of the run on the clock of the wall (load, analyses,
 * ...): the time since the previous phase ended, or the start. Only the
 * thread that started the run marks phases. */
void itr_phase_end(const char *phase);
/* Inside a long stage: done of total items (cheap; rate-limited). */
void itr_progress(size_t done, size_t total);

/* Erase the progress line (before writing diagnostics or the report). */
void itr_progress_clear(void);

/* Print "timing: STAGE SECONDS" per stage in first-seen order, then the
 * phases on one line ("timing: wall-clock PHASE SECONDS ..."), then total. */
void itr_timings_print(FILE *fp);

#endif
