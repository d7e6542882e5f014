package pysyntax

import (
	"unicode/utf8"
)

// Kind is a tree-sitter-python node type. Named node types have constants;
// anonymous tokens (operators, keywords) are Token and are told apart by
// their text.
type Kind uint16

// Node kinds used by nbprod.
const (
	Other Kind = iota
	Token
	Error
	Module
	Comment
	ExpressionStatement
	Assignment
	AugmentedAssignment
	Identifier
	Attribute
	Subscript
	Call
	ArgumentList
	KeywordArgument
	ListSplat
	DictionarySplat
	ParenthesizedExpression
	Tuple
	List
	Set
	Dictionary
	Pair
	ListComprehension
	SetComprehension
	DictionaryComprehension
	GeneratorExpression
	ForInClause
	IfClause
	Lambda
	LambdaParameters
	FunctionDefinition
	Parameters
	DefaultParameter
	TypedParameter
	TypedDefaultParameter
	ListSplatPattern
	DictionarySplatPattern
	ClassDefinition
	DecoratedDefinition
	Decorator
	ImportStatement
	ImportFromStatement
	FutureImportStatement
	AliasedImport
	DottedName
	RelativeImport
	ImportPrefix
	WildcardImport
	ForStatement
	WhileStatement
	IfStatement
	ElifClause
	ElseClause
	TryStatement
	ExceptClause
	ExceptGroupClause
	FinallyClause
	WithStatement
	WithClause
	WithItem
	AsPattern
	AsPatternTarget
	ReturnStatement
	DeleteStatement
	GlobalStatement
	NonlocalStatement
	PassStatement
	BreakStatement
	ContinueStatement
	RaiseStatement
	AssertStatement
	PrintStatement
	ExecStatement
	Chevron
	MatchStatement
	CaseClause
	CasePattern
	ClassPattern
	DictPattern
	ListPattern
	TuplePattern
	SplatPattern
	KeywordPattern
	UnionPattern
	ComplexPattern
	NamedExpression
	ConditionalExpression
	BooleanOperator
	NotOperator
	BinaryOperator
	UnaryOperator
	ComparisonOperator
	Await
	Yield
	String
	StringStart
	StringContent
	StringEnd
	Interpolation
	EscapeSequence
	EscapeInterpolation
	FormatSpecifier
	FormatExpression
	TypeConversion
	ConcatenatedString
	Integer
	Float
	True
	False
	None
	Ellipsis
	PatternList
	ExpressionList
	TypeAliasStatement
	Type
	TypeParameter
	GenericType
	Block
	Slice
	KeywordSeparator
	PositionalSeparator
	ParenthesizedListSplat
	LineContinuation
	Pattern
	kindCount
)

