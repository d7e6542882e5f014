package facts

// piiSpans returns the spans of personal values found in code cells
// (NB503's literal check). Issue 4 fills this in.
func piiSpans(n *Notebook) []Span { return nil }
