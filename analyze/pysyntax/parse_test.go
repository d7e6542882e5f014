package pysyntax

import (
	"strings"
	"testing"
)

func TestParseTreeShape(t *testing.T) {
	p := NewParser()
	defer p.Close()
	tree := p.Parse([]byte("x = f(a, b=2)\n"))
	if tree.HasError() || tree.Kind(tree.Root()) != Module {
		t.Fatalf("root kind %v", tree.Kind(tree.Root()))
	}
	var calls []string
	tree.Descendants(tree.Root(), func(n NodeID) bool {
		if tree.Kind(n) == Call {
			fn := tree.ChildByField(n, FFunction)
			args := tree.NamedChildren(tree.ChildByField(n, FArguments), nil)
			calls = append(calls, tree.Text(fn)+"/"+tree.Text(args[1]))
		}
		return true
	})
	if strings.Join(calls, ",") != "f/b=2" {
		t.Errorf("calls %v", calls)
	}
	if bad := p.Parse([]byte("def f(:\n")); !bad.HasError() || len(bad.Errors()) == 0 {
		t.Error("syntax error not reported")
	}
}

// TestDeepNesting: 100,000 nested parentheses end in a result flagged
// TooDeep, never a stack overflow.
func TestDeepNesting(t *testing.T) {
	p := NewParser()
	defer p.Close()
	src := "x = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000)
	tree := p.Parse([]byte(src))
	if !tree.TooDeep {
		t.Errorf("depth %d not flagged", tree.Depth())
	}
}

func BenchmarkParse(b *testing.B) {
	src := []byte(strings.Repeat("df = pd.read_csv('x.csv')\nfor i in range(10):\n    total += f(i, key=i * 2)\n", 20))
	p := NewParser()
	defer p.Close()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p.Parse(src)
	}
}

// TestNoNodeSafe: every accessor treats NoNode as an absent node.
func TestNoNodeSafe(t *testing.T) {
	p := NewParser()
	defer p.Close()
	tree := p.Parse([]byte("x = 1"))
	for _, n := range []NodeID{NoNode, NodeID(tree.Len()), 1 << 30} {
		if tree.Kind(n) != Other || tree.Text(n) != "" || tree.FirstChild(n) != NoNode || tree.ChildByField(n, FName) != NoNode ||
			tree.IsNamed(n) || tree.FieldOf(n) != NoField || tree.NextSibling(0, n) != NoNode || tree.Contains(0, n) ||
			tree.FirstNamed(n) != NoNode || len(tree.NamedChildren(n, nil)) != 0 {
			t.Errorf("node %d is not treated as absent", n)
		}
		tree.Descendants(n, func(NodeID) bool { t.Errorf("visited %d", n); return true })
	}
}

// TestNodeCountExact checks that the constant-time node count sizes the
// tree exactly (one walk per parse) for valid code, syntax errors, MISSING
// nodes, comments (extras) and an empty source.
func TestNodeCountExact(t *testing.T) {
	p := NewParser()
	defer p.Close()
	before := rewalks.Load()
	for _, src := range []string{
		"", "x = 1\n", "def f(a, *b, c=2, **d):\n    # comment\n    return [i for i in a if i]\n",
		"if x:\n    y = (1,\n", "print 'py2'\n", "f(\n", "class A(B, metaclass=M):\n    pass\n",
		"x = f'{a!r:>{w}}' + b'\\x00'\n", "lambda: (yield)\n", "@dec\nasync def g():\n    async with a as b:\n        await c\n",
		"match p:\n    case [1, *rest] if rest: pass\n", ")))", "x = [1, 2\ny = 3\n",
	} {
		tr := p.Parse([]byte(src))
		if tr.Len() == 0 {
			t.Errorf("%q: empty tree", src)
		}
	}
	if n := rewalks.Load() - before; n != 0 {
		t.Errorf("%d parses needed a second walk: the node count is not exact", n)
	}
}
