/*
 * Risk diagrams and model exports (`itorisk graph`): Graphviz DOT, GraphML and
 * an Open-PSA MEF fault tree. Like the reporters, each renders into a buffer
 * that the command line writes out atomically; none of them sees igraph.
 *
 * The DOT and GraphML writers share a "diagram": which nodes are shown
 * (focus, depth, collapsing), how risky each is and which links carry a
 * single point of failure to the service it stops. It is computed from the
 * audit (essential sets, impacts, findings) and from failure propagation
 * (failnet.h), never from vertex numbers.
 *
 * Ownership: everything an itr_diagram holds is its own, released with
 * itr_diagram_release(); the audit and model it points to are borrowed.
 */
#ifndef ITORISK_EXPORT_H
#define ITORISK_EXPORT_H

#include "itorisk/audit.h"

typedef enum itr_cluster_by { ITR_CLUSTER_GROUP, ITR_CLUSTER_COUNTRY, ITR_CLUSTER_NONE } itr_cluster_by;

typedef struct itr_graph_opts {
	itr_cluster_by cluster; /* DOT: how vendors are grouped into boxes */
	size_t focus;           /* element number, or ITR_NONE for the whole portfolio */
	long depth;             /* with focus: links followed from it; negative = no limit */
	bool all;               /* DOT: show every element, collapse nothing */
	bool all_events;        /* Open-PSA: every element is a basic event (q = 0 without an SLA) */
	const char *title;      /* optional subtitle (e.g. the as-of date); borrowed */
} itr_graph_opts;

/* Defaults: cluster by group, no focus, no depth limit, collapse, SLA events only. */
void itr_graph_opts_init(itr_graph_opts *o);

/* Kinds of link, dependent -> dependency. */
typedef enum itr_link_kind {
	ITR_LINK_PROVIDER, /* service -> vendor */
	ITR_LINK_NEEDS,    /* service -> service */
	ITR_LINK_ANY,      /* service -> its needs-any gate */
	ITR_LINK_OPTION,   /* gate -> option */
	ITR_LINK_RELIES,   /* vendor -> vendor */
	ITR_LINK_PARENT    /* vendor -> parent vendor */
} itr_link_kind;

const char *itr_link_kind_name(itr_link_kind k);

/* A link between diagram nodes: element numbers 0..nelems-1, then needs-any
 * gates nelems + g (g as numbered by failnet.h). */
typedef struct itr_dlink {
	size_t from, to;
	itr_link_kind kind;
} itr_dlink;

/* How a node is coloured. */
typedef enum itr_risk {
	ITR_RISK_NONE,
	ITR_RISK_FINDING,        /* subject of a finding (other than being a SPOF) */
	ITR_RISK_SPOF_IMPORTANT, /* essential to an important service only */
	ITR_RISK_SPOF_CRITICAL,  /* essential to a critical service (or to the focused one) */
	ITR_RISK_DOWN,           /* blast radius: goes down when the focused element fails */
	ITR_RISK_SURVIVES,       /* blast radius: depends on it but stays up */
	ITR_RISK_FOCUS           /* the focused element itself */
} itr_risk;

typedef struct itr_diagram {
	const itr_audit *audit;   /* borrowed */
	const itr_graph_opts *opts; /* borrowed */
	size_t nelems, ngroups, nnodes;
	itr_dlink *links;         /* every link of the model, ordered by (from, kind, to) */
	size_t nlinks;
	bool *spof_link;          /* [link]: carries a single point of failure to a service it stops */
	bool *shown;              /* [node] */
	bool *shown_link;         /* [link]: both ends shown */
	itr_risk *risk;           /* [node] */
	size_t *hidden_services;  /* [element]: for a vendor, services it provides that are not shown */
	itr_idlist hidden;        /* elements left out by collapsing (not by focus) */
	itr_idlist cannot_fail;   /* of those, in-house services with no dependency at all */
	itr_idlist *defeaters;    /* [group]: borrowed from the audit (or the focused computation) */
	itr_idlist *focus_essential; /* [1]: essential(focus) when a service is focused, else NULL */
	bool *fourth_party;       /* [element]: a vendor with no contract, reached through relies-on */
	size_t *group_root;       /* [element]: a vendor's top parent (itself when none) */
	size_t *group_size;       /* [element]: vendors under a top parent */
	size_t *findings;         /* [element]: findings whose subject it is, other than spof.* */
	int *max_severity;        /* [element]: highest of those, or -1 */
	size_t *comp;             /* [element]: strongly connected component of the dependencies */
} itr_diagram;

/*
 * Work out the diagram of an audit: links, what is shown, colours, SPOF
 * links. O(N (N + L)) in the worst case (one failure propagation per single
 * point of failure), like the audit itself. Cannot fail.
 */
/* Strongly connected components of the dependency links (provider, needs,
 * options, relies-on, parent): comp[e] numbers e's component (m->nelems
 * entries). Tarjan, iterative, O(N + L). Cannot fail. */
void itr_components(size_t *comp, const itr_model *m);

void itr_diagram_build(itr_diagram *d, const itr_audit *a, const itr_graph_opts *o);
void itr_diagram_release(itr_diagram *d);

/* The Graphviz DOT risk diagram. */
void itr_report_dot(itr_buf *out, const itr_audit *a, const itr_graph_opts *o);

/* GraphML with every attribute of every element (focus and depth honoured, no collapsing). */
void itr_report_graphml(itr_buf *out, const itr_audit *a, const itr_graph_opts *o);

/*
 * The model as an Open-PSA MEF fault tree, for SCRAM or another engine: one
 * top event `top_<id>` per critical service (or only the focused service),
 * whose minimal cut sets and probability are those of SPEC §2 and §3.
 * Returns 0, or -1 with *err (the caller's, free()) saying why when the tree
 * would exceed ITR_OPSA_MAX_GATES gates (dependency cycles are unrolled by
 * path; see export_openpsa.c).
 */
#define ITR_OPSA_MAX_GATES 200000
int itr_export_openpsa(itr_buf *out, const itr_audit *a, const itr_graph_opts *o, char **err);

/* Open-PSA names cannot hold '.', so ids are encoded: letters, digits and
 * single inner '-' stay, '_' becomes "__", any other byte "_HH" (hex).
 * Injective. Appends prefix, then the encoded id. */
void itr_opsa_name(itr_buf *b, const char *prefix, const char *id);



#endif
