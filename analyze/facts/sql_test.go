package facts

import "testing"

func TestSelectStarTable(t *testing.T) {
	cases := []struct {
		sql   string
		table string
		ok    bool
	}{
		{"SELECT * FROM customers", "customers", true},
		{"select *\nfrom dw.sales s", "dw.sales", true},
		{"SELECT * FROM customers WHERE active = 1", "", false},
		{"SELECT * FROM customers LIMIT 10", "", false},
		{"SELECT TOP 10 * FROM customers", "", false},
		{"SELECT id, name FROM customers", "", false},
		{"SELECT * FROM t GROUP BY a", "", false},
	}
	for _, c := range cases {
		table, ok := SelectStarTable(c.sql)
		if table != c.table || ok != c.ok {
			t.Errorf("SelectStarTable(%q) = %q, %v", c.sql, table, ok)
		}
	}
	if IsSQL("amount > 3") || !IsSQL("DELETE FROM t WHERE a = 1") || !IsSQL("update t set a = 1") {
		t.Errorf("IsSQL")
	}
}

func TestSQLQueries(t *testing.T) {
	w := NewWorker()
	defer w.Close()
	fx := w.New(notebookOf(
		"import pandas as pd\nTABLE = 'sales'\nq = f\"SELECT * FROM orders WHERE id = '{oid}'\"",
		"o = pd.read_sql(q, conn)\ncur.execute('SELECT a FROM %s' % TABLE)\ncur.execute('SELECT a FROM t WHERE id = %s', (x,))\ndf.query(f'a > {b}')\nspark.sql('SELECT * FROM ev')",
	), Env{})
	got := fx.SQLQueries()
	type want struct {
		cell, line          int
		binding             string
		formatted, trusted  bool
		params, pandas, spk bool
		text                string
	}
	wants := []want{
		{0, 3, "q", true, false, false, true, false, "SELECT * FROM orders WHERE id = '?'"},
		{1, 2, "", true, true, false, false, false, "SELECT a FROM sales"},
		{1, 3, "", false, true, true, false, false, "SELECT a FROM t WHERE id = %s"},
		{1, 5, "", false, true, false, false, true, "SELECT * FROM ev"},
	}
	if len(got) != len(wants) {
		t.Fatalf("got %d queries: %+v", len(got), got)
	}
	for i, w := range wants {
		q := got[i]
		if q.Cell != w.cell || q.Pos.Line != w.line || q.Binding != w.binding || q.Formatted != w.formatted || q.Trusted != w.trusted ||
			q.Params != w.params || q.Pandas != w.pandas || q.Spark != w.spk || q.Text != w.text {
			t.Errorf("query %d = %+v, want %+v", i, q, w)
		}
	}
}
