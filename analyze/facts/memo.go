package facts

import "sync"

// lazyKey identifies one lazily computed per-notebook result. Each facts
// file declares its own key, so new facts need no change to Notebook.
type lazyKey struct{ name string }

type memo struct {
	mu sync.Mutex
	m  map[*lazyKey]any
}

// lazy computes f once per notebook and caches the result.
func lazy[T any](n *Notebook, key *lazyKey, f func() T) T {
	n.memo.mu.Lock()
	if v, ok := n.memo.m[key]; ok {
		n.memo.mu.Unlock()
		return v.(T)
	}
	n.memo.mu.Unlock()
	v := f()
	n.memo.mu.Lock()
	if n.memo.m == nil {
		n.memo.m = map[*lazyKey]any{}
	}
	if old, ok := n.memo.m[key]; ok {
		n.memo.mu.Unlock()
		return old.(T)
	}
	n.memo.m[key] = v
	n.memo.mu.Unlock()
	return v
}
