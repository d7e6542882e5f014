package facts

// secretSpans returns the spans of secrets found in code cells (NB4xx).
// Issue 4 fills this in.
func secretSpans(n *Notebook) []Span { return nil }
