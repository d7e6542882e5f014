package facts

import (
	"fmt"
	"math/rand"
	"regexp"
	"strings"
	"testing"
)

// The hand-written matchers replace these expressions; they must agree.
var (
	oracleUUID     = regexp.MustCompile(`(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	oracleChecksum = regexp.MustCompile(`(?i)sha(?:1|256|512)?|md5|checksum|digest|hash|etag|revision|commit`)
	oracleHash     = regexp.MustCompile(`(?i)hash|sha\d|sha_|md5|blake|pseudonym|anonymi[sz]|encrypt|mask|redact|tokeni[sz]e_pii|scramble`)
	oracleDOBWord  = regexp.MustCompile(`(?i)dob|d\.o\.b|birth|born|geburt|geboren|naissance|nacimiento`)
)

func TestMatchersAgreeWithExpressions(t *testing.T) {
	words := []string{"sha", "SHA", "1", "256", "_", "md5", "Hash", "x", "-", "checksum", "Digest", "etag", "revision", "commit",
		"blake2b", "pseudonym", "anonymise", "Anonymize", "encrypt", "MASK", "redact", "tokenize_pii", "tokenise_PII", "scramble",
		"0123abcd", "ef01", "DOB", "d.o.b", "Birth", "BORN", "geburt", "Geboren", "naissance", "nacimiento", "d.O.b", "é", "."}
	r := rand.New(rand.NewSource(7))
	inputs := []string{"", "123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-42661417400G", "hashlib.sha256(x)", "df.email.apply(mask)"}
	for i := 0; i < 20000; i++ {
		s := ""
		for k := r.Intn(6); k >= 0; k-- {
			s += words[r.Intn(len(words))]
		}
		inputs = append(inputs, s)
	}
	for i := 0; i < 2000; i++ {
		b := []byte("00000000-0000-0000-0000-000000000000")
		for k := range b {
			if r.Intn(3) == 0 {
				b[k] = "0123456789abcdefABCDEFg-x"[r.Intn(25)]
			}
		}
		inputs = append(inputs, string(b))
	}
	for _, s := range inputs {
		if got, want := isUUID(s), oracleUUID.MatchString(s); got != want {
			t.Errorf("isUUID(%q) = %v, want %v", s, got, want)
		}
		if got, want := containsFold(s, "sha", "md5", "checksum", "digest", "hash", "etag", "revision", "commit"), oracleChecksum.MatchString(s); got != want {
			t.Errorf("checksum name %q: %v, want %v", s, got, want)
		}
		if got, want := piiHashCall(s), oracleHash.MatchString(s); got != want {
			t.Errorf("piiHashCall(%q) = %v, want %v", s, got, want)
		}
		if got, want := piiHasDOBWord(s), oracleDOBWord.MatchString(s); got != want {
			t.Errorf("piiHasDOBWord(%q) = %v, want %v", s, got, want)
		}
	}
}

// secKeywords finds in one pass what secHasKeyword finds provider by
// provider.
func TestSecKeywordsAgreesWithContains(t *testing.T) {
	var words []string
	for _, p := range secProviders {
		for _, k := range p.kw {
			words = append(words, k, k[:len(k)-1], k[1:])
		}
	}
	words = append(words, "private key", "Private Key", "private Key", "x", " ", "\n", "é", "_", "-", "AK", "gh")
	r := rand.New(rand.NewSource(11))
	inputs := []string{"", "A", "AKIA", "AKI", "xAKIAx", "-----BEGIN RSA PRIVATE KEY-----", "my private key"}
	for i := 0; i < 20000; i++ {
		s := ""
		for k := r.Intn(5); k >= 0; k-- {
			s += words[r.Intn(len(words))]
		}
		inputs = append(inputs, s)
	}
	for _, s := range inputs {
		got := secKeywords(s)
		for i := range secProviders {
			p := &secProviders[i]
			if want := secHasKeyword(s, p); (got&(1<<i) != 0) != want {
				t.Errorf("secKeywords(%q) has %s = %v, want %v", s, p.id, !want, want)
			}
		}
	}
}

// oracleDOBDates is piiDOBDates as first written: the expressions over the
// whole text.
func oracleDOBDates(text string) []piiValueMatch {
	var ms []piiValueMatch
	if !piiHasDOBWord(text) {
		return nil
	}
	loc := piiDobWordRe.FindStringIndex(text)
	if loc == nil {
		return nil
	}
	headerAt := -1
	if strings.Count(text[:loc[0]], "\n") < 30 {
		headerAt = strings.LastIndexByte(text[:loc[0]], '\n') + 1
	}
	for _, d := range piiDateRe.FindAllStringIndex(text, -1) {
		if headerAt >= 0 && d[0] >= headerAt || piiDobWordRe.MatchString(piiLineAround(text, d[0], d[1])) {
			ms = append(ms, piiValueMatch{ValueDateOfBirth, d[0], d[1]})
		}
	}
	return ms
}

// The line-by-line search for birth words and dates finds what the
// expressions find over the whole text.
func TestDOBDatesAgreeWithExpressions(t *testing.T) {
	words := []string{"dob", "DOB", "d.o.b", "date of birth", "date_of_birth", "birthdate", "Birthday", "born", "stubborn",
		"adobe", "geburtsdatum", "Geboren", "date de naissance", "fecha de nacimiento", "birth", "naissance",
		"1990-01-02", "02/03/1985", "3.4.2001", "12 Mar 1999", "March 3, 2004", "2024", "1899-01-01", "20", "19",
		" ", " ", ",", "\n", "\n", "\n", "x", "é", "7", "-", "name", "\t"}
	r := rand.New(rand.NewSource(13))
	inputs := []string{"", "dob", "born\n1990-01-01", "x\nborn 1990-01-01\n2001-02-03"}
	for i := 0; i < 20000; i++ {
		s := ""
		for k := r.Intn(12); k >= 0; k-- {
			s += words[r.Intn(len(words))]
		}
		inputs = append(inputs, s)
	}
	// A header more or less than 30 lines below the start.
	inputs = append(inputs, strings.Repeat("a\n", 29)+"dob\n1990-01-01", strings.Repeat("a\n", 30)+"dob\n1990-01-01\ndob 1990-01-01")
	for _, s := range inputs {
		got := piiDOBDates(nil, s)
		want := oracleDOBDates(s)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("piiDOBDates(%q) = %v, want %v", s, got, want)
		}
		gl, wl := piiFirstDOBWord(s), piiDobWordRe.FindStringIndex(s)
		if fmt.Sprint(gl) != fmt.Sprint(wl) {
			t.Errorf("piiFirstDOBWord(%q) = %v, want %v", s, gl, wl)
		}
	}
}

// secHasKeyword is the plain form of secKeywords for one provider: its
// oracle.
func secHasKeyword(text string, p *secProvider) bool {
	for _, k := range p.kw {
		if strings.Contains(text, k) {
			return true
		}
		if p.id == "private-key" && (strings.Contains(text, "private key") || strings.Contains(text, "Private Key")) {
			return true
		}
	}
	return len(p.kw) == 0
}