var kindNames = map[string]Kind{
	"module": Module, "comment": Comment, "expression_statement": ExpressionStatement,
	"assignment": Assignment, "augmented_assignment": AugmentedAssignment, "identifier": Identifier,
	"attribute": Attribute, "subscript": Subscript, "call": Call, "argument_list": ArgumentList,
	"keyword_argument": KeywordArgument, "list_splat": ListSplat, "dictionary_splat": DictionarySplat,
	"parenthesized_expression": ParenthesizedExpression, "tuple": Tuple, "list": List, "set": Set,
	"dictionary": Dictionary, "pair": Pair, "list_comprehension": ListComprehension,
	"set_comprehension": SetComprehension, "dictionary_comprehension": DictionaryComprehension,
	"generator_expression": GeneratorExpression, "for_in_clause": ForInClause, "if_clause": IfClause,
	"lambda": Lambda, "lambda_parameters": LambdaParameters, "function_definition": FunctionDefinition,
	"parameters": Parameters, "default_parameter": DefaultParameter, "typed_parameter": TypedParameter,
	"typed_default_parameter": TypedDefaultParameter, "list_splat_pattern": ListSplatPattern,
	"dictionary_splat_pattern": DictionarySplatPattern, "class_definition": ClassDefinition,
	"decorated_definition": DecoratedDefinition, "decorator": Decorator, "import_statement": ImportStatement,
	"import_from_statement": ImportFromStatement, "future_import_statement": FutureImportStatement,
	"aliased_import": AliasedImport, "dotted_name": DottedName, "relative_import": RelativeImport,
	"import_prefix": ImportPrefix, "wildcard_import": WildcardImport, "for_statement": ForStatement,
	"while_statement": WhileStatement, "if_statement": IfStatement, "elif_clause": ElifClause,
	"else_clause": ElseClause, "try_statement": TryStatement, "except_clause": ExceptClause,
	"except_group_clause": ExceptGroupClause, "finally_clause": FinallyClause,
	"with_statement": WithStatement, "with_clause": WithClause, "with_item": WithItem,
	"as_pattern": AsPattern, "as_pattern_target": AsPatternTarget, "return_statement": ReturnStatement,
	"delete_statement": DeleteStatement, "global_statement": GlobalStatement,
	"nonlocal_statement": NonlocalStatement, "pass_statement": PassStatement,
	"break_statement": BreakStatement, "continue_statement": ContinueStatement,
	"raise_statement": RaiseStatement, "assert_statement": AssertStatement,
	"print_statement": PrintStatement, "exec_statement": ExecStatement, "chevron": Chevron,
	"match_statement": MatchStatement, "case_clause": CaseClause, "case_pattern": CasePattern,
	"class_pattern": ClassPattern, "dict_pattern": DictPattern, "list_pattern": ListPattern,
	"tuple_pattern": TuplePattern, "splat_pattern": SplatPattern, "keyword_pattern": KeywordPattern,
	"union_pattern": UnionPattern, "complex_pattern": ComplexPattern, "named_expression": NamedExpression,
	"conditional_expression": ConditionalExpression, "boolean_operator": BooleanOperator,
	"not_operator": NotOperator, "binary_operator": BinaryOperator, "unary_operator": UnaryOperator,
	"comparison_operator": ComparisonOperator, "await": Await, "yield": Yield, "string": String,
	"string_start": StringStart, "string_content": StringContent, "string_end": StringEnd,
	"interpolation": Interpolation, "escape_sequence": EscapeSequence,
	"escape_interpolation": EscapeInterpolation, "format_specifier": FormatSpecifier,
	"format_expression": FormatExpression, "type_conversion": TypeConversion,
	"concatenated_string": ConcatenatedString, "integer": Integer, "float": Float, "true": True,
	"false": False, "none": None, "ellipsis": Ellipsis, "pattern_list": PatternList,
	"expression_list": ExpressionList, "type_alias_statement": TypeAliasStatement, "type": Type,
	"type_parameter": TypeParameter, "generic_type": GenericType, "block": Block, "slice": Slice,
	"keyword_separator": KeywordSeparator, "positional_separator": PositionalSeparator,
	"parenthesized_list_splat": ParenthesizedListSplat, "line_continuation": LineContinuation,
	"pattern": Pattern,
}

// Field is a tree-sitter field name (the role of a node in its parent).
type Field uint16

// Fields used by nbprod.
const (
	NoField Field = iota
	FName
	FBody
	FParameters
	FReturnType
	FLeft
	FRight
	FOperator
	FFunction
	FArguments
	FObject
	FAttribute
	FValue
	FSubscript
	FCondition
	FConsequence
	FAlternative
	FKey
	FType
	FArgument
	FAlias
	FModuleName
	FDefinition
	FSuperclasses
	FTypeParameters
	FOperators
	FCode
	fieldCount
)

var fieldNames = map[string]Field{
	"name": FName, "body": FBody, "parameters": FParameters, "return_type": FReturnType,
	"left": FLeft, "right": FRight, "operator": FOperator, "function": FFunction,
	"arguments": FArguments, "object": FObject, "attribute": FAttribute, "value": FValue,
	"subscript": FSubscript, "condition": FCondition, "consequence": FConsequence,
	"alternative": FAlternative, "key": FKey, "type": FType, "argument": FArgument,
	"alias": FAlias, "module_name": FModuleName, "definition": FDefinition,
	"superclasses": FSuperclasses, "type_parameters": FTypeParameters, "operators": FOperators,
	"code": FCode,
}

// symKind and fieldMap translate tree-sitter's numeric ids.
var (
	symKind  []Kind
	fieldMap []Field
)

const errorSymbol = 65535

