/*
 * Reporters: each renders an audit into a buffer (so a failed run never
 * leaves half a report anywhere); the command line writes the buffer out.
 * Reporters see ids and locations only.
 */
#ifndef ITORISK_REPORT_H
#define ITORISK_REPORT_H

#include "itorisk/audit.h"

/* Append JSON-escaped s, in quotes; invalid UTF-8 becomes U+FFFD. */
void itr_json_string(itr_buf *b, const char *s);
/* Append a finite number the same way on every machine (integers without a fraction). */
void itr_json_number(itr_buf *b, double x);

/* SPEC §5 JSON report. */
void itr_report_json(itr_buf *out, const itr_audit *a);
/* The same in ITR_JSON_PARTS parts, out[0]'s text followed by out[1]'s and
 * so on (each initialised by the caller, to be released by it): written so,
 * the larger reports are never copied into one buffer, and two threads
 * write the parts. */
#define ITR_JSON_PARTS 20
void itr_report_json_parts(itr_buf out[ITR_JSON_PARTS], const itr_audit *a);
/* The human-readable report. */
void itr_report_text(itr_buf *out, const itr_audit *a);

/* CI formats (report_sarif.c, report_github.c, report_gitlab.c, report_junit.c). */
/* SARIF 2.1.0 for GitHub code scanning: every rule of itr_rules() declared. */
void itr_report_sarif(itr_buf *out, const itr_audit *a);
/* GitHub Actions workflow commands (::error file=...,line=...::message), escaped. */
void itr_report_github(itr_buf *out, const itr_audit *a);
/* GitLab Code Quality: a JSON array of issues. */
void itr_report_gitlab(itr_buf *out, const itr_audit *a);
/* JUnit XML: a failing test case per finding, a passing one per clean file. */
void itr_report_junit(itr_buf *out, const itr_audit *a);

/* A finding's file as CI tools want it: "./" and "x/../" removed, "//" merged.
 * Give paths relative to the repository root. Caller frees. */
char *itr_report_path(const char *file);
/* Append s escaped for XML text and attribute values; invalid UTF-8 and
 * characters XML 1.0 forbids become U+FFFD. */
void itr_report_xml_escape(itr_buf *b, const char *s);

#endif
