/* Stage timings and the progress indicator (see itorisk/progress.h). */
#include "itorisk/progress.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_STAGES 32

static struct {
	bool timings, progress, shown;
	double start, last_draw, delay;
	const char *stage;
	size_t nstages, nphases;
	struct {
		const char *name;
		double seconds;
	} stages[MAX_STAGES], phases[MAX_STAGES];
	double phase_start;
} st;

/* Stages may run on a second thread (see audit.c): their times go into the
 * table under the lock; only the thread that started the run draws. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local bool drawing_thread;

double itr_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void itr_instrument_start(bool timings, bool progress)
{
	memset(&st, 0, sizeof(st));
	drawing_thread = true;
	st.timings = timings;
	st.progress = progress;
	st.start = st.phase_start = itr_clock();
	/* the tests shorten the delay to see the line on a short run */
	st.delay = ITR_PROGRESS_DELAY;
	if (getenv("ITORISK_PROGRESS_DELAY"))
		st.delay = strtod(getenv("ITORISK_PROGRESS_DELAY"), NULL);
}

static void draw(double now, size_t done, size_t total)
{
	if (!st.progress || !st.stage || now - st.start < st.delay ||
	    (st.shown && now - st.last_draw < 0.1))
		return;
	if (total)
		fprintf(stderr, "\r\033[Kitorisk: %s %zu/%zu (%.0f s)", st.stage, done, total,
			now - st.start);
	else
		fprintf(stderr, "\r\033[Kitorisk: %s (%.0f s)", st.stage, now - st.start);
	fflush(stderr);
	st.shown = true;
	st.last_draw = now;
}

double itr_stage_begin(const char *stage)
{
	double now = st.timings || st.progress ? itr_clock() : 0;

	if (drawing_thread) {
		st.stage = stage;
		draw(now, 0, 0);
	}
	return now;
}

void itr_stage_end(const char *stage, double began)
{
	size_t i;
	double now;

	if (!st.timings)
		return;
	now = itr_clock();
	pthread_mutex_lock(&lock);
	for (i = 0; i < st.nstages; i++)
		if (strcmp(st.stages[i].name, stage) == 0)
			break;
	if (i == st.nstages && i < MAX_STAGES)
		st.stages[st.nstages++].name = stage;
	if (i < MAX_STAGES)
		st.stages[i].seconds += now - began;
	pthread_mutex_unlock(&lock);
}

void itr_phase_end(const char *phase)
{
	double now;

	if (!st.timings || !drawing_thread || st.nphases == MAX_STAGES)
		return;
	now = itr_clock();
	st.phases[st.nphases].name = phase;
	st.phases[st.nphases++].seconds = now - st.phase_start;
	st.phase_start = now;
}

void itr_progress(size_t done, size_t total)
{
	double now;

	if (!st.progress || !drawing_thread || (done & 255) != 0)
		return;
	now = itr_clock();
	if (now - st.last_draw >= 0.25)
		draw(now, done, total);
}

void itr_progress_clear(void)
{
	if (!st.shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	st.shown = false;
}

void itr_timings_print(FILE *fp)
{
	if (!st.timings)
		return;
	itr_progress_clear();
	for (size_t i = 0; i < st.nstages; i++)
		fprintf(fp, "timing: %s %.3f\n", st.stages[i].name, st.stages[i].seconds);
	if (st.nphases) {
		fputs("timing: wall-clock", fp);
		for (size_t i = 0; i < st.nphases; i++)
			fprintf(fp, " %s %.3f", st.phases[i].name, st.phases[i].seconds);
		fputc('\n', fp);
	}
	fprintf(fp, "timing: total %.3f\n", itr_clock() - st.start);
}
