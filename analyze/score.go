package analyze

import "math"

// ScoreDoc documents the production-readiness score; `nbprod explain score`
// prints it.
const ScoreDoc = `# Production-readiness score

Every checked notebook gets a score from 0 to 100 in every report format
(JSON "score" with "counts" and "by_category", SARIF run properties, the
notebook header of the text report, the Markdown score table, and one
"nbprod readiness" notice per notebook in GitHub annotations), so a team
can trend it in CI. It is computed from the notebook's **active**
findings: suppressed and baselined findings do not count.

    penalty  = 15 per blocker for the first 4 blockers, 5 per blocker after that
             + 3 per warning, at most 30 in all
             + 0.5 per info finding, at most 5 in all
    score    = max(0, 100 - penalty), rounded down
    if the notebook has any blocker, the score is at most 69
    an unreadable notebook (NB001 blocker) scores 0

So:
- 100: no findings at all.
- 70-99: no blocker; warnings and info findings only. A notebook needs a
  score of 70 or more to be ready for nbprod convert without manual work.
- 1-69: at least one blocker (or very many warnings).
- 0: unreadable, or five or more blockers with other problems.

Reading it: a blocker costs as much as five warnings, and warnings can
never take a notebook below 70 on their own, which keeps the line between
"has blockers" and "needs polish" visible in a trend chart. The counts
behind the score are in every report ("counts" by severity in JSON, and by
category in the text report).
`

// Score computes the production-readiness score from active finding counts.
func Score(blockers, warnings, infos int, unreadable bool) int {
	if unreadable {
		return 0
	}
	p := 0.0
	if blockers <= 4 {
		p += 15 * float64(blockers)
	} else {
		p += 60 + 5*float64(blockers-4)
	}
	p += math.Min(30, 3*float64(warnings))
	p += math.Min(5, 0.5*float64(infos))
	s := int(math.Floor(math.Max(0, 100-p)))
	if blockers > 0 && s > 69 {
		s = 69
	}
	return s
}