func init() {
	n := int(language.NodeKindCount())
	symKind = make([]Kind, n)
	for i := 0; i < n; i++ {
		name := language.NodeKindForId(uint16(i))
		if k, ok := kindNames[name]; ok && language.NodeKindIsNamed(uint16(i)) {
			symKind[i] = k
		} else if !language.NodeKindIsNamed(uint16(i)) {
			symKind[i] = Token
		}
	}
	fc := int(language.FieldCount())
	fieldMap = make([]Field, fc+1)
	for i := 1; i <= fc; i++ {
		if f, ok := fieldNames[language.FieldNameForId(uint16(i))]; ok {
			fieldMap[i] = f
		}
	}
}

// NodeID indexes a node of a Tree; NoNode is "none".
type NodeID int32

// NoNode is the absent node.
const NoNode NodeID = -1

// Tree is a parsed cell: a Go-owned preorder array of nodes.
type Tree struct {
	Src   []byte
	nodes []node
	depth int
	// TooDeep is set when nesting exceeds MaxDepth (or the parse failed):
	// the tree must not be walked recursively then.
	TooDeep bool
}

// Len returns the number of nodes.
func (t *Tree) Len() int { return len(t.nodes) }

// Depth returns the maximum nesting depth of the tree.
func (t *Tree) Depth() int { return t.depth }

// Root returns the module node (NoNode for an empty tree).
func (t *Tree) Root() NodeID {
	if len(t.nodes) == 0 {
		return NoNode
	}
	return 0
}

// Kind returns a node's type.
func (t *Tree) Kind(n NodeID) Kind {
	if !t.valid(n) {
		return Other
	}
	s := t.nodes[n].sym
	if s == errorSymbol {
		return Error
	}
	if int(s) < len(symKind) {
		return symKind[s]
	}
	return Other
}

// FieldOf returns the field a node fills in its parent.
func (t *Tree) FieldOf(n NodeID) Field {
	if !t.valid(n) {
		return NoField
	}
	f := t.nodes[n].field
	if int(f) < len(fieldMap) {
		return fieldMap[f]
	}
	return NoField
}

// IsNamed reports whether a node is a named node (not an anonymous token).
func (t *Tree) IsNamed(n NodeID) bool { return t.valid(n) && t.nodes[n].flags&flagNamed != 0 }

// IsMissing reports a node tree-sitter inserted to recover from an error.
func (t *Tree) IsMissing(n NodeID) bool { return t.valid(n) && t.nodes[n].flags&flagMissing != 0 }

// IsExtra reports comments and other extras.
func (t *Tree) IsExtra(n NodeID) bool { return t.valid(n) && t.nodes[n].flags&flagExtra != 0 }

// Text returns the source text of a node.
func (t *Tree) Text(n NodeID) string {
	if !t.valid(n) {
		return ""
	}
	nd := &t.nodes[n]
	if int(nd.end) > len(t.Src) || nd.start > nd.end {
		return ""
	}
	return string(t.Src[nd.start:nd.end])
}

// Bytes returns the source bytes of a node without copying.
func (t *Tree) Bytes(n NodeID) []byte {
	if !t.valid(n) {
		return nil
	}
	nd := &t.nodes[n]
	if int(nd.end) > len(t.Src) || nd.start > nd.end {
		return nil
	}
	return t.Src[nd.start:nd.end]
}

// Span returns a node's byte offsets.
func (t *Tree) Span(n NodeID) (start, end int) {
	if !t.valid(n) {
		return 0, 0
	}
	return int(t.nodes[n].start), int(t.nodes[n].end)
}

// Point is a 0-based row and byte column.
type Point struct{ Row, Col int }

// StartPoint returns where a node starts.
func (t *Tree) StartPoint(n NodeID) Point {
	if !t.valid(n) {
		return Point{}
	}
	return Point{int(t.nodes[n].srow), int(t.nodes[n].scol)}
}

// EndPoint returns where a node ends.
func (t *Tree) EndPoint(n NodeID) Point {
	if !t.valid(n) {
		return Point{}
	}
	return Point{int(t.nodes[n].erow), int(t.nodes[n].ecol)}
}

// subtreeEnd is the index just past n's subtree.
func (t *Tree) subtreeEnd(n NodeID) NodeID {
	if !t.valid(n) {
		return n
	}
	return NodeID(t.nodes[n].next)
}

// valid reports whether n indexes a node (NoNode and out-of-range indexes
// are not; every accessor treats them as an absent node).
func (t *Tree) valid(n NodeID) bool { return t != nil && n >= 0 && int(n) < len(t.nodes) }

