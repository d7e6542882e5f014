package facts

import (
	"strings"
	"testing"

	"github.com/nbprod/nbprod/notebook"
)

// Synthetic tokens, assembled at run time (no whole token in the source).
var (
	secAWS    = "AKIA" + "ZDOCIS2JHTLGMXGE"
	secGH     = "ghp_" + "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
	secOpenAI = "sk-" + "3JrTAwR4y9ojfljoQoaF" + "T3Blbk" + "FJ1LlqsajAIxNKu8iS2G8N"
	secHF     = "hf_" + "PKRCsTyQwbDwkNhFdnXsiVpzzFfkCzJriB"
	secJWT    = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	secStripe = "sk_test_" + "kQ1okTBGzvAmwufUxbvJDCTb"
)

func secretsOf(t *testing.T, nb *notebook.Notebook) []Secret {
	t.Helper()
	w := NewWorker()
	defer w.Close()
	return w.New(nb, Env{}).Secrets()
}

func codeSecrets(t *testing.T, cells ...string) []Secret {
	t.Helper()
	return secretsOf(t, notebookOf(cells...))
}

// TestSecretNameValues is §2.2.3: names, value acceptance, placeholders
// (with CONTRACT.md §6's narrower PLACEHOLDER).
func TestSecretNameValues(t *testing.T) {
	cases := []struct {
		code string
		kind string // "" for no secret
		env  string
	}{
		{`password = "Tr0ub4dor&3"`, "password", "PASSWORD"},
		{`db_password = "admin"`, "password", "DB_PASSWORD"}, // bandit reports even "admin"
		{`password = "Enterprise2024!"`, "password", "PASSWORD"},
		{`password = "mypassw0rd"`, "password", "PASSWORD"},
		{`dbPassword = "hunter2hunter"`, "password", "DB_PASSWORD"},
		{`import psycopg2` + "\n" + `c = psycopg2.connect(password="s3cr3tPw")`, "password", "DB_PASSWORD"},
		{`api_key = "Zq8xW2vNLk9m4Tb7"`, "api-key", "API_KEY"},
		{`import openai` + "\n" + `c = openai.OpenAI(api_key="Zq8xW2vNLk9m4Tb7")`, "api-key", "OPENAI_API_KEY"},
		{`client_secret = "keZdvIa1Ge257NKEm3v-eGEdv8M"`, "secret", "CLIENT_SECRET"},
		{`aws_secret_access_key = "hA+2O76UMFxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN"`, "aws-secret-access-key", "AWS_SECRET_ACCESS_KEY"},
		{`cfg = {"api_token": "abc123XYZ789qwe"}`, "token", "API_TOKEN"},
		{`import os` + "\n" + `os.environ.setdefault("WANDB_API_KEY", "4f0c8a1e9b7d6c5a3f2e1d0c9b8a7f6e5d4c3b2a")`, "api-key", "WANDB_API_KEY"},
		// not secrets
		{`password = "changeme"`, "", ""},
		{`password = "<password>"`, "", ""},
		{`API_KEY = "YOUR_API_KEY"`, "", ""},
		{`api_key = "your own api key here"`, "", ""},
		{`token = "xxxxxxxx"`, "", ""},
		{`password = "${DB_PASSWORD}"`, "", ""},
		{`password = "%(password)s"`, "", ""},
		{`api_key = "OPENAI_API_KEY"`, "", ""}, // an environment variable name
		{`credentials = "creds/service.json"`, "", ""},
		{`token = "short"`, "", ""},
		{`key = "species"`, "", ""},
		{`sort_key = "created_at_timestamp_1"`, "", ""},
		{`key_name = "my-ssh-key-2024-prod"`, "", ""},
		{`public_key = "ssh-ed25519AAAAC3NzaC1lZDI1NTE5"`, "", ""},
		{`pad_token = "[PAD]"`, "", ""},
		{`password_prompt = "Enter your password"`, "", ""},
		{`token_url = "https://auth.example.com/token"`, "", ""},
		{`secret = "password"`, "", ""},
		{`password = "Please type the password now"`, "", ""},
	}
	for _, c := range cases {
		got := codeSecrets(t, c.code)
		if c.kind == "" {
			if len(got) != 0 {
				t.Errorf("%s: got %s (%s), want none", c.code, got[0].Kind, got[0].Layer)
			}
			continue
		}
		if len(got) != 1 || got[0].Kind != c.kind || got[0].EnvVar != c.env || got[0].Layer != LayerName {
			t.Errorf("%s: got %+v, want one L2 %s with env %s", c.code, got, c.kind, c.env)
		}
	}
}

