package pysyntax

/*
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>

// Declarations of the tree-sitter C API functions used below. The library
// itself is compiled by github.com/tree-sitter/go-tree-sitter; these match
// its include/tree_sitter/api.h (v0.25).
typedef struct TSTree TSTree;
typedef struct { uint32_t row; uint32_t column; } TSPoint;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;
TSNode ts_tree_root_node(const TSTree *self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
uint16_t ts_tree_cursor_current_field_id(const TSTreeCursor *self);
uint16_t ts_node_symbol(TSNode self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
uint32_t ts_node_descendant_count(TSNode self);
TSPoint ts_node_start_point(TSNode self);
TSPoint ts_node_end_point(TSNode self);
bool ts_node_is_named(TSNode self);
bool ts_node_is_missing(TSNode self);
bool ts_node_is_extra(TSNode self);
void ts_set_allocator(void *(*new_malloc)(size_t), void *(*new_calloc)(size_t, size_t),
	void *(*new_realloc)(void *, size_t), void (*new_free)(void *));

// nb_use_libc_allocator points tree-sitter at libc's allocator. go-tree-sitter
// installs Go callbacks that call the same libc functions through a C->Go->C
// round trip on every allocation; calling libc directly removes that cost
// (a cgo callback per malloc/free) without changing which heap is used, so
// memory allocated either way can be freed either way.
static void nb_use_libc_allocator(void) { ts_set_allocator(malloc, calloc, realloc, free); }

typedef struct {
	uint16_t sym;
	uint16_t field;
	uint8_t flags;
	uint8_t pad[3];
	uint32_t start, end;
	uint32_t srow, scol, erow, ecol;
	uint32_t next;
} nb_node;

enum { NB_NAMED = 1, NB_MISSING = 2, NB_EXTRA = 4 };

// nb_serialize writes the tree in preorder into out (at most cap nodes) and
// returns the node count; *depth receives the maximum depth. Each node's
// next field is the index just past its subtree. It walks with a cursor and
// a heap stack, so deep trees cost no C stack.
static uint32_t nb_serialize(const TSTree *tree, nb_node *out, uint32_t cap, uint32_t *depth) {
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	uint32_t n = 0, sp = 0, maxd = 0, scap = 256;
	uint32_t *stack = (uint32_t *)malloc(scap * sizeof(uint32_t));
	if (!stack) { ts_tree_cursor_delete(&c); *depth = 0; return 0; }
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&c);
		if (n < cap) {
			nb_node *o = &out[n];
			o->sym = ts_node_symbol(node);
			o->field = ts_tree_cursor_current_field_id(&c);
			o->flags = (ts_node_is_named(node) ? NB_NAMED : 0) | (ts_node_is_missing(node) ? NB_MISSING : 0) |
				(ts_node_is_extra(node) ? NB_EXTRA : 0);
			o->start = ts_node_start_byte(node);
			o->end = ts_node_end_byte(node);
			TSPoint p = ts_node_start_point(node);
			o->srow = p.row; o->scol = p.column;
			p = ts_node_end_point(node);
			o->erow = p.row; o->ecol = p.column;
			o->next = 0;
		}
		if (sp == scap) {
			scap *= 2;
			uint32_t *ns = (uint32_t *)realloc(stack, scap * sizeof(uint32_t));
			if (!ns) { free(stack); ts_tree_cursor_delete(&c); *depth = sp; return 0; }
			stack = ns;
		}
		stack[sp++] = n;
		if (sp > maxd) maxd = sp;
		n++;
		if (ts_tree_cursor_goto_first_child(&c)) continue;
		for (;;) {
			uint32_t idx = stack[--sp];
			if (idx < cap) out[idx].next = n;
			if (ts_tree_cursor_goto_next_sibling(&c)) break;
			if (!ts_tree_cursor_goto_parent(&c)) {
				free(stack);
				ts_tree_cursor_delete(&c);
				*depth = maxd;
				return n;
			}
		}
	}
}

// nb_count is the number of nodes nb_serialize writes: the root and its
// visible descendants (constant time).
static uint32_t nb_count(const TSTree *tree) {
	return ts_node_descendant_count(ts_tree_root_node(tree));
}
*/
import "C"

import (
	"sync/atomic"
	"unsafe"

	ts "github.com/tree-sitter/go-tree-sitter"
	python "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// Node flags.
const (
	flagNamed   = 1
	flagMissing = 2
	flagExtra   = 4
)

// node has the memory layout of the C nb_node, so the C serializer writes
// straight into a Go slice (no Go pointers inside, as cgo requires).
type node struct {
	sym   uint16
	field uint16
	flags uint8
	_     [3]uint8
	start uint32
	end   uint32
	srow  uint32
	scol  uint32
	erow  uint32
	ecol  uint32
	next  uint32
}

var _ [unsafe.Sizeof(node{}) - unsafe.Sizeof(C.nb_node{})]struct{}
var _ [unsafe.Sizeof(C.nb_node{}) - unsafe.Sizeof(node{})]struct{}

// MaxDepth is the deepest syntax tree analysed; deeper cells (machine-made
// nesting) are reported as too deep instead of risking the Go stack.
const MaxDepth = 5000

// Parser parses Python with tree-sitter. It is reused for many cells by one
// goroutine and is not safe for concurrent use.
type Parser struct {
	p *ts.Parser
}

var language = ts.NewLanguage(python.Language())

// rewalks counts parses whose node count was short (tests expect none).
var rewalks atomic.Int64

func init() {
	// go-tree-sitter's own init (which installs its Go allocator callbacks)
	// has run: this package imports it.
	C.nb_use_libc_allocator()
}

// NewParser returns a parser; Close frees it.
func NewParser() *Parser {
	p := ts.NewParser()
	if err := p.SetLanguage(language); err != nil {
		panic("pysyntax: tree-sitter-python language version mismatch: " + err.Error())
	}
	return &Parser{p: p}
}

// Close frees the parser.
func (p *Parser) Close() {
	if p.p != nil {
		p.p.Close()
		p.p = nil
	}
}

// Parse parses src and returns the syntax tree as a Go-owned flat array.
// The tree-sitter tree is freed before Parse returns.
func (p *Parser) Parse(src []byte) *Tree {
	t := p.p.Parse(src, nil)
	if t == nil {
		return &Tree{Src: src, TooDeep: true}
	}
	defer t.Close()
	// go-tree-sitter's Tree holds only the C pointer.
	raw := *(**C.TSTree)(unsafe.Pointer(t))
	// Serialize straight into the tree's own array, sized from the node
	// count (no scratch buffer to copy from or to keep per worker: a
	// 100,000-line cell has millions of nodes).
	nodes := make([]node, int(C.nb_count(raw)))
	var depth C.uint32_t
	for {
		var out *C.nb_node
		if len(nodes) > 0 {
			out = (*C.nb_node)(unsafe.Pointer(&nodes[0]))
		}
		n := int(C.nb_serialize(raw, out, C.uint32_t(len(nodes)), &depth))
		if n <= len(nodes) {
			tree := &Tree{Src: src, nodes: nodes[:n:n], depth: int(depth)}
			if int(depth) > MaxDepth {
				tree.TooDeep = true
			}
			return tree
		}
		rewalks.Add(1)
		nodes = make([]node, n) // the count was short: walk again
	}
}