// FirstChild returns n's first child, or NoNode.
func (t *Tree) FirstChild(n NodeID) NodeID {
	if !t.valid(n) {
		return NoNode
	}
	if c := n + 1; int(c) < len(t.nodes) && c < t.subtreeEnd(n) {
		return c
	}
	return NoNode
}

// NextSibling returns the child of parent that follows c, or NoNode.
func (t *Tree) NextSibling(parent, c NodeID) NodeID {
	if !t.valid(parent) || !t.valid(c) {
		return NoNode
	}
	if nx := t.subtreeEnd(c); nx < t.subtreeEnd(parent) && int(nx) < len(t.nodes) {
		return nx
	}
	return NoNode
}

// Children appends n's children to buf and returns it.
func (t *Tree) Children(n NodeID, buf []NodeID) []NodeID {
	for c := t.FirstChild(n); c != NoNode; c = t.NextSibling(n, c) {
		buf = append(buf, c)
	}
	return buf
}

// NamedChildren appends n's named, non-extra children to buf.
func (t *Tree) NamedChildren(n NodeID, buf []NodeID) []NodeID {
	for c := t.FirstChild(n); c != NoNode; c = t.NextSibling(n, c) {
		if t.IsNamed(c) && !t.IsExtra(c) {
			buf = append(buf, c)
		}
	}
	return buf
}

// FirstNamed returns n's first named, non-extra child, or NoNode.
func (t *Tree) FirstNamed(n NodeID) NodeID {
	for c := t.FirstChild(n); c != NoNode; c = t.NextSibling(n, c) {
		if t.IsNamed(c) && !t.IsExtra(c) {
			return c
		}
	}
	return NoNode
}

// ChildByField returns the first child of n filling field f, or NoNode.
func (t *Tree) ChildByField(n NodeID, f Field) NodeID {
	for c := t.FirstChild(n); c != NoNode; c = t.NextSibling(n, c) {
		if t.FieldOf(c) == f {
			return c
		}
	}
	return NoNode
}

// Contains reports whether node d is inside n's subtree (or is n).
func (t *Tree) Contains(n, d NodeID) bool {
	return t.valid(n) && t.valid(d) && d >= n && d < t.subtreeEnd(n)
}

// Descendants calls fn for every node of n's subtree in preorder, n first.
// Returning false from fn skips that node's subtree.
func (t *Tree) Descendants(n NodeID, fn func(NodeID) bool) {
	if !t.valid(n) {
		return
	}
	end := t.subtreeEnd(n)
	for d := n; d < end; {
		if fn(d) {
			d++
		} else {
			d = t.subtreeEnd(d)
		}
	}
}

// HasError reports whether the tree has ERROR or MISSING nodes.
func (t *Tree) HasError() bool {
	for i := range t.nodes {
		if t.nodes[i].sym == errorSymbol || t.nodes[i].flags&flagMissing != 0 {
			return true
		}
	}
	return false
}

// Errors returns the ERROR and MISSING nodes that are not inside another
// ERROR node, in source order.
func (t *Tree) Errors() []NodeID {
	var out []NodeID
	for i := 0; i < len(t.nodes); {
		nd := &t.nodes[i]
		if nd.sym == errorSymbol {
			out = append(out, NodeID(i))
			i = int(nd.next)
			continue
		}
		if nd.flags&flagMissing != 0 {
			out = append(out, NodeID(i))
		}
		i++
	}
	return out
}

// ColumnOf converts a 0-based row and byte column of src into a 1-based
// column counted in code points.
func ColumnOf(src []byte, row, byteCol int) int {
	start := 0
	for r := 0; r < row; r++ {
		i := indexByte(src[start:], '\n')
		if i < 0 {
			return byteCol + 1
		}
		start += i + 1
	}
	end := start + byteCol
	if end > len(src) {
		end = len(src)
	}
	return utf8.RuneCount(src[start:end]) + 1
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// KindName returns the tree-sitter name of a kind ("" for Other).
func KindName(k Kind) string {
	switch k {
	case Token:
		return "token"
	case Error:
		return "ERROR"
	}
	for name, kk := range kindNames {
		if kk == k {
			return name
		}
	}
	return ""
}

// SubtreeEnd returns the index just past n's subtree: the nodes of n's
// subtree are n … SubtreeEnd(n)-1 in preorder.
func (t *Tree) SubtreeEnd(n NodeID) NodeID { return t.subtreeEnd(n) }
