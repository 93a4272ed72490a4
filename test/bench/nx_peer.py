#!/usr/bin/python3
"""NetworkX peer of itorisk's core analyses, for the performance comparison.

    /usr/bin/python3 test/bench/nx_peer.py [--essential-json FILE] [--report-json FILE] DIR

What a competent user would write with Python 3 and NetworkX (Debian's
python3-networkx 2.8.8) to answer the same questions as `itorisk audit`:

  (a) functional SPOFs by failure injection, with the failure semantics of
      SPEC section 2: every element X (service or vendor) is failed alone, the
      failure is propagated to the least fixed point, and X is recorded as
      essential to every critical or important service S != X that went down;
  (b) articulation points and bridges of the undirected simple graph of SPEC
      section 3;
  (c) exact betweenness centrality over the dependency digraph;
  (d) PageRank personalised by criticality (critical 1, important 0.5, others 0;
      the weights itorisk uses).

Plain Python on purpose: no C extensions, no clever algorithms, but sets and
dicts where a lookup is needed. The wall time of each part goes to stderr.

--essential-json FILE writes {service id: sorted essential list} for every
critical and important service, comparable with the `services[].id` and
`services[].essential` of `itorisk audit DIR --format json`.
--report-json FILE writes that and the other results (articulation points,
bridges, betweenness and PageRank of every element) for ad-hoc comparisons.

Exit status: 0 done, 2 bad usage or unreadable input.
"""

import argparse
import importlib.util
import json
import os
import sys
import time
import xml.etree.ElementTree as ET

import networkx as nx

NS = "{urn:itorisk:portfolio:1}"
WEIGHT = {"critical": 1.0, "important": 0.5}


def portfolio_files(path):
    """Every *.xml under path (recursively), in sorted path order, as itorisk reads them."""
    if os.path.isfile(path):
        return [path]
    found = []
    for top, dirs, names in os.walk(path):
        dirs.sort()
        found.extend(os.path.join(top, n) for n in names if n.endswith(".xml"))
    return sorted(found)


def load(paths):
    """Read the portfolio: services and vendors as dicts keyed by id."""
    services, vendors = {}, {}
    for path in paths:
        root = ET.parse(path).getroot()
        for el in root:
            if el.tag == NS + "service":
                needs, groups = [], []
                for child in el:
                    if child.tag == NS + "needs":
                        needs.append(child.get("ref"))
                    elif child.tag == NS + "needs-any":
                        options = [o.get("ref") for o in child if o.tag == NS + "option"]
                        groups.append((int(child.get("min")), options))
                services[el.get("id")] = {
                    "criticality": el.get("criticality", "standard"),
                    "provider": el.get("provider"),
                    "needs": needs,
                    "groups": groups,
                }
            elif el.tag == NS + "vendor":
                vendors[el.get("id")] = {
                    "parent": el.get("parent"),
                    "relies_on": [r.get("ref") for r in el if r.tag == NS + "relies-on"],
                }
    return services, vendors


def build_graph(services, vendors):
    """The dependency digraph, dependent -> dependency.

    Edge attributes say how a failure of the dependency reaches the dependent:
    hard=True for needs, provider, relies-on and parent (one is enough), and
    groups = the needs-any groups (indices into the returned list, once per
    option) that lose an option. Each group is (service, min, option count).
    """
    g = nx.DiGraph()
    groups = []

    def link(u, v, group=None):
        if not g.has_edge(u, v):
            g.add_edge(u, v, hard=False, groups=[])
        if group is None:
            g[u][v]["hard"] = True
        else:
            g[u][v]["groups"].append(group)

    g.add_nodes_from(services, kind="service")
    g.add_nodes_from(vendors, kind="vendor")
    for sid, s in services.items():
        if s["provider"]:
            link(sid, s["provider"])
        for t in s["needs"]:
            link(sid, t)
        for need, options in s["groups"]:
            gid = len(groups)
            groups.append((sid, need, len(options)))
            for t in options:
                link(sid, t, gid)
    for vid, v in vendors.items():
        if v["parent"]:
            link(vid, v["parent"])
        for t in v["relies_on"]:
            link(vid, t)
    return g, groups


