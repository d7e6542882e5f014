package rules

import (
	"testing"

	"github.com/nbprod/nbprod/analyze/analyzetest"
)

// TestHiddenStateFixtures checks the NB1xx rules and NB805 on the fixture
// notebooks in testdata/hidden (want comments mark the expected findings).
func TestHiddenStateFixtures(t *testing.T) {
	analyzetest.RunDir(t, All(), "testdata/hidden", "NB1", "NB805")
}