// TestProviderTokens is §2.2.2: provider formats in code, comments, magic
// lines, bodies and markdown, with their prefixes and env variables.
func TestProviderTokens(t *testing.T) {
	cases := []struct {
		cell   notebook.Cell
		kind   string
		where  SecretWhere
		prefix string
		env    string
		level  string
	}{
		{notebook.Cell{Kind: notebook.Code, Source: "k = '" + secAWS + "'"}, "aws-access-token", WhereCode, "AKIA", "AWS_ACCESS_KEY_ID", "blocker"},
		{notebook.Cell{Kind: notebook.Code, Source: "x = 1  # " + secGH}, "github-pat", WhereComment, "ghp_", "GITHUB_TOKEN", "blocker"},
		{notebook.Cell{Kind: notebook.Code, Source: "%env OPENAI_API_KEY=" + secOpenAI}, "openai-api-key", WhereMagic, "sk-", "OPENAI_API_KEY", "blocker"},
		{notebook.Cell{Kind: notebook.Code, Source: "%%bash\nhuggingface-cli login --token " + secHF}, "huggingface-access-token", WhereBody, "hf_", "HF_TOKEN", "blocker"},
		{notebook.Cell{Kind: notebook.Markdown, Source: "token: " + secGH}, "github-pat", WhereText, "ghp_", "GITHUB_TOKEN", "blocker"},
		{notebook.Cell{Kind: notebook.Code, Source: "tok = '" + secJWT + "'"}, "jwt", WhereCode, "eyJ", "API_TOKEN", "warning"},
		{notebook.Cell{Kind: notebook.Code, Source: "access_token = '" + secJWT + "'"}, "jwt", WhereCode, "eyJ", "API_TOKEN", "blocker"},
		{notebook.Cell{Kind: notebook.Code, Source: "stripe_key = '" + secStripe + "'"}, "stripe-access-token", WhereCode, "sk_", "STRIPE_API_KEY", "warning"},
		{notebook.Cell{Kind: notebook.Code, Source: "import os\nos.environ['MY_TOKEN'] = '" + secHF + "'"}, "huggingface-access-token", WhereCode, "hf_", "MY_TOKEN", "blocker"},
	}
	for _, c := range cases {
		nb := &notebook.Notebook{Format: notebook.FormatIPYNB, Language: "python", Cells: []notebook.Cell{c.cell}}
		got := secretsOf(t, nb)
		if len(got) != 1 {
			t.Errorf("%s: got %d secrets, want 1: %+v", c.kind, len(got), got)
			continue
		}
		s := got[0]
		if s.Kind != c.kind || s.Where != c.where || s.EnvVar != c.env || s.Level != c.level || !strings.HasPrefix(s.Redacted, c.prefix+"…<redacted "+c.kind) {
			t.Errorf("%s: got kind=%s where=%s env=%s level=%s redacted=%s", c.kind, s.Kind, s.Where, s.EnvVar, s.Level, s.Redacted)
		}
	}
	// AWS documentation keys and low-entropy runs are allowlisted.
	if got := codeSecrets(t, "k = 'AKIAIOSFODNN7"+"EXAMPLE'", "k2 = 'AKIA"+"AAAAAAAAAAAAAAAA'"); len(got) != 0 {
		t.Errorf("allowlisted AWS keys reported: %+v", got)
	}
}