def down_after(g, groups, x):
    """The elements down when x alone fails (SPEC section 2, least fixed point).

    Forward propagation from x: an element goes down as soon as one hard
    dependency is down, or a needs-any group of it has fewer than min options
    up. Starting from the failed set and adding only what the rules force
    gives the least fixed point, so a cycle nothing failed in stays up.
    """
    down = {x}
    lost = {}
    todo = [x]
    while todo:
        y = todo.pop()
        for d, e in g.pred[y].items():
            if d in down:
                continue
            fails = e["hard"]
            for gid in e["groups"]:
                lost[gid] = lost.get(gid, 0) + 1
                _, need, count = groups[gid]
                if count - lost[gid] < need:
                    fails = True
            if fails:
                down.add(d)
                todo.append(d)
    return down


def essential_sets(g, groups, services):
    """essential(S) for every critical and important service S, by failure injection."""
    watched = {sid for sid, s in services.items() if s["criticality"] in WEIGHT}
    essential = {sid: [] for sid in watched}
    for x in g.nodes:
        for s in down_after(g, groups, x):
            if s != x and s in watched:
                essential[s].append(x)
    return {sid: sorted(xs) for sid, xs in essential.items()}


def structural(g):
    """Articulation points and bridges of the undirected simple graph (SPEC section 3)."""
    u = nx.Graph(g)
    u.remove_edges_from(list(nx.selfloop_edges(u)))
    points = sorted(nx.articulation_points(u))
    bridges = sorted(sorted(b) for b in nx.bridges(u))
    return points, bridges


def personalised_pagerank(g, services):
    """PageRank with restarts weighted by criticality, and which implementation ran.

    networkx.pagerank needs SciPy (Debian: python3-scipy, a Recommends of
    python3-networkx); without it, NetworkX's own pure-Python power iteration
    computes the same vector.
    """
    weights = {sid: WEIGHT.get(s["criticality"], 0.0) for sid, s in services.items()}
    personalization = weights if any(weights.values()) else None
    if importlib.util.find_spec("scipy") is None:
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(g, alpha=0.85, personalization=personalization), "python"
    return nx.pagerank(g, alpha=0.85, personalization=personalization), "scipy"


def main():
    ap = argparse.ArgumentParser(description="NetworkX peer of itorisk's core analyses")
    ap.add_argument("path", metavar="DIR", help="portfolio file or directory of *.xml files")
    ap.add_argument("--essential-json", metavar="FILE", help="write {service: essential list}")
    ap.add_argument("--report-json", metavar="FILE", help="write every result")
    args = ap.parse_args()

    times = []
    start = t = time.perf_counter()

    def lap(part):
        nonlocal t
        now = time.perf_counter()
        times.append((part, now - t))
        t = now

    paths = portfolio_files(args.path)
    if not paths:
        print(f"nx_peer: no *.xml under '{args.path}'", file=sys.stderr)
        return 2
    try:
        services, vendors = load(paths)
    except (OSError, ET.ParseError) as err:
        print(f"nx_peer: {err}", file=sys.stderr)
        return 2
    lap("parse")
    g, groups = build_graph(services, vendors)
    lap("graph")
    essential = essential_sets(g, groups, services)
    lap("essential")
    points, bridges = structural(g)
    lap("structure")
    betweenness = nx.betweenness_centrality(g)
    lap("betweenness")
    pagerank, variant = personalised_pagerank(g, services)
    lap("pagerank")

    if args.essential_json:
        with open(args.essential_json, "w", encoding="utf-8") as f:
            json.dump(essential, f, ensure_ascii=False, sort_keys=True, indent=1)
    if args.report_json:
        with open(args.report_json, "w", encoding="utf-8") as f:
            json.dump({"essential": essential, "articulation_points": points,
                       "bridges": bridges, "betweenness": betweenness, "pagerank": pagerank},
                      f, ensure_ascii=False, sort_keys=True, indent=1)
    lap("write")
    times.append(("total", time.perf_counter() - start))

    print(f"nx_peer: {len(services)} services, {len(vendors)} vendors, "
          f"{g.number_of_edges()} edges, {len(paths)} files, networkx {nx.__version__}, "
          f"pagerank {variant}",
          file=sys.stderr)
    for part, seconds in times:
        print(f"timing: {part} {seconds:.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
