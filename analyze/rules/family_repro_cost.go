package rules

import "github.com/nbprod/nbprod/analyze"

// reproducibilityAndCostRules are the NB2xx reproducibility and NB701–NB704 cost rules.
func reproducibilityAndCostRules() []*analyze.Rule {
	return []*analyze.Rule{
		UnseededRNG,
		MissingRandomState,
		WallClockDependence,
		UnpinnedRemoteArtifact,
		PaidAPICallPerRecord,
		ModelLoadInLoop,
		LargeModelFootprint,
		RowWiseDataFrameIteration,
	}
}
