#!/usr/bin/env python3
"""Rebuild the seed corpus under test/fuzz/corpus/ from the samples and fixtures.

Usage: test/fuzz/make-corpus.py ITORISK_BINARY   (from the repository root)

Small inputs only (the juice-shop SBOM is left out): the corpus is committed.
The binary writes the baselines (itorisk audit SAMPLE --write-baseline).
fuzz_multifile splits its input on SEP, into at most 4 documents.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SEP = b"\n--8<--\n"
NS = "urn:itorisk:portfolio:1"
OUT = "test/fuzz/corpus"
SAMPLES = ["samples/bank", "samples/hospital", "samples/retailer",
           "samples/pr-scenario/base", "samples/pr-scenario/head"]
IMPORT = "test/fixtures/import"


def files(d):
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".xml"))


def read(p):
    with open(p, "rb") as f:
        return f.read()


def merge(paths):
    """Portfolio files as one document: portfolio attributes of any, all children."""
    ET.register_namespace("", NS)
    root = ET.Element("{%s}portfolio" % NS)
    for p in paths:
        r = ET.parse(p).getroot()
        for k, v in r.attrib.items():
            root.set(k, v)
        root.extend(list(r))
    ET.indent(root, "  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root) + b"\n"


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def slug(p):
    return re.sub(r"[^A-Za-z0-9.-]+", "_", p)


def main():
    binary = sys.argv[1]
    shutil.rmtree(OUT, ignore_errors=True)
    bad = files("test/fixtures/bad") + files("test/fixtures/graph")

    # fuzz_portfolio: each sample whole, each sample file alone, every bad input.
    for s in SAMPLES:
        put("fuzz_portfolio", slug(s) + ".xml", merge(files(s)))
        for p in files(s):
            put("fuzz_portfolio", slug(p), read(p))
    for p in bad + [IMPORT + "/saasbom-equivalent/portfolio.xml"]:
        put("fuzz_portfolio", slug(p), read(p))
    # dates at the ends of what the schema accepts
    b = merge(files("samples/bank")).decode()
    put("fuzz_portfolio", "bank-year-9999.xml",
        b.replace('as-of="2026-11-01"', 'as-of="9999-12-31"', 1).encode())
    put("fuzz_portfolio", "bank-year-0001.xml",
        b.replace('as-of="2026-11-01"', 'as-of="0001-01-01"', 1).encode())

    # fuzz_multifile: each sample in 2-4 documents; an SBOM with its mapping
    # and overrides; a bad file among good ones.
    for s in SAMPLES:
        fs = files(s)
        k = min(4, len(fs))
        groups = [fs[i::k] for i in range(k)]
        put("fuzz_multifile", slug(s), SEP.join(merge(g) for g in groups))
    mapping = (b'<mapping xmlns="urn:itorisk:mapping:1">\n'
               b'  <vendor-alias name="Acme Inc" vendor="acme"/>\n'
               b'  <property name="Business Criticality" attribute="criticality"/>\n'
               b'  <criticality value="High" as="critical"/>\n'
               b'  <classification name="Customer" as="confidential" personal="true"/>\n'
               b'  <trust-zone name="Acme Private Zone" country="DE"/>\n'
               b'  <element-type name="BusinessService" as="service"/>\n'
               b'</mapping>\n')
    saas = read(IMPORT + "/cyclonedx-1.6_saasbom_spec-test.xml")
    override = read(IMPORT + "/saasbom-override/override.xml")
    put("fuzz_multifile", "saasbom+override", SEP.join([saas, override]))
    put("fuzz_multifile", "saasbom+override+mapping", SEP.join([saas, override, mapping]))
    put("fuzz_multifile", "hand-cdx+hand-archimate+mapping",
        SEP.join([read(IMPORT + "/hand-cyclonedx.xml"), read(IMPORT + "/hand-archimate.xml"),
                  mapping]))
    bank = files("samples/bank")
    put("fuzz_multifile", "bank+bad", SEP.join([merge(bank), read("test/fixtures/bad/int-unknown-ref.xml")]))

    # fuzz_riskmodel: the default model and small variants.
    put("fuzz_riskmodel", "default-risk-model.xml", read("models/default-risk-model.xml"))
    rm = '<risk-model xmlns="urn:itorisk:risk-model:1" version="1">\n%s</risk-model>\n'
    variants = {
        "certs.xml": '  <required-certifications>ISO27001 SOC2</required-certifications>\n'
                     '  <rule id="data.certification" severity="critical"/>\n',
        "empty.xml": "",
        "rules.xml": '  <rule id="spof.vendor" severity="low"/>\n'
                     '  <rule id="lockin" severity="critical"/>\n',
        "extremes.xml": '  <continuity horizon-days="36500" exit-test-max-age-days="0" end-cluster-min="1"/>\n'
                        '  <concentration hhi-moderate="0" hhi-high="1" max-vendor-share="0"'
                        ' max-group-share="1" max-country-share="0"/>\n'
                        '  <cut-sets order="4" max-per-service="99999999999999999999"/>\n'
                        '  <weights impact="0" concentration="0" continuity="0" security="100"/>\n',
    }
    for name, body in variants.items():
        put("fuzz_riskmodel", name, (rm % body).encode())

    # fuzz_baseline: baselines the binary writes for each sample.
    with tempfile.TemporaryDirectory() as tmp:
        for s in SAMPLES:
            out = os.path.join(tmp, "b.xml")
            subprocess.run([binary, "audit", s, "-o", "/dev/null", "--write-baseline", out],
                           check=True)
            put("fuzz_baseline", slug(s) + ".xml", read(out))
            if s == "samples/bank":
                # reasons, expiry dates (one past, one future), no fingerprint
                b = read(out).decode()
                b = b.replace('severity="medium"/>', 'severity="medium" reason="accepted" expires="2026-01-01"/>', 1)
                b = b.replace('severity="high"/>', 'reason="until the exit" expires="2099-12-31"/>', 1)
                b = re.sub(r' fingerprint="[0-9a-f]+"', "", b, count=2)
                put("fuzz_baseline", "bank-reasons.xml", b.encode())

    # fuzz_cyclonedx, fuzz_archimate: the importer fixtures that are small.
    for p in files(IMPORT):
        if os.path.getsize(p) > 256 << 10:
            continue
        name = os.path.basename(p)
        target = "fuzz_archimate" if "archimate" in name else "fuzz_cyclonedx"
        put(target, name, read(p))


XS = "{http://www.w3.org/2001/XMLSchema}"
XSDS = ["models/portfolio.xsd", "models/risk-model.xsd", "models/baseline.xsd",
        "models/mapping.xsd"]
# What the importers look for (analyzer/import_*.c): CycloneDX and ArchiMate
# have no schema in models/.
IMPORTER_NAMES = """bom metadata component components service services dependencies dependency
ref bom-ref name group version purl pkg: author authors supplier manufacturer publisher
provider address country data classification dataflow flow trustZone x-trust-boundary
properties property value true false
model elements element relationships relationship identifier identifierref source target
xsi:type junctionType AndJunction OrJunction Junction propertyDefinitions propertyDefinition
propertyDefinitionRef BusinessActor ApplicationComponent ApplicationService TechnologyService
Node Device SystemSoftware Serving Realization Assignment Flow Triggering Aggregation
Composition Association BusinessService xml:lang and or""".split()
NAMESPACES = ["urn:itorisk:portfolio:1", "urn:itorisk:risk-model:1", "urn:itorisk:baseline:1",
              "urn:itorisk:mapping:1", "http://cyclonedx.org/schema/bom/1.6",
              "http://cyclonedx.org/schema/bom/1.4", "http://www.opengroup.org/xsd/archimate/3.0/",
              "http://www.w3.org/2001/XMLSchema-instance"]
SYNTAX = [b'<?xml version="1.0" encoding="UTF-8"?>', b"<!--", b"-->", b"<![CDATA[", b"]]>",
          b"</", b"/>", b"&amp;", b"&lt;", b"&#x", b"xmlns=", b"xmlns:", b'="', b"<!DOCTYPE",
          b"<!ENTITY", b"\xef\xbb\xbf", b"P1DT2H30M", b"PT4H", b"P30D", b"2026-11-01", b"99.95",
          b"home", SEP]


def dict_entry(v):
    out = ""
    for ch in (v.encode() if isinstance(v, str) else v):
        if ch in (0x22, 0x5c) or ch < 0x20 or ch > 0x7e:
            out += "\\x%02x" % ch
        else:
            out += chr(ch)
    return '"%s"' % out


def write_dict():
    words = set(IMPORTER_NAMES)
    for x in XSDS:
        for e in ET.parse(x).iter():
            if e.tag in (XS + "element", XS + "attribute") and "name" in e.attrib:
                words.add(e.attrib["name"])
            elif e.tag == XS + "enumeration":
                words.add(e.attrib["value"])
    lines = ["# XML dictionary for the itorisk fuzz targets (written by make-corpus.py):",
             "# element and attribute names and enumeration values of models/*.xsd, the",
             "# names the CycloneDX and ArchiMate importers read, namespaces, XML syntax."]
    lines += [dict_entry(w) for w in sorted(words)]
    lines += [dict_entry(n) for n in NAMESPACES]
    lines += [dict_entry(x) for x in SYNTAX]
    with open("test/fuzz/xml.dict", "w") as f:
        f.write("\n".join(lines) + "\n")


main()
write_dict()
