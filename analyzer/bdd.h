/*
 * A small reduced ordered binary decision diagram package, enough for exact
 * probabilities of monotone structure functions (availability.c). Nodes are
 * numbered; 0 is false and 1 is true. Variables are levels: smaller first.
 * Internal to the analyses.
 */
#ifndef ITORISK_BDD_H
#define ITORISK_BDD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t itr_bdd_ref;

#define ITR_BDD_FALSE ((itr_bdd_ref)0)
#define ITR_BDD_TRUE ((itr_bdd_ref)1)

typedef struct itr_bdd_node {
	uint32_t var;
	itr_bdd_ref lo, hi; /* the function when var is false / true */
} itr_bdd_node;

typedef struct itr_bdd {
	itr_bdd_node *node;
	size_t n, cap, max_nodes;
	uint32_t *table;   /* unique table: open addressing, node numbers (0 = empty) */
	size_t table_size; /* a power of two */
	struct itr_bdd_cache *cache;
	size_t cache_size; /* a power of two */
	bool overflow;     /* max_nodes reached: results are meaningless */
} itr_bdd;

/* max_nodes bounds memory (about 40 bytes a node with the tables). */
void itr_bdd_init(itr_bdd *b, size_t max_nodes);
void itr_bdd_release(itr_bdd *b);

itr_bdd_ref itr_bdd_var(itr_bdd *b, uint32_t var);         /* the variable itself */
itr_bdd_ref itr_bdd_ite(itr_bdd *b, itr_bdd_ref f, itr_bdd_ref g, itr_bdd_ref h);
itr_bdd_ref itr_bdd_and(itr_bdd *b, itr_bdd_ref f, itr_bdd_ref g);
itr_bdd_ref itr_bdd_or(itr_bdd *b, itr_bdd_ref f, itr_bdd_ref g);
/* True when at least k of the n functions are: O(n k) operations. */
itr_bdd_ref itr_bdd_atleast(itr_bdd *b, const itr_bdd_ref *f, size_t n, size_t k);

/* Probability that f is true when variable v is true with probability p[v],
 * independently. O(size of f). memo must have b->n entries (scratch). */
double itr_bdd_probability(const itr_bdd *b, itr_bdd_ref f, const double *p, double *memo,
			   unsigned char *done);

#endif
