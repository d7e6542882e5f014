package facts

import (
	"math/rand"
	"regexp"
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
