#define _XOPEN_SOURCE 700
#define _GNU_SOURCE /* open_memstream */
#include "helpers.h"

#include "gen.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *t_portfolio(const char *body)
{
	itr_buf b = ITR_BUF_INIT;

	itr_buf_printf(&b, "<portfolio xmlns=\"urn:itorisk:portfolio:1\">\n%s\n</portfolio>\n", body);
	return itr_buf_detach(&b);
}

itr_model *t_load_string(const char *xml, itr_diags *diags)
{
	itr_source src = {"mem.xml", xml, strlen(xml)};
	itr_model *m = NULL;

	if (itr_load(&m, &src, 1, NULL, diags) != 0)
		return NULL;
	return m;
}

itr_model *t_load_ok(const char *body)
{
	char *xml = t_portfolio(body);
	itr_diags d;
	itr_model *m;

	itr_diags_init(&d);
	m = t_load_string(xml, &d);
	if (!m) {
		char *all = t_all_diags(&d);

		cr_log_error("load failed:\n%s", all);
		free(all);
	}
	cr_assert_not_null(m, "portfolio should load");
	itr_diags_release(&d);
	free(xml);
	return m;
}

itr_model *t_load_paths(const char *const *paths, size_t n, itr_diags *diags)
{
	itr_source *src = itr_xcalloc(n, sizeof(*src));
	itr_model *m = NULL;

	for (size_t i = 0; i < n; i++)
		src[i].path = paths[i];
	if (itr_load(&m, src, n, NULL, diags) != 0)
		m = NULL;
	free(src);
	return m;
}

char *t_ids(const itr_model *m, const itr_idlist *l)
{
	itr_buf b = ITR_BUF_INIT;

	for (size_t i = 0; i < l->n; i++)
		itr_buf_printf(&b, "%s%s", i ? " " : "", itr_model_elem_id(m, l->v[i]));
	return itr_buf_detach(&b);
}

char *t_essential(const itr_model *m, const itr_spof *s, const char *service)
{
	size_t e = itr_model_find(m, service);

	cr_assert_neq(e, ITR_NONE, "no element '%s'", service);
	return t_ids(m, &s->essential[e]);
}

char *t_down_after(const itr_model *m, const char *failed)
{
	itr_failnet net;
	itr_failstate st;
	itr_idlist f = {0}, down = {0};
	char *copy = itr_xstrdup(failed), *save = NULL, *out;

	for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		size_t e = itr_model_find(m, tok);

		cr_assert_neq(e, ITR_NONE, "no element '%s'", tok);
		itr_idlist_push(&f, e);
	}
	itr_failnet_build(&net, m);
	itr_failstate_init(&st, &net);
	itr_fail(&st, &net, f.v, f.n);
	for (size_t i = 0; i < st.nlist; i++)
		itr_idlist_push(&down, st.list[i]);
	itr_idlist_sort(&down);
	out = t_ids(m, &down);
	itr_idlist_release(&down);
	itr_idlist_release(&f);
	itr_failstate_release(&st);
	itr_failnet_release(&net);
	free(copy);
	return out;
}

char *t_first_diag(const itr_diags *d)
{
	itr_buf b = ITR_BUF_INIT;

	if (d->n)
		itr_buf_printf(&b, "%s:%ld: %s", d->v[0].file, d->v[0].line, d->v[0].message);
	return itr_buf_detach(&b);
}

bool t_has_diag(const itr_diags *d, long line, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].line == line && strstr(d->v[i].message, needle))
			return true;
	return false;
}

char *t_all_diags(const itr_diags *d)
{
	itr_buf b = ITR_BUF_INIT;

	for (size_t i = 0; i < d->n; i++)
		itr_buf_printf(&b, "%s:%ld:%ld: %s\n", d->v[i].file, d->v[i].line, d->v[i].col,
			       d->v[i].message);
	return itr_buf_detach(&b);
}

