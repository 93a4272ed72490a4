#include "cli.h"

#include "itorisk/gate.h"
#include "itorisk/progress.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int itr_cli_error(const char *fmt, ...)
{
	va_list ap;

	itr_progress_clear();
	fputs("itorisk: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return ITR_EXIT_ERROR;
}

void itr_cli_instrument(bool timings, bool quiet)
{
	itr_instrument_start(timings, !quiet && isatty(STDERR_FILENO));
}

void itr_cli_usage(const itr_cmd_info *cmd, FILE *fp)
{
	fprintf(fp, "usage: itorisk %s %s\n\n%s\n\noptions:\n", cmd->name, cmd->usage, cmd->summary);
	for (size_t i = 0; i < cmd->nopts; i++) {
		const itr_opt *o = &cmd->opts[i];
		char left[64];

		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		fprintf(fp, "  %-26s %s\n", left, o->help);
	}
	fprintf(fp, "  %-26s %s\n", "-h, --help", "show this help and exit");
}

static const itr_opt *find_long(const itr_cmd_info *cmd, const char *name, size_t len)
{
	for (size_t i = 0; i < cmd->nopts; i++)
		if (strlen(cmd->opts[i].name) == len && strncmp(cmd->opts[i].name, name, len) == 0)
			return &cmd->opts[i];
	return NULL;
}

static const itr_opt *find_short(const itr_cmd_info *cmd, char c)
{
	for (size_t i = 0; i < cmd->nopts; i++)
		if (cmd->opts[i].short_name == c)
			return &cmd->opts[i];
	return NULL;
}

int itr_cli_parse(const itr_cmd_info *cmd, int argc, char **argv, char ***pos, size_t *npos)
{
	bool only_paths = false;

	*pos = itr_xcalloc((size_t)argc + 1, sizeof(**pos));
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const itr_opt *o = NULL;

		if (only_paths || a[0] != '-' || strcmp(a, "-") == 0) {
			(*pos)[(*npos)++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_paths = true;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			itr_cli_usage(cmd, stdout);
			return 1;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');

			o = find_long(cmd, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
			if (eq)
				val = eq + 1;
		} else if (a[2] == '\0') {
			o = find_short(cmd, a[1]);
		} else if ((o = find_short(cmd, a[1])) != NULL && o->arg) {
			val = a + 2; /* -oFILE */
		} else {
			o = NULL;
		}
		if (!o) {
			itr_cli_error("unknown option '%s' for 'itorisk %s' (see --help)", a, cmd->name);
			return -1;
		}
		if (!o->arg) {
			if (val) {
				itr_cli_error("option '--%s' takes no value", o->name);
				return -1;
			}
			*o->flag = true;
			continue;
		}
		if (!val) {
			if (i + 1 >= argc) {
				itr_cli_error("option '--%s' needs a value (%s)", o->name, o->arg);
				return -1;
			}
			val = argv[++i];
		}
		*o->value = val;
	}
	return 0;
}

int itr_cli_load(itr_model **out, char **paths, size_t npaths)
{
	itr_source *src = itr_xcalloc(npaths, sizeof(*src));
	itr_diags diags;
	int ret;

	for (size_t i = 0; i < npaths; i++)
		src[i].path = paths[i];
	itr_diags_init(&diags);
	ret = itr_load(out, src, npaths, NULL, &diags);
	if (ret != 0) {
		itr_progress_clear();
		itr_diags_sort(&diags);
		itr_diags_print(&diags, stderr);
		fprintf(stderr, "itorisk: %zu error%s; nothing was analysed\n",
			itr_diags_count(&diags), itr_diags_count(&diags) == 1 ? "" : "s");
	}
	itr_diags_release(&diags);
	free(src);
	return ret;
}

int itr_cli_risk_model(itr_riskmodel **out, const char *path)
{
	itr_diags diags;
	int ret;

	itr_diags_init(&diags);
	ret = itr_riskmodel_load(out, path, &diags);
	if (ret != 0) {
		itr_diags_sort(&diags);
		itr_diags_print(&diags, stderr);
		fprintf(stderr, "itorisk: bad risk model '%s'; nothing was analysed\n", path);
	}
	itr_diags_release(&diags);
	return ret;
}

int itr_cli_baseline(itr_baseline *out, const char *path, const char *what)
{
	itr_diags diags;
	int ret;

	itr_diags_init(&diags);
	ret = itr_baseline_load(out, path, &diags);
	if (ret != 0) {
		itr_diags_sort(&diags);
		itr_diags_print(&diags, stderr);
		fprintf(stderr, "itorisk: bad baseline '%s'; nothing was %s\n", path, what);
	}
	itr_diags_release(&diags);
	return ret;
}

int itr_cli_order(const char *text, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || end == text || v < 1 || v > 4)
		return itr_cli_error("bad --order '%s' (1 to 4)", text), -1;
	*out = (unsigned)v;
	return 0;
}

int itr_cli_as_of(const char *opt, const itr_model *m, itr_date *out)
{
	time_t now;

	if (opt)
		return itr_date_parse(opt, out);
	if (m->as_of != ITR_DATE_NONE) {
		*out = m->as_of;
		return 0;
	}
	now = time(NULL);
	if (now == (time_t)-1)
		return -1;
	*out = (itr_date)(now / 86400); /* itr_date counts days since 1970-01-01, UTC */
	return 0;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

static int write_parts(int fd, const itr_buf *const *parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (write_all(fd, itr_buf_str(parts[i]), parts[i]->len) != 0)
			return -1;
	return 0;
}

static int write_atomic(const char *path, const itr_buf *const *parts, size_t n)
{
	itr_buf tmp = ITR_BUF_INIT;
	int fd, saved;
	mode_t mask;

	itr_buf_printf(&tmp, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp.s);
	if (fd < 0) {
		itr_cli_error("cannot write '%s': %s", path, strerror(errno));
		itr_buf_release(&tmp);
		return -1;
	}
	if (write_parts(fd, parts, n) != 0 || fsync(fd) != 0) {
		saved = errno;
		close(fd);
		unlink(tmp.s);
		itr_cli_error("cannot write '%s': %s", path, strerror(saved));
		itr_buf_release(&tmp);
		return -1;
	}
	/* mkstemp creates 0600; give the report the mode a plain open() would */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0) {
		/* keep 0600: harmless */
	}
	if (close(fd) != 0 || rename(tmp.s, path) != 0) {
		saved = errno;
		unlink(tmp.s);
		itr_cli_error("cannot write '%s': %s", path, strerror(saved));
		itr_buf_release(&tmp);
		return -1;
	}
	itr_buf_release(&tmp);
	return 0;
}

int itr_cli_write(const char *path, const itr_buf *report)
{
	return itr_cli_write_parts(path, &report, 1);
}

int itr_cli_write_parts(const char *path, const itr_buf *const *parts, size_t n)
{
	struct stat st;
	int fd;

	itr_progress_clear();
	if (!path || strcmp(path, "-") == 0) {
		for (size_t i = 0; i < n; i++)
			if (fwrite(itr_buf_str(parts[i]), 1, parts[i]->len, stdout) != parts[i]->len)
				return itr_cli_error("cannot write the report: %s", strerror(errno)), -1;
		if (fflush(stdout) != 0)
			return itr_cli_error("cannot write the report: %s", strerror(errno)), -1;
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a device or a pipe: nothing to replace atomically */
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0 || write_parts(fd, parts, n) != 0) {
			int saved = errno;

			if (fd >= 0)
				close(fd);
			return itr_cli_error("cannot write '%s': %s", path, strerror(saved)), -1;
		}
		if (close(fd) != 0)
			return itr_cli_error("cannot write '%s': %s", path, strerror(errno)), -1;
		return 0;
	}
	return write_atomic(path, parts, n);
}