// TestSecretSpans checks the spans that redact code snippets: the exact
// characters of the secret, one span per piece and per line.
func TestSecretSpans(t *testing.T) {
	w := NewWorker()
	defer w.Close()
	nb := notebookOf(
		"g = Github(\""+secGH[:4]+"\" \""+secGH[4:]+"\")",
		"from sqlalchemy import create_engine\ne = create_engine(\"postgresql://u:Winter2024x@h/db\")",
		"# "+secAWS+"\nx = 1",
	)
	fx := w.New(nb, Env{})
	cases := []struct {
		cell, line int
		want       string
	}{
		{0, 1, `g = Github("<redacted github-pat, 4 chars>" "<redacted github-pat, 36 chars>")`},
		{1, 2, `e = create_engine("postgresql://u:<redacted uri-password, 11 chars>@h/db")`},
		{2, 1, `# AKIA…<redacted aws-access-token, 20 chars>`},
		{2, 2, `x = 1`},
	}
	for _, c := range cases {
		if got := fx.RedactLine(c.cell, c.line, nb.Cells[c.cell].Line(c.line)); got != c.want {
			t.Errorf("cell %d line %d: %q, want %q", c.cell, c.line, got, c.want)
		}
	}
}

// TestSecretsInOutputs is §2.2.1's output and metadata rows, and T15.
func TestSecretsInOutputs(t *testing.T) {
	nb := notebookOf("print(os.environ)", "show()", "x")
	nb.Cells[0].Outputs = []notebook.Output{{Type: "stream", Data: []notebook.MimeData{{MIME: "stream", Kept: true,
		Text: "environ({'HOME': '/root', 'DB_PASSWORD': 'S3cr3t-Pa55', 'LANG': 'C'})\n"}}}}
	nb.Cells[1].Outputs = []notebook.Output{
		{Type: "display_data", Data: []notebook.MimeData{{MIME: "text/html", Kept: true, Text: "<table>\n<tr><td>&#x27;" + secAWS + "&#x27;</td></tr>\n</table>"}}},
		{Type: "display_data", Data: []notebook.MimeData{{MIME: "image/png", Size: 4000}}},
		{Type: "stream", Data: []notebook.MimeData{{MIME: "stream", Kept: true, Text: "password = hunter2hunter\n"}}},
	}
	nb.Cells[2].Outputs = []notebook.Output{{Type: "error", EName: "E", Traceback: []string{"\x1b[31mline\x1b[0m", "url mysql://app:Pw-12345x@db/x"}}}
	nb.Metadata = &notebook.Value{Kind: notebook.Object, Keys: []string{"widgets"}, Vals: []*notebook.Value{{Kind: notebook.String, Str: "state " + secGH}}}
	got := secretsOf(t, nb)
	type want struct {
		cell     int
		mime     string
		line     int
		kind     string
		where    SecretWhere
		metaPath string
	}
	wants := []want{
		{-1, "", 0, "github-pat", WhereNBMeta, "/widgets"},
		{0, "stream", 1, "password", WhereOutput, ""},
		{1, "text/html", 2, "aws-access-token", WhereOutput, ""},
		{2, "error", 2, "uri-password", WhereOutput, ""},
	}
	if len(got) != len(wants) {
		t.Fatalf("got %d secrets: %+v", len(got), got)
	}
	for i, w := range wants {
		s := got[i]
		mime, line := "", 0
		if s.Output != nil {
			mime, line = s.Output.MIME, s.Output.Line
		}
		if s.Cell != w.cell || mime != w.mime || line != w.line || s.Kind != w.kind || s.Where != w.where || s.MetaPath != w.metaPath || s.Rule() != "NB403" {
			t.Errorf("secret %d = cell %d %s:%d %s %s %q %s, want %+v", i, s.Cell, mime, line, s.Kind, s.Where, s.MetaPath, s.Rule(), w)
		}
	}
}

