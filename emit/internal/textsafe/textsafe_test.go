package textsafe

import (
	"testing"
	"unicode"
)

func TestTextSafe(t *testing.T) {
	for _, c := range []struct{ in, clean, oneLine string }{
		{"plain\ttab", "plain\ttab", "plain\ttab"},
		{"a\r\nb\nc\rd", "a\uFFFD\uFFFDb\uFFFDc\uFFFDd", "a b c d"},
		{"\x1b[31mred\u2028\x85", "\uFFFD[31mred\uFFFD\uFFFD", "\uFFFD[31mred\uFFFD\uFFFD"},
	} {
		if got := Clean(c.in); got != c.clean {
			t.Errorf("Clean(%q) = %q, want %q", c.in, got, c.clean)
		}
		if got := OneLine(c.in); got != c.oneLine {
			t.Errorf("OneLine(%q) = %q, want %q", c.in, got, c.oneLine)
		}
	}
	if got := LongestRun("a``b```c`", '`'); got != 3 {
		t.Errorf("LongestRun = %d, want 3", got)
	}
	if got, want := CodeSpan("`x|y``"), "``` `x\\|y`` ```"; got != want {
		t.Errorf("CodeSpan = %q, want %q", got, want)
	}
	word := func(r rune) bool { return unicode.IsLetter(r) }
	if got, want := Markdown("see #12 <b>&*x*</b>\n@bob a@b", "*#", word), "see \\#12 &lt;b&gt;&amp;\\*x\\*&lt;/b&gt;<br>@\u200bbob a@b"; got != want {
		t.Errorf("Markdown = %q, want %q", got, want)
	}
}
