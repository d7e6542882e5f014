package facts

import "strings"

// containsFold reports whether s contains any of words, ignoring ASCII
// case; words must be lower-case. It replaces unanchored (?i) alternations
// of plain words, which Go's regexp engine runs slowly.
func containsFold(s string, words ...string) bool {
	l := asciiLower(s)
	for _, w := range words {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// asciiLower lower-cases ASCII letters, returning s itself when it has none
// to change.
func asciiLower(s string) string {
	i := 0
	for i < len(s) && !(s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if c := b[i]; c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// isUUID reports whether s is a canonical UUID
// (8-4-4-4-12 hexadecimal digits, any case).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// hasShaDigit reports whether lower-case s contains "sha" followed by a
// digit (sha1, sha256 …).
func hasShaDigit(l string) bool {
	for i := strings.Index(l, "sha"); i >= 0; {
		if j := i + 3; j < len(l) && l[j] >= '0' && l[j] <= '9' {
			return true
		}
		k := strings.Index(l[i+3:], "sha")
		if k < 0 {
			return false
		}
		i += 3 + k
	}
	return false
}
