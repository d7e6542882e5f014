// Package textsafe makes untrusted text (notebook paths, messages that
// quote source, rule docs) safe to print: on a terminal, where control
// characters could drive it, and in Markdown, where punctuation, raw HTML
// and "@name" would be interpreted. The report and diff formatters share it.
package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsControl reports whether r is a control character that could drive a
// terminal or break a line: C0 and C1 controls, DEL, and the Unicode line
// and paragraph separators. Tab is not one.
func IsControl(r rune) bool {
	return r != '\t' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029)
}

// Clean replaces control characters with U+FFFD; tabs stay.
func Clean(s string) string {
	if !strings.ContainsFunc(s, IsControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if IsControl(r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}

// OneLine replaces line breaks ("\r\n", "\n", "\r") with spaces and other
// control characters with U+FFFD; tabs stay.
func OneLine(s string) string {
	if !strings.ContainsFunc(s, IsControl) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
			// "\r\n" is one break
		case r == '\n' || r == '\r':
			b.WriteByte(' ')
		case IsControl(r):
			b.WriteRune(unicode.ReplacementChar)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// LongestRun is the length of the longest run of c in s.
func LongestRun(s string, c rune) int {
	longest, run := 0, 0
	for _, r := range s {
		if r == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// CodeSpan renders s, already on one line, as a Markdown code span that
// survives inside a table cell: the fence is longer than any backtick run
// in s, a backtick at either end is padded, and "|" is escaped (GFM splits
// cells before it parses code spans).
func CodeSpan(s string) string {
	fence := strings.Repeat("`", LongestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + strings.ReplaceAll(s, "|", `\|`) + fence
}

// Markdown escapes s for inline Markdown (a table cell or a paragraph):
// the runes in punct are backslash-escaped, "<", ">" and "&" become
// entities (no raw HTML), line breaks become <br>, control characters
// U+FFFD, and an "@" between a non-word and a word rune (by isWord) gets a
// zero-width space after it so that a comment mentions nobody.
func Markdown(s, punct string, isWord func(rune) bool) string {
	var b strings.Builder
	prev := rune(-1)
	for i, r := range s {
		switch {
		case r == '\r':
			// dropped; "\n" makes the break
		case r == '\n':
			b.WriteString("<br>")
		case strings.ContainsRune(punct, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '@':
			b.WriteRune(r)
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if isWord(next) && !isWord(prev) {
				b.WriteRune('\u200b')
			}
		case IsControl(r):
			b.WriteRune(unicode.ReplacementChar)
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}