char *t_tmpdir(void)
{
	char *dir = itr_xstrdup("/tmp/itorisk-test-XXXXXX");

	cr_assert_not_null(mkdtemp(dir), "mkdtemp");
	return dir;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

void t_rmtree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *t_dir;

void t_dir_setup(void)
{
	t_dir = t_tmpdir();
}

void t_dir_teardown(void)
{
	t_rmtree(t_dir);
	free(t_dir);
	t_dir = NULL;
}

char *t_write(const char *dir, const char *name, const char *content, size_t len)
{
	itr_buf p = ITR_BUF_INIT;
	FILE *f;

	itr_buf_printf(&p, "%s/%s", dir, name);
	f = fopen(p.s, "wb");
	cr_assert_not_null(f, "cannot write %s", p.s);
	cr_assert_eq(fwrite(content, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
	return itr_buf_detach(&p);
}

char *t_write_str(const char *dir, const char *name, const char *content)
{
	return t_write(dir, name, content, strlen(content));
}

char *t_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	itr_buf b = ITR_BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		itr_buf_add(&b, chunk, n);
	fclose(f);
	return itr_buf_detach(&b);
}

static bool rule_puts_down(const itr_model *m, size_t e, const unsigned char *down)
{
	const itr_vendor *v = itr_model_elem_vendor(m, e);
	const itr_service *s = itr_model_elem_service(m, e);

	if (v) {
		if (v->parent.target != ITR_NONE && down[v->parent.target])
			return true;
		for (size_t k = 0; k < v->nrelies; k++)
			if (down[v->relies_on[k].target])
				return true;
		return false;
	}
	if (s->provider.target != ITR_NONE && down[s->provider.target])
		return true;
	for (size_t k = 0; k < s->nneeds; k++)
		if (down[s->needs[k].target])
			return true;
	for (size_t g = 0; g < s->ngroups; g++) {
		size_t up = 0;

		for (size_t k = 0; k < s->groups[g].nopts; k++)
			up += !down[s->groups[g].options[k].target];
		if (up < s->groups[g].min)
			return true;
	}
	return false;
}

void t_naive_down(const itr_model *m, unsigned char *down)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (size_t e = 0; e < m->nelems; e++) {
			if (!down[e] && rule_puts_down(m, e, down)) {
				down[e] = 1;
				changed = true;
			}
		}
	}
}

t_docs t_gen_docs(const itr_gen_params *p, bool backwards)
{
	itr_gen *g;
	t_docs d;

	cr_assert_eq(itr_gen_new(&g, p), 0, "generator");
	d.n = itr_gen_file_count(g);
	d.text = itr_xcalloc(d.n, sizeof(char *));
	d.len = itr_xcalloc(d.n, sizeof(size_t));
	d.name = itr_xcalloc(d.n, sizeof(char *));
	for (size_t k = 0; k < d.n; k++) {
		size_t i = backwards ? d.n - 1 - k : k;
		char name[64];
		FILE *f = open_memstream(&d.text[i], &d.len[i]);

		cr_assert_not_null(f);
		cr_assert_eq(itr_gen_write_file(g, i, f), 0);
		cr_assert_eq(fclose(f), 0);
		cr_assert_eq(itr_gen_file_name(name, sizeof(name), g, i), 0);
		d.name[i] = itr_xstrdup(name);
	}
	itr_gen_free(g);
	return d;
}

void t_docs_free(t_docs *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->text[i]);
		free(d->name[i]);
	}
	free(d->text);
	free(d->len);
	free(d->name);
}

itr_model *t_random_model(const itr_gen_params *p)
{
	t_docs docs = t_gen_docs(p, false);
	itr_model *m = NULL;
	itr_diags d;
	itr_source *src = itr_xcalloc(docs.n + 1, sizeof(*src));

	for (size_t i = 0; i < docs.n; i++)
		src[i] = (itr_source){docs.name[i], docs.text[i], docs.len[i]};
	itr_diags_init(&d);
	if (itr_load(&m, src, docs.n, NULL, &d) != 0) {
		char *all = t_all_diags(&d);

		cr_log_error("generated portfolio does not load:\n%s", all);
		free(all);
		m = NULL;
	}
	cr_assert_not_null(m, "seed %lu", p->seed);
	itr_diags_release(&d);
	t_docs_free(&docs);
	free(src);
	return m;
}

itr_model *t_load_sample(const char *name)
{
	char path[512];
	const char *paths[] = {path};
	itr_diags d;
	itr_model *m;

	snprintf(path, sizeof(path), "%s/samples/%s", ITR_SOURCE_DIR, name);
	itr_diags_init(&d);
	m = t_load_paths(paths, 1, &d);
	if (!m) {
		char *all = t_all_diags(&d);

		cr_log_error("%s", all);
		free(all);
	}
	cr_assert_not_null(m, "sample '%s' should load", name);
	itr_diags_release(&d);
	return m;
}

char *t_sample_findings(const char *name, bool (*keep)(const char *rule))
{
	itr_model *m = t_load_sample(name);
	itr_buf b = ITR_BUF_INIT;
	itr_audit a;

	cr_assert_eq(itr_audit_run(&a, m, m->as_of), 0);
	for (size_t i = 0; i < a.nfindings; i++) {
		const itr_finding *f = &a.findings[i];
		const char *base = strrchr(f->loc.file, '/');

		if (!keep(f->rule))
			continue;
		itr_buf_printf(&b, "%s %s %s %s:%ld\n", f->rule, itr_severity_name(f->severity),
			       f->subject, base ? base + 1 : f->loc.file, f->loc.line);
	}
	itr_audit_release(&a);
	itr_model_free(m);
	return itr_buf_detach(&b);
}