func TestRedactForms(t *testing.T) {
	cases := []struct {
		kind, value string
		prefix      int
		want        string
	}{
		{"aws-access-token", secAWS, 4, "AKIA…<redacted aws-access-token, 20 chars>"},
		{"github-fine-grained-pat", "github_pat_" + strings.Repeat("a", 82), 11, "gith…<redacted github-fine-grained-pat, 93 chars>"},
		{"password", "Tr0ub4dor&3", 0, "<redacted password, 11 chars>"},
	}
	for _, c := range cases {
		if got := Redact(c.kind, c.value, c.prefix); got != c.want {
			t.Errorf("Redact(%s) = %q, want %q", c.kind, got, c.want)
		}
	}
	v := "postgresql://etl:" + "Pw-12345x@db/dw?sslmode=require&token=Zq8xW2vNLk9m4Tb7 " + secGH + " DB_PASSWORD=" + "S3cr3t-Pa55"
	got := RedactValue(v)
	for _, leak := range []string{"Pw-12345x", "Zq8xW2vNLk9m4Tb7", secGH[4:], "S3cr3t-Pa55"} {
		if strings.Contains(got, leak) {
			t.Errorf("RedactValue leaks %q: %s", leak[:3], got)
		}
	}
	if !strings.Contains(got, "postgresql://etl:<redacted uri-password, 9 chars>@db/dw") {
		t.Errorf("RedactValue = %s", got)
	}
	if RedactValue("/Users/ana/Downloads/x.csv") != "/Users/ana/Downloads/x.csv" {
		t.Errorf("personal paths are not secrets")
	}
	// RedactSecrets removes every value the notebook holds, whatever text
	// quotes it.
	w := NewWorker()
	defer w.Close()
	fx := w.New(notebookOf("%env MY_TOKEN="+secHF, "password = 'Tr0ub4dor&3'"), Env{})
	msg := fx.RedactSecrets("`%env MY_TOKEN=" + secHF + "` sets a variable; old value Tr0ub4dor&3")
	if strings.Contains(msg, secHF[3:]) || strings.Contains(msg, "Tr0ub4dor") {
		t.Errorf("RedactSecrets leaks: %s", msg)
	}
}

func TestHighEntropy(t *testing.T) {
	cases := []struct {
		code  string
		level string // "" for none
	}{
		{`blob = "Zq8xW2vNLk9m4Tb7Yc3Rd6Fe1Gh5Jk0Mn"`, "info"},
		{`h = {"Authorization": "Bearer Zq8xW2vNLk9m4Tb7Yc3Rd6Fe1Gh5Jk0Mn"}`, "blocker"},
		{`u = "https://api.x.org/v1?apikey=Zq8xW2vNLk9m4Tb7Yc3Rd6"`, "warning"},
		{`alphabet = "abcdefghijklmnopqrstuvwxyz"`, ""},
		{`run_id = "123e4567-e89b-12d3-a456-426614174000"`, ""},
		{`sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"`, ""},
		{`model = "sentence-transformers/all-MiniLM-L6-v2"`, ""},
		{`role = "AmazonSageMaker-ExecutionRole-20200101T000000"`, ""},
		{`print("Zq8xW2vNLk9m4Tb7Yc3Rd6Fe1Gh5Jk0Mn")`, ""}, // L3 alone needs a binding
	}
	for _, c := range cases {
		got := codeSecrets(t, c.code)
		switch {
		case c.level == "" && len(got) != 0:
			t.Errorf("%s: got %s %s", c.code, got[0].Kind, got[0].Level)
		case c.level != "" && (len(got) != 1 || got[0].Level != c.level):
			t.Errorf("%s: got %+v, want one at %s", c.code, got, c.level)
		}
	}
}
