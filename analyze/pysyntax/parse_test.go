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
