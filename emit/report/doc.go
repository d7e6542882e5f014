// Package report renders an [analyze.Result] as text, JSON, SARIF 2.1.0,
// Markdown or GitHub Actions workflow commands.
//
// Every formatter is a pure function of the Result and [Options]: it writes
// to the given writer only, reads no globals or environment, and produces the
// same bytes for the same input. Findings are re-sorted on a copy (see
// [analyze.SortFindings], ties broken by fingerprint), notebooks by path,
// rules by ID, and anything that comes from a map is sorted before it is
// written.
//
// Every format also streams ([NewStream], [Multi]): a check run hands
// each notebook to the report as soon as it and all notebooks before it in
// path order are checked, so memory does not grow with the number of
// notebooks. Write and the per-format functions feed a collected Result
// through the same streams, so both give the same bytes.
//
// Cells are 0-based in machine-readable output (JSON "cell", SARIF
// properties.cell) and "cell N" with N = index + 1 in human text (text,
// Markdown, SARIF logical locations), as CONTRACT.md §1 requires. SARIF
// regions and GitHub annotations use positions in the raw .ipynb file.
//
// Suppressed and baselined findings:
//
//   - text, Markdown, GitHub: they are not listed; text and Markdown count
//     them in the summary line. Only active findings become annotations.
//   - JSON: every finding is listed, with "suppressed", "suppression_reason"
//     and an extra "baselined" key. The summary counts active findings in
//     "findings", "by_severity" and "by_rule", and suppressed and baselined
//     ones in "suppressed" and "baselined".
//   - SARIF: every finding is a result. Suppressed ones carry
//     suppressions[{kind: "inSource", status: "accepted", justification}];
//     the others an empty suppressions array ("known not suppressed").
//     Baselined findings stay in the log with baselineState "unchanged", and
//     when any finding is baselined every other result says "new". A baseline
//     is not a suppression, so baselined results carry no suppression:
//     GitHub code scanning ignores both fields, and dropping the results would
//     make it close alerts for problems that are still in the code. GitHub
//     only raises pull-request alerts for results new relative to the base
//     branch, which is what a baseline is for.
//
// Redaction is the engine's job: messages, Data and Snippet arrive redacted.
// The formatters print no notebook source other than Finding.Snippet, and
// not even that for findings of the security and personal-data categories,
// whose snippet line would hold the value the message redacts.
package report
