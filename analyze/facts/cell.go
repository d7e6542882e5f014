package facts

import (
	"github.com/nbprod/nbprod/analyze/pysyntax"
	"github.com/nbprod/nbprod/notebook"
)

// Pos is a 1-based line and code-point column inside a cell's source.
type Pos struct{ Line, Col int }

// Import is one name bound by an import statement.
type Import struct {
	Module string // dotted module as written ("a.b.c"; leading dots for relative imports)
	Name   string // the imported name for from-imports ("" for `import m`; "*" for star imports)
	Bound  string // the name bound in the notebook ("" for star imports)
	Line   int
	Col    int
}

// Scope is a function, lambda or class defined by a cell, with its free
// names: the module-level names its body reads when it runs.
type Scope struct {
	Name string // "<lambda>" for lambdas not bound to a name
	Line int
	Col  int
	// Free are the global names read inside (deferred uses), sorted, with
	// builtins and IPython names left out.
	Free []string
	// Calls are names the body calls (for resolving free names through
	// calls of other notebook functions).
	Calls []string
	// Params are the parameter names (functions and lambdas).
	Params []string
	// Node is the definition in the cell's tree.
	Node pysyntax.NodeID
}

// DefKind classifies how a cell binds a name (for NB104's "re-running an
// import or a constant changes nothing").
type DefKind uint8

const (
	DefOther    DefKind = iota // computed value, unpacking, loop target, …
	DefImport                  // import statement
	DefConstant                // literal constant (number, string, True/None, tuple/list of constants)
	DefFunction                // def
	DefClass                   // class
	DefMagic                   // x = !cmd, x = %magic, %%capture x
)

// NameUse is a read of a name at a position.
type NameUse struct {
	Text string
	Pos  Pos
}

// RMW is a read-modify-write of a name the cell did not bind before.
type RMW struct {
	Name string
	Pos  Pos
	// Kind is "augassign" (x += …), "selfop" (x = x <op> …), "subscript"
	// (df[c] = … df[c] …), "append" (lst.append/extend/insert), "inplace"
	// (inplace=True), or "rebind" (x = f(x), an info-level case).
	Kind string
	Text string // the statement, whitespace-collapsed and shortened
}

// SyntaxProblem is a parse error or a Python 2 construct in a cell.
type SyntaxProblem struct {
	Pos, End Pos
	Msg      string
	Python2  bool
}

// Dynamic is a construct that can define names nbprod cannot see (star
// imports, exec/eval, globals() writes, %run, %store -r).
type Dynamic struct {
	Kind string // "star-import", "exec", "eval", "globals", "run", "store", "load"
	Pos  Pos
	Text string
}

// Cell is the analysis of one code cell.
type Cell struct {
	Index  int
	NB     *notebook.Cell
	Masked pysyntax.Masked
	// Tree is the parsed masked source; nil when the cell is not Python
	// (a non-Python cell magic such as %%bash, or a cell too large or too
	// deeply nested to analyse).
	Tree *pysyntax.Tree
	// Language is "python", or the cell magic's language for cells whose
	// body is not Python ("bash", "sql", "html", …).
	Language string
	Syntax   []SyntaxProblem
	// ParseOK is false when tree-sitter reported errors or Python 2 syntax.
	ParseOK bool
	TooDeep bool

	// The four sets compared with the CPython oracle (CONTRACT.md §2), in
	// first-occurrence order.
	Defines, Uses, Mutates, Deletes []string
	// EagerUses are the uses read when the cell runs (not inside bodies of
	// named functions, methods or lambdas bound to names).
	EagerUses []string
	// CallMutates are receivers of in-place method calls (list.append,
	// inplace=True, estimator.fit …), a separate flagged set.
	CallMutates []string
	Imports     []Import
	Functions   []Scope
	Classes     []Scope
	StarImports []string
	Globals     []string // names declared global in functions and assigned there
	MagicUses   []string // $name and {expr} names in magic and shell lines
	Dynamic     []Dynamic
	// Calls are names the cell calls when it runs (f(...), C(...)) or passes
	// as arguments (df.apply(f)), used to resolve free names of notebook
	// functions.
	Calls []string

	// RMW are statements that read a value from another cell and replace or
	// change it in place (NB108: running the cell twice changes the state).
	RMW []RMW
	// LastExpr is set when the cell's last statement is an expression
	// statement (IPython displays its value), Semicolon when that statement
	// ends with ";" (display suppressed). LastMagic is set when the last
	// statement is a masked magic line.
	LastExpr, Semicolon, LastMagic bool
	// HasCall is set when the cell contains any call expression.
	HasCall bool
	// FutureAnnotations is set when `from __future__ import annotations` is
	// in effect at the end of the cell (here or in an earlier cell).
	FutureAnnotations bool

	// History are reads of IPython's input/output history (_12, _i3, Out,
	// In), which exist only inside IPython.
	History []NameUse

	parents  []pysyntax.NodeID
	srcLines []string
	assigns  []Assign
	assigned bool

	// DefKinds says how each defined name is bound (the last binding wins).
	DefKinds map[string]DefKind
	// UsePos / DefPos are the first positions of each use and definition.
	UsePos map[string]Pos
	DefPos map[string]Pos
}

// Defines reports whether the cell defines name.
func (c *Cell) DefinesName(name string) bool { return contains(c.Defines, name) }

// MutatesName reports whether the cell mutates name (store or in-place call).
func (c *Cell) MutatesName(name string) bool {
	return contains(c.Mutates, name) || contains(c.CallMutates, name)
}

// Function returns the function or class the cell defines with that name.
func (c *Cell) Function(name string) *Scope {
	for i := len(c.Functions) - 1; i >= 0; i-- {
		if c.Functions[i].Name == name {
			return &c.Functions[i]
		}
	}
	for i := len(c.Classes) - 1; i >= 0; i-- {
		if c.Classes[i].Name == name {
			return &c.Classes[i]
		}
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
