package facts

import (
	"bytes"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
	"github.com/nbprod/nbprod/notebook"
)

// This file holds the secret facts of RULES.md §2.2 (with CONTRACT.md §6's
// placeholder filter): provider-format tokens (L1), secret-named targets
// bound to literals (L2), high-entropy strings (L3) and credentials inside
// URIs and connection strings, in code strings, comments, magic and shell
// lines, non-Python cell bodies, saved outputs and metadata.
//
// A secret's value never leaves this file except through Redact: rules see
// the redacted form, the kind and the environment variable to use instead,
// and fingerprint a secret through Secret.Key.

// SecretLayer says which detector found a secret.
type SecretLayer string

const (
	LayerProvider SecretLayer = "L1"  // provider token format (gitleaks ids)
	LayerName     SecretLayer = "L2"  // secret-named target with a literal value
	LayerEntropy  SecretLayer = "L3"  // high-entropy literal
	LayerURI      SecretLayer = "uri" // password in a URI or connection string (NB402)
)

// SecretWhere says where a secret was found.
type SecretWhere string

const (
	WhereCode     SecretWhere = "code"              // a string constant in Python code
	WhereComment  SecretWhere = "comment"           // a comment in a code cell
	WhereMagic    SecretWhere = "magic"             // a magic or shell line (%env, !export, !curl -H …)
	WhereBody     SecretWhere = "cell-body"         // the body of a non-Python cell (%%bash, %%writefile)
	WhereText     SecretWhere = "text-cell"         // a markdown or raw cell
	WhereOutput   SecretWhere = "output"            // a saved output
	WhereCellMeta SecretWhere = "cell-metadata"     // cell metadata (and output metadata)
	WhereNBMeta   SecretWhere = "notebook-metadata" // notebook metadata (widget state, papermill)
)

// SecretOutput locates a secret in a saved output.
type SecretOutput struct {
	Index int    // output index in the cell
	MIME  string // "stream", "text/plain", "text/html", "application/json", "error"
	Line  int    // 1-based line in that output's text
}

// Secret is one hardcoded credential.
type Secret struct {
	Cell     int // -1 for notebook metadata
	Pos, End Pos // in the cell source (zero for outputs and metadata)
	Output   *SecretOutput
	MetaPath string // JSON path for metadata ("/widgets/…")
	Where    SecretWhere
	Layer    SecretLayer
	// Kind is the gitleaks id for provider tokens ("aws-access-token"), or
	// "password", "token", "api-key", "secret", "key", "high-entropy-string",
	// "uri-password", "azure-storage-account-key", "sas-signature" ….
	Kind string
	// Target is the name the value is bound to ("db_password",
	// "openai.api_key", "Authorization"); "" when none.
	Target string
	// EnvVar is the environment variable the fix reads instead
	// ("DB_PASSWORD", "OPENAI_API_KEY").
	EnvVar string
	// Redacted is the printable form (CONTRACT.md §5): kind and length, with
	// at most the fixed provider prefix.
	Redacted string
	// Level is the severity the detector gives: "blocker", "warning" or
	// "info" (L3 alone).
	Level string
	// Length is the value's length in characters.
	Length int

	value  string
	prefix int
	spans  []Span
}

// Key returns the baseline key of the secret computed by hash (pass
// analyze.SecretKey): the value goes to the hash and nowhere else.
func (s *Secret) Key(hash func(kind, value string) string) string { return hash(s.Kind, s.value) }

// Rule is the rule the secret belongs to: NB403 for outputs and metadata,
// NB402 for credentials in URIs, NB401 otherwise.
func (s *Secret) Rule() string {
	switch {
	case s.Where == WhereOutput || s.Where == WhereCellMeta || s.Where == WhereNBMeta:
		return "NB403"
	case s.Layer == LayerURI:
		return "NB402"
	}
	return "NB401"
}

// Provider reports whether the secret has a provider token format.
func (s *Secret) Provider() bool { return s.Layer == LayerProvider }

// ---------------------------------------------------------------------------
// Patterns

type secProvider struct {
	id     string
	re     *regexp.Regexp
	group  int
	prefix int
	env    string
	level  string
	check  func(v string) bool
	// kw are substrings one of which the text must contain (gitleaks'
	// keywords), checked before the regexp runs.
	kw []string
}

const secEnd = `(?:[\x60'"\s;]|\\[nr]|$)`

var secProviders = []secProvider{
	{id: "private-key", kw: []string{"PRIVATE KEY"}, re: regexp.MustCompile(`(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S-]{64,}?KEY(?: BLOCK)?-----`), env: "PRIVATE_KEY", level: "blocker"},
	{id: "aws-access-token", kw: []string{"AKIA", "ASIA", "ABIA", "ACCA", "A3T"}, re: regexp.MustCompile(`\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b`), group: 1, prefix: 4, env: "AWS_ACCESS_KEY_ID", level: "blocker",
		check: func(v string) bool { return !strings.HasSuffix(v, "EXAMPLE") && secEntropy(v) >= 3 }},
	{id: "github-pat", kw: []string{"ghp_"}, re: regexp.MustCompile(`\bghp_[0-9a-zA-Z]{36}\b`), prefix: 4, env: "GITHUB_TOKEN", level: "blocker"},
	{id: "github-oauth", kw: []string{"gho_"}, re: regexp.MustCompile(`\bgho_[0-9a-zA-Z]{36}\b`), prefix: 4, env: "GITHUB_TOKEN", level: "blocker"},
	{id: "github-app-token", kw: []string{"ghu_", "ghs_"}, re: regexp.MustCompile(`\b(?:ghu|ghs)_[0-9a-zA-Z]{36}\b`), prefix: 4, env: "GITHUB_TOKEN", level: "blocker"},
	{id: "github-fine-grained-pat", kw: []string{"github_pat_"}, re: regexp.MustCompile(`\bgithub_pat_\w{82}`), prefix: 4, env: "GITHUB_TOKEN", level: "blocker"},
	{id: "gitlab-pat", kw: []string{"glpat-"}, re: regexp.MustCompile(`\bglpat-[\w-]{20}`), prefix: 4, env: "GITLAB_TOKEN", level: "blocker"},
	{id: "huggingface-access-token", kw: []string{"hf_"}, re: regexp.MustCompile(`\b(hf_(?i:[a-z]{34}))` + secEnd), group: 1, prefix: 3, env: "HF_TOKEN", level: "blocker"},
	{id: "anthropic-api-key", kw: []string{"sk-ant-api03"}, re: regexp.MustCompile(`\b(sk-ant-api03-[a-zA-Z0-9_\-]{93}AA)` + secEnd), group: 1, prefix: 3, env: "ANTHROPIC_API_KEY", level: "blocker"},
	{id: "openai-api-key", kw: []string{"T3BlbkFJ"}, re: regexp.MustCompile(`\b(sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})\b|sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20})` + secEnd), group: 1, prefix: 3, env: "OPENAI_API_KEY", level: "blocker"},
	{id: "slack-bot-token", kw: []string{"xoxb-"}, re: regexp.MustCompile(`\bxoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*`), prefix: 4, env: "SLACK_BOT_TOKEN", level: "blocker"},
	{id: "slack-user-token", kw: []string{"xoxp-", "xoxe-"}, re: regexp.MustCompile(`\bxox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}`), prefix: 4, env: "SLACK_TOKEN", level: "blocker"},
	{id: "gcp-api-key", kw: []string{"AIza"}, re: regexp.MustCompile(`\b(AIza[\w-]{35})` + secEnd), group: 1, prefix: 4, env: "GOOGLE_API_KEY", level: "blocker"},
	{id: "stripe-access-token", kw: []string{"_test_", "_live_", "_prod_"}, re: regexp.MustCompile(`\b((?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99})` + secEnd), group: 1, prefix: 3, env: "STRIPE_API_KEY", level: "blocker"},
	{id: "databricks-api-token", kw: []string{"dapi"}, re: regexp.MustCompile(`\b(dapi[a-f0-9]{32}(?:-\d)?)` + secEnd), group: 1, prefix: 4, env: "DATABRICKS_TOKEN", level: "blocker"},
	{id: "azure-ad-client-secret", kw: []string{"Q~"}, re: regexp.MustCompile(`(?:^|[\\'"\x60\s>=:(,)])([a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34})(?:$|[\\'"\x60\s<),])`), group: 1, env: "AZURE_CLIENT_SECRET", level: "blocker"},
	{id: "pypi-upload-token", kw: []string{"pypi-"}, re: regexp.MustCompile(`pypi-AgEIcHlwaS5vcmc[\w-]{50,1000}`), prefix: 4, env: "PYPI_TOKEN", level: "blocker"},
	{id: "sendgrid-api-token", kw: []string{"SG."}, re: regexp.MustCompile(`\b(SG\.(?i)[a-z0-9=_\-\.]{66})` + secEnd), group: 1, prefix: 3, env: "SENDGRID_API_KEY", level: "blocker"},
	{id: "jwt", kw: []string{"eyJ"}, re: regexp.MustCompile(`\b(ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9\/\\_-]{17,}\.(?:[a-zA-Z0-9\/\\_-]{10,}={0,2})?)` + secEnd), group: 1, prefix: 3, env: "API_TOKEN", level: "warning"},
	{id: "kaggle-api-key", kw: []string{`"username"`}, re: regexp.MustCompile(`(?i)"username"\s*:\s*"[^"\n]+"\s*,\s*"key"\s*:\s*"([0-9a-f]{32})"`), group: 1, env: "KAGGLE_KEY", level: "blocker"},
}

var (
	reSecretName    = regexp.MustCompile(`(?i)(?:^|[_.-])(pas+wo?r?d|pass(?:wd|phrase)?|pwd|secrete?|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|client[_.-]?secret|auth[_.-]?token|credentials?|creds|bearer|sas[_.-]?token|conn(?:ection)?[_.-]?str(?:ing)?|key)(?:$|[_.-])`)
	reNotSecretName = regexp.MustCompile(`(?i)(?:^|[_.-])(?:tokens?(?:izer|ize[sd]?)|(?:max|num|n|total)[_.-]?tokens?|tokens?[_.-]?(?:count|ids?|type|len(?:gth)?|limit)|csrf[_.-]?token|public[_.-]?(?:key|token)|password[_.-]?(?:field|prompt|label|hint|policy|length)|secret[_.-]?(?:name|id|arn|path|length|size)|key[_.-]?(?:id|name|path|file|col(?:umn)?|field|func|length|size)|(?:primary|foreign|sort|partition|hash|range)[_.-]?key|api[_.-]?(?:url|uri|endpoint|version|base|host))(?:$|[_.-])`)
	rePlaceholder   = regexp.MustCompile(`(?i)^(?:\s*|x{3,}|\*{3,}|\.{3}|<[^>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\{\{[^}]*\}\}|%\([^)]*\)s|%s|\{[^}]*\}|(?:your|my|insert|enter|put|replace|change)[ _-]?(?:own[ _-]?)?(?:api[ _-]?)?(?:key|token|secret|password|pass|pwd|user(?:name)?|id)(?:[ _-]?here)?|changeme|dummy.*|example.*|sample.*|test(?:ing)?|todo|tbd|none|null|nil|true|false|redacted|placeholder|secret|password|passwd|token|api[_-]?key|n/?a|.+EXAMPLE)$`)
	// reNotSecretExtra extends NOT_SECRET_NAME with names that hold keys
	// of other kinds: S3 object keys, CloudFormation parameter keys,
	// dictionary and cache keys, and token-type settings of tokenizers.
	reNotSecretExtra = regexp.MustCompile(`(?i)(?:^|[_.-])(?:(?:parameter|object|s3|bucket|blob|cache|dict|lookup|map|row|col|column|index|group|join|composite|natural|surrogate|sort|dedup|join|lang|label|metric|feature|target|prefix|file|image|img|data|json|config|cfg|redis|hash|idempotency|next|continuation|page|pagination|resume|sync|cursor|bos|eos|pad|unk|sep|cls|mask|special)[_.-]?(?:key|token)s?|key[_.-]?(?:prefix|suffix|pattern|format|template|word|words|points?|frames?|value|values|list|map|fn|type|cols?)|token[_.-]?(?:endpoint|url|uri|file|path|pattern|regex|expiry|expires?|ttl))(?:$|[_.-])`)
	// rePlaceholderWords catches sentence-like placeholders such as
	// "EnterYourOwnInfoHere" or "paste-your-token": letters only.
	rePlaceholderWords = regexp.MustCompile(`(?i)^(?:enter|insert|put|replace|paste|add|type|fill|set)[ _-]?(?:in[ _-]?)?(?:your|the)[A-Za-z _-]*$|^[A-Za-z _-]*(?:your[ _-]?own|goes[ _-]?here|here)$`)
	reAWSSecretName    = regexp.MustCompile(`(?i)aws_?secret_?(?:access_?)?key`)
	reAWSSecret        = regexp.MustCompile(`^[A-Za-z0-9/+=]{40}$`)
	reHFModelID        = regexp.MustCompile(`^[A-Za-z0-9][\w.-]*/[\w.-]+$`)
	reEnvVarName       = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$`)
	rePathRef          = regexp.MustCompile(`(?i)^(?:[~/.]|[a-z]:[\\/])|\.(?:json|pem|key|p12|pfx|crt|cer|txt|ya?ml|ini|cfg|env|toml|pkl|csv|db)$`)
	reBase64Chars      = regexp.MustCompile(`^[A-Za-z0-9+/=_-]+$`)
	reHexChars         = regexp.MustCompile(`^[0-9a-fA-F]+$`)
	reURIPassword      = regexp.MustCompile(`://([^:/?#@\s"'<>]+):([^@/\s"'<>]+)@`)
	reODBCPwd          = regexp.MustCompile(`(?i)(?:^|;)\s*(?:pwd|password)\s*=\s*([^;"'\n]+)`)
	reODBCMarker       = regexp.MustCompile(`(?i)(?:driver|server|data source)\s*=`)
	reAccountKey       = regexp.MustCompile(`(?i)AccountKey=([A-Za-z0-9+/]{86}==)`)
	reSharedAccess     = regexp.MustCompile(`(?i)SharedAccessSignature=([^;"'\s]+)`)
	reSASSig           = regexp.MustCompile(`(?i)[?&]sig=([A-Za-z0-9%+/=._-]{16,})`)
	reURLSecretArg     = regexp.MustCompile(`(?i)[?&](?:key|token|access_token|apikey|api_key|auth|secret|password)=([^&#\s"']+)`)
	reServiceAcct      = regexp.MustCompile(`"type"\s*:\s*"service_account"`)
	// reTextAssign finds KEY=VALUE, KEY: VALUE and "KEY": "VALUE" pairs in
	// raw text (magic lines, shell bodies, env dumps).
	reTextAssign = regexp.MustCompile(`(?:^|[\s;,{(])(?:export\s+|set\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]{1,60})["']?\s*(?:=|:)\s*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"',;})]+))`)
	reAuthHeader = regexp.MustCompile(`(?i)authorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+([A-Za-z0-9._~+/=-]{8,})`)
	reIdentifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z_.]*$`)
	reANSI       = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)
	reEnvDump    = regexp.MustCompile(`(?m)print\s*\(\s*(?:dict\s*\(\s*)?os\.environ\s*\)?\s*\)|^\s*(?:dict\s*\(\s*)?os\.environ\s*\)?\s*$|^\s*%env\s*$|^\s*[!%](?:env|printenv|set_env|set)\s*$|^\s*!\s*(?:env|printenv)\b|^\s*!\s*cat\s+\S*(?:credentials|kaggle\.json|\.env|\.netrc|\.pgpass|config|secrets?)`)
)

// secEntropy is the Shannon entropy of s in bits per character.
func secEntropy(s string) float64 {
	if s == "" {
		return 0
	}
	counts := map[rune]int{}
	n := 0
	for _, r := range s {
		counts[r]++
		n++
	}
	e := 0.0
	for _, c := range counts {
		p := float64(c) / float64(n)
		e -= p * math.Log2(p)
	}
	return e
}

// IsPlaceholder reports whether a value is a placeholder or an obvious
// non-secret (CONTRACT.md §6's PLACEHOLDER, gitleaks' global allowlist).
func IsPlaceholder(v string) bool {
	v = strings.TrimSpace(v)
	if rePlaceholder.MatchString(v) || rePlaceholderWords.MatchString(v) {
		return true
	}
	if r, _ := utf8.DecodeRuneInString(v); strings.Trim(v, string(r)) == "" {
		return true // a run of one character
	}
	return false
}

// secCamelToSnake inserts "_" at lower→upper case transitions (apiKey →
// api_Key) so names in camelCase match the name patterns.
func secCamelToSnake(s string) string {
	var b strings.Builder
	var prev rune
	for i, r := range s {
		if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)) {
			b.WriteByte('_')
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// secNameClass classifies a target name: "password", "token" (tokens,
// secrets, API keys, credentials), "key" (bare and access/private keys),
// "conn" (connection strings), or "" for names that are not secret names.
func secNameClass(name string) (class, kind string) {
	if name == "" || !secNameCandidate(name) {
		return "", ""
	}
	if reAWSSecretName.MatchString(name) {
		return "aws", "aws-secret-access-key"
	}
	snake := secCamelToSnake(name)
	if reNotSecretName.MatchString(snake) || reNotSecretExtra.MatchString(snake) {
		return "", ""
	}
	m := reSecretName.FindStringSubmatch(snake)
	if m == nil {
		return "", ""
	}
	kw := strings.ToLower(m[1])
	switch {
	case strings.HasPrefix(kw, "pas") || kw == "pwd":
		return "password", "password"
	case strings.HasPrefix(kw, "conn"):
		return "conn", ""
	case kw == "key":
		return "key", "key"
	case strings.HasPrefix(kw, "access"):
		return "key", "access-key"
	case strings.HasPrefix(kw, "private"):
		return "key", "private-key"
	case strings.HasPrefix(kw, "api"):
		return "token", "api-key"
	case strings.HasPrefix(kw, "secret") || strings.HasPrefix(kw, "client"):
		return "token", "secret"
	case strings.HasPrefix(kw, "cred"):
		return "token", "credential"
	}
	return "token", "token"
}

// secAcceptL2 applies §2.2.3's value acceptance to a literal bound to a
// secret name.
func secAcceptL2(class, name, value string) bool {
	v := strings.TrimSpace(value)
	if v == "" || IsPlaceholder(v) || strings.EqualFold(v, name) || len(v) > 4096 {
		return false
	}
	low := strings.ToLower(v)
	if strings.Contains(low, "://") || strings.HasPrefix(low, "http") {
		return false // URLs: their credentials are NB402's business
	}
	if reEnvVarName.MatchString(v) || (rePathRef.MatchString(v) && !strings.HasPrefix(v, "-----BEGIN")) {
		return false // an environment variable name or a file reference
	}
	switch class {
	case "aws":
		return reAWSSecret.MatchString(v) && secEntropy(v) >= 3
	case "password":
		if strings.Count(v, " ") >= 2 || strings.ContainsAny(v, "\n") {
			return false // a prompt or a sentence
		}
		return true
	case "token":
		return utf8.RuneCountInString(v) >= 8 && secEntropy(v) >= 3.0 && !secHasSpace(v) && !secWordy(v)
	case "key":
		if strings.HasPrefix(v, "-----BEGIN") {
			return true
		}
		return utf8.RuneCountInString(v) >= 16 && secEntropy(v) >= 3.0 && !secHasSpace(v) &&
			strings.ContainsAny(v, "0123456789") && !secWordy(v)
	}
	return false
}

// secWordy reports whether a value reads as words or a path rather than
// a random token: two or more alphabetic segments of three letters or more
// between separators ("datasets/image/MNIST", "Amazon-SageMaker-Role"),
// a file extension, or a long run of consecutive characters ("abcdefgh").
func secWordy(v string) bool {
	if reFileExt.MatchString(v) {
		return true
	}
	words := 0
	for _, seg := range strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(seg) >= 3 && strings.IndexFunc(seg, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
			words++
		}
	}
	if words >= 2 {
		return true
	}
	run := 1
	for i := 1; i < len(v); i++ {
		if v[i] == v[i-1]+1 {
			run++
			if run >= 6 {
				return true
			}
		} else {
			run = 1
		}
	}
	return false
}

var reFileExt = regexp.MustCompile(`\.(?:[a-z]{2,4}|gz|tar\.gz|json|yaml|ipynb)$`)

func secHasSpace(s string) bool { return strings.IndexFunc(s, unicode.IsSpace) >= 0 }

// secHighEntropy is L3: a whole string of length >= 20 over the base64
// charset with entropy > 4.5, or over hex with entropy > 3.0.
func secHighEntropy(v string) bool {
	if len(v) < 20 || len(v) > 1000 || isUUID(v) {
		return false
	}
	if reHexChars.MatchString(v) {
		if secWordy(v) {
			return false
		}
		e := secEntropy(v)
		if strings.Trim(v, "0123456789") == "" {
			e -= 1.2 / math.Log2(float64(len(v)))
		}
		return e > 3.0
	}
	if !reBase64Chars.MatchString(v) || reHFModelID.MatchString(v) && strings.Count(v, "/") == 1 && strings.ContainsAny(v, "-_.") {
		return false
	}
	return secEntropy(v) > 4.5 && !secWordy(v)
}

// ---------------------------------------------------------------------------
// Environment variable names

var secProviderModules = map[string]string{"openai": "OPENAI", "anthropic": "ANTHROPIC", "cohere": "COHERE",
	"huggingface_hub": "HF", "wandb": "WANDB", "pinecone": "PINECONE", "google.generativeai": "GOOGLE",
	"replicate": "REPLICATE", "mistralai": "MISTRAL", "groq": "GROQ", "stripe": "STRIPE", "comet_ml": "COMET",
	"neptune": "NEPTUNE", "kaggle": "KAGGLE", "github": "GITHUB", "langchain_openai": "OPENAI", "tweepy": "TWITTER",
	"googlemaps": "GOOGLE_MAPS", "databricks": "DATABRICKS", "mlflow": "MLFLOW"}

var reEnvChars = regexp.MustCompile(`[^A-Z0-9]+`)

// secEnvName upper-cases a target name into an environment variable name
// (db_password → DB_PASSWORD, openai.api_key → OPENAI_API_KEY).
func secEnvName(name string) string {
	s := strings.ToUpper(secCamelToSnake(name))
	s = strings.Trim(reEnvChars.ReplaceAllString(s, "_"), "_")
	if s == "" {
		return ""
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = "_" + s
	}
	return s
}

// secProviderPrefix returns the provider env prefix of a module path
// ("openai.api_key" → "OPENAI").
func secProviderPrefix(dotted string) string {
	for mod, p := range secProviderModules {
		if dotted == mod || strings.HasPrefix(dotted, mod+".") {
			return p
		}
	}
	return ""
}

// ---------------------------------------------------------------------------
// Context of a string constant

type secCtx struct {
	name     string // target name (identifier, attribute, dict key, keyword, parameter)
	dotted   string // full dotted target or qualified callee, for provider prefixes
	envWrite bool   // the name is an environment variable being set
	auth     bool   // an Authorization header value
	pin      bool   // a revision=/commit_id= pin
	binding  bool   // bound to something (assignment, keyword, dict value, default)
	cred     bool   // the password of a credential tuple / login call
	saDict   bool   // a value in a dict with "type": "service_account"
}

// secContext finds what a top-level string constant is bound to.
func (n *Notebook) secContext(c *Cell, node ps.NodeID) secCtx {
	t := c.Tree
	par := c.Parents()
	child := node
	p := par[node]
	for p != ps.NoNode && t.Kind(p) == ps.ParenthesizedExpression {
		child, p = p, par[p]
	}
	var ctx secCtx
	if p == ps.NoNode {
		return ctx
	}
	switch t.Kind(p) {
	case ps.Assignment:
		if t.ChildByField(p, ps.FRight) != child {
			return ctx
		}
		ctx.binding = true
		tg := t.ChildByField(p, ps.FLeft)
		switch t.Kind(tg) {
		case ps.Identifier:
			ctx.name = t.Text(tg)
		case ps.Attribute:
			ctx.name = t.Text(t.ChildByField(tg, ps.FAttribute))
			ctx.dotted = n.pathQualify(c, dottedName(t, tg))
		case ps.Subscript:
			if k, ok := StringValue(t, t.ChildByField(tg, ps.FSubscript)); ok {
				ctx.name = k
				obj := dottedName(t, t.ChildByField(tg, ps.FValue))
				if n.pathQualify(c, obj) == "os.environ" {
					ctx.envWrite = true
				}
			}
		}
	case ps.Pair:
		if t.ChildByField(p, ps.FValue) != child {
			return ctx
		}
		ctx.binding = true
		if k, ok := StringValue(t, t.ChildByField(p, ps.FKey)); ok {
			ctx.name = k
			if strings.EqualFold(k, "authorization") || strings.EqualFold(k, "proxy-authorization") {
				ctx.auth = true
			}
		}
		if d := par[p]; d != ps.NoNode && t.Kind(d) == ps.Dictionary {
			for _, q := range t.NamedChildren(d, nil) {
				if t.Kind(q) != ps.Pair {
					continue
				}
				k, _ := StringValue(t, t.ChildByField(q, ps.FKey))
				v, _ := StringValue(t, t.ChildByField(q, ps.FValue))
				if k == "type" && v == "service_account" {
					ctx.saDict = true
				}
			}
		}
	case ps.KeywordArgument:
		if t.ChildByField(p, ps.FValue) != child {
			return ctx
		}
		ctx.binding = true
		ctx.name = t.Text(t.ChildByField(p, ps.FName))
		if ctx.name == "revision" || ctx.name == "commit_id" || ctx.name == "commit" || ctx.name == "sha" {
			ctx.pin = true
		}
		if call := secCallOf(t, par, p); call != ps.NoNode {
			ctx.dotted = n.pathQualify(c, dottedName(t, t.ChildByField(call, ps.FFunction)))
		}
	case ps.DefaultParameter, ps.TypedDefaultParameter:
		if t.ChildByField(p, ps.FValue) != child {
			return ctx
		}
		ctx.binding = true
		nm := t.ChildByField(p, ps.FName)
		if t.Kind(nm) == ps.TypedParameter {
			nm = t.FirstNamed(nm)
		}
		ctx.name = t.Text(nm)
	case ps.ComparisonOperator:
		var other ps.NodeID = ps.NoNode
		ops := 0
		for ch := t.FirstChild(p); ch != ps.NoNode; ch = t.NextSibling(p, ch) {
			if !t.IsNamed(ch) {
				if tx := t.Text(ch); tx == "==" || tx == "!=" {
					ops++
				} else {
					ops += 10
				}
				continue
			}
			if ch != child {
				other = ch
			}
		}
		if ops == 1 && other != ps.NoNode {
			switch t.Kind(other) {
			case ps.Identifier:
				ctx.name = t.Text(other)
			case ps.Attribute:
				ctx.name = t.Text(t.ChildByField(other, ps.FAttribute))
			case ps.Subscript:
				ctx.name, _ = StringValue(t, t.ChildByField(other, ps.FSubscript))
			}
		}
	case ps.Tuple:
		// auth=("user", "secret")
		elems := t.NamedChildren(p, nil)
		if len(elems) == 2 && elems[1] == child {
			if kw := par[p]; kw != ps.NoNode && t.Kind(kw) == ps.KeywordArgument && t.Text(t.ChildByField(kw, ps.FName)) == "auth" {
				ctx.name, ctx.cred, ctx.binding = "password", true, true
			}
		}
	case ps.ArgumentList:
		call := par[p]
		if call == ps.NoNode || t.Kind(call) != ps.Call {
			return ctx
		}
		fn := t.ChildByField(call, ps.FFunction)
		q := n.pathQualify(c, dottedName(t, fn))
		method := ""
		if t.Kind(fn) == ps.Attribute {
			method = t.Text(t.ChildByField(fn, ps.FAttribute))
		}
		args := t.NamedChildren(p, nil)
		idx := -1
		k := 0
		for _, a := range args {
			if t.Kind(a) == ps.KeywordArgument || t.Kind(a) == ps.Comment {
				continue
			}
			if a == child {
				idx = k
				break
			}
			k++
		}
		switch {
		case (q == "os.environ.setdefault" || q == "os.putenv") && idx == 1:
			if name, ok := StringValue(t, args[0]); ok {
				ctx.name, ctx.envWrite, ctx.binding = name, true, true
			}
		case (strings.HasSuffix(q, "HTTPBasicAuth") || strings.HasSuffix(q, "HTTPDigestAuth") || strings.HasSuffix(q, "BasicAuth") ||
			method == "login" || method == "starttls_login") && idx == 1:
			ctx.name, ctx.cred, ctx.binding, ctx.dotted = "password", true, true, q
		case q == "huggingface_hub.login" || q == "wandb.login" || q == "kaggle.api.authenticate":
			ctx.dotted, ctx.binding = q, true
		}
	}
	return ctx
}

// secCallOf returns the call a keyword argument belongs to.
func secCallOf(t *ps.Tree, par []ps.NodeID, kw ps.NodeID) ps.NodeID {
	al := par[kw]
	if al == ps.NoNode || t.Kind(al) != ps.ArgumentList {
		return ps.NoNode
	}
	call := par[al]
	if call == ps.NoNode || t.Kind(call) != ps.Call {
		return ps.NoNode
	}
	return call
}

// ---------------------------------------------------------------------------
// Detection on one value

// secHit is a secret found inside a text: the value and where it sits.
type secHit struct {
	layer      SecretLayer
	kind       string
	value      string
	start, end int // byte offsets of the value in the scanned text (-1 unknown)
	prefix     int
	level      string
	env        string
	target     string
}

// secScanProviders runs the L1 patterns over a text.
func secScanProviders(text string) []secHit {
	var out []secHit
	long := secHasLongRun(text, 16)
	var present uint64
	for i := range secProviders {
		p := &secProviders[i]
		if p.id != "private-key" && !long {
			continue // every other format has a run of 16+ token characters
		}
		if present == 0 {
			present = secKeywords(text) | 1<<63 // computed once, on demand
		}
		if present&(1<<i) == 0 {
			continue
		}
		for _, m := range p.re.FindAllStringSubmatchIndex(text, -1) {
			s, e := m[0], m[1]
			if p.group > 0 && len(m) > 2*p.group+1 && m[2*p.group] >= 0 {
				s, e = m[2*p.group], m[2*p.group+1]
			}
			v := text[s:e]
			if p.check != nil && !p.check(v) {
				continue
			}
			if IsPlaceholder(v) {
				continue
			}
			kind, env, level := p.id, p.env, p.level
			if p.id == "stripe-access-token" && strings.Contains(v, "_test_") {
				level = "warning"
			}
			if p.id == "private-key" && reServiceAcct.MatchString(text) {
				kind, env = "gcp-service-account", "GOOGLE_APPLICATION_CREDENTIALS"
			}
			out = append(out, secHit{layer: LayerProvider, kind: kind, value: v, start: s, end: e, prefix: p.prefix, level: level, env: env})
		}
	}
	return secDropOverlaps(out)
}

// secTokenByte marks [A-Za-z0-9_-].
var secTokenByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
	}
	return t
}()

// secHasLongRun reports whether text holds n or more consecutive
// characters of [A-Za-z0-9_-] (a cheap precondition of every provider
// format but private keys).
func secHasLongRun(text string, n int) bool {
	run := 0
	for i := 0; i < len(text); i++ {
		if secTokenByte[text[i]] {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// secKwIndex finds the providers' keywords in one pass over a text:
// pairs is a bitset of the keywords' first two bytes, and byPair lists
// the keywords starting with each pair (with the bit of their provider).
// Thirty strings.Contains calls per text cost more than the regexps they
// guard.
var secKwIndex = func() (ix struct {
	pairs  [1 << 16 / 64]uint64
	byPair map[uint16][]secKw
	always uint64 // providers without keywords
}) {
	if len(secProviders) > 63 {
		panic("secKeywords: more than 63 providers")
	}
	ix.byPair = map[uint16][]secKw{}
	for i := range secProviders {
		p := &secProviders[i]
		kws := p.kw
		if p.id == "private-key" {
			kws = append(slices.Clone(kws), "private key", "Private Key")
		}
		if len(kws) == 0 {
			ix.always |= 1 << i
		}
		for _, k := range kws {
			if len(k) < 2 {
				panic("secKeywords: keyword shorter than two bytes: " + k)
			}
			pair := uint16(k[0])<<8 | uint16(k[1])
			ix.pairs[pair>>6] |= 1 << (pair & 63)
			ix.byPair[pair] = append(ix.byPair[pair], secKw{k, 1 << i})
		}
	}
	return ix
}()

type secKw struct {
	kw  string
	bit uint64
}

// secKeywords returns the set (bit i for secProviders[i]) of providers one
// of whose keywords text contains; providers without keywords are always
// in it.
func secKeywords(text string) uint64 {
	ix := &secKwIndex
	found := ix.always
	for i := 0; i+1 < len(text); i++ {
		pair := uint16(text[i])<<8 | uint16(text[i+1])
		if ix.pairs[pair>>6]&(1<<(pair&63)) == 0 {
			continue
		}
		for _, k := range ix.byPair[pair] {
			if found&k.bit == 0 && strings.HasPrefix(text[i:], k.kw) {
				found |= k.bit
			}
		}
	}
	return found
}

// secScanURIs finds credentials inside URIs and connection strings (NB402).
func secScanURIs(text string) []secHit {
	var out []secHit
	if !strings.Contains(text, "=") && !strings.Contains(text, "@") {
		return nil
	}
	for _, m := range secFindAll(reURIPassword, text, strings.Contains(text, "@") && strings.Contains(text, "://")) {
		pw := text[m[4]:m[5]]
		if IsPlaceholder(pw) || strings.ContainsAny(pw, "{}$") || strings.HasPrefix(pw, "%(") {
			continue
		}
		env := secURIEnv(text[:m[0]])
		out = append(out, secHit{layer: LayerURI, kind: "uri-password", value: pw, start: m[4], end: m[5], level: "blocker", env: env})
	}
	if secContainsAny(text, "PWD", "pwd", "Pwd", "assword", "ASSWORD") && reODBCMarker.MatchString(text) {
		for _, m := range reODBCPwd.FindAllStringSubmatchIndex(text, -1) {
			pw := strings.TrimSpace(text[m[2]:m[3]])
			if IsPlaceholder(pw) || strings.ContainsAny(pw, "{}$") {
				continue
			}
			s := m[2] + strings.Index(text[m[2]:m[3]], pw)
			out = append(out, secHit{layer: LayerURI, kind: "connection-string-password", value: pw, start: s, end: s + len(pw), level: "blocker", env: "DB_PASSWORD"})
		}
	}
	for _, m := range secFindAll(reAccountKey, text, secContainsAny(text, "ccountKey", "ccountkey", "CCOUNTKEY")) {
		out = append(out, secHit{layer: LayerURI, kind: "azure-storage-account-key", value: text[m[2]:m[3]], start: m[2], end: m[3], level: "blocker", env: "AZURE_STORAGE_CONNECTION_STRING"})
	}
	for _, m := range secFindAll(reSharedAccess, text, secContainsAny(text, "haredAccessSignature", "haredaccesssignature", "HAREDACCESSSIGNATURE")) {
		v := text[m[2]:m[3]]
		if IsPlaceholder(v) || len(v) < 16 {
			continue
		}
		out = append(out, secHit{layer: LayerURI, kind: "sas-token", value: v, start: m[2], end: m[3], level: "blocker", env: "AZURE_STORAGE_SAS_TOKEN"})
	}
	for _, m := range secFindAll(reSASSig, text, secContainsAny(text, "sig=", "SIG=", "Sig=")) {
		v := text[m[2]:m[3]]
		if IsPlaceholder(v) || strings.ContainsAny(v, "{}$") {
			continue
		}
		out = append(out, secHit{layer: LayerURI, kind: "sas-signature", value: v, start: m[2], end: m[3], level: "blocker", env: "AZURE_STORAGE_SAS_TOKEN"})
	}
	return secDropOverlaps(out)
}

// secFindAll runs a regexp only when its cheap precondition holds.
func secFindAll(re *regexp.Regexp, text string, maybe bool) [][]int {
	if !maybe {
		return nil
	}
	return re.FindAllStringSubmatchIndex(text, -1)
}

func secContainsAny(text string, subs ...string) bool {
	for _, s := range subs {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// secURIEnv names the password variable after the URI scheme.
func secURIEnv(before string) string {
	i := strings.LastIndexAny(before, " \t\n\"'(=,;")
	scheme := strings.ToLower(before[i+1:])
	if j := strings.IndexByte(scheme, '+'); j >= 0 {
		scheme = scheme[:j]
	}
	switch {
	case strings.HasPrefix(scheme, "mongodb"):
		return "MONGODB_PASSWORD"
	case strings.HasPrefix(scheme, "redis"):
		return "REDIS_PASSWORD"
	case strings.HasPrefix(scheme, "amqp"):
		return "AMQP_PASSWORD"
	case strings.HasPrefix(scheme, "http"), strings.HasPrefix(scheme, "ftp"):
		return "HTTP_PASSWORD"
	}
	return "DB_PASSWORD"
}

// secScanURLArgs finds high-entropy values of secret-named URL query
// parameters (?key=…, &token=…): an L3 hit in a secret context.
func secScanURLArgs(text string) []secHit {
	var out []secHit
	for _, m := range secFindAll(reURLSecretArg, text, strings.Contains(text, "=") && strings.ContainsAny(text, "?&")) {
		v := text[m[2]:m[3]]
		if IsPlaceholder(v) || strings.ContainsAny(v, "{}$%") || len(v) < 16 || secEntropy(v) < 3.5 {
			continue
		}
		out = append(out, secHit{layer: LayerEntropy, kind: "url-token", value: v, start: m[2], end: m[3], level: "warning", env: "API_TOKEN"})
	}
	return out
}

// secScanTextAssigns is the text form of L2 (KEY=VALUE in magic lines,
// shell bodies and environment dumps) plus Authorization headers.
func secScanTextAssigns(text string) []secHit {
	var out []secHit
	for _, m := range reTextAssign.FindAllStringSubmatchIndex(text, -1) {
		name := text[m[2]:m[3]]
		vs, ve := -1, -1
		for g := 2; g <= 4; g++ {
			if m[2*g] >= 0 {
				vs, ve = m[2*g], m[2*g+1]
				break
			}
		}
		if vs < 0 {
			continue
		}
		v := text[vs:ve]
		if strings.HasPrefix(v, "<") || strings.Contains(v, "…<redacted") {
			continue // a placeholder (<your key>) or a value nbprod already redacted
		}
		if m[8] >= 0 {
			// Unquoted: a shell value, not a Python expression
			// (token = resp["NextToken"], key = os.environ.get(...)).
			if ve < len(text) && strings.ContainsRune("[(.", rune(text[ve])) || strings.ContainsAny(v, "[(") ||
				reIdentifier.MatchString(v) || strings.HasPrefix(v, "$") {
				continue
			}
		}
		class, kind := secNameClass(name)
		if class == "" || class == "conn" || !secAcceptL2(class, name, v) {
			continue
		}
		out = append(out, secHit{layer: LayerName, kind: kind, value: v, start: vs, end: ve, level: "blocker",
			env: secEnvName(name), target: name})
	}
	for _, m := range reAuthHeader.FindAllStringSubmatchIndex(text, -1) {
		v := text[m[2]:m[3]]
		if IsPlaceholder(v) || secEntropy(v) < 3.0 || strings.HasPrefix(v, "<") {
			continue
		}
		out = append(out, secHit{layer: LayerName, kind: "token", value: v, start: m[2], end: m[3], level: "blocker",
			env: "API_TOKEN", target: "Authorization"})
	}
	return out
}

// secDropOverlaps keeps the first of overlapping hits (input order).
func secDropOverlaps(hs []secHit) []secHit {
	var out []secHit
	for _, h := range hs {
		clash := false
		for _, o := range out {
			if h.start >= 0 && o.start >= 0 && h.start < o.end && o.start < h.end {
				clash = true
				break
			}
		}
		if !clash {
			out = append(out, h)
		}
	}
	return out
}

// secStringHits detects the secrets in one folded string constant with its
// context.
func secStringHits(value string, ctx secCtx, complete bool) []secHit {
	hits := secScanProviders(value)
	hits = append(hits, secScanURIs(value)...)
	hits = append(hits, secScanURLArgs(value)...)
	hits = secDropOverlaps(hits)
	class, kind := secNameClass(ctx.name)
	if ctx.cred {
		class, kind = "password", "password"
	}
	for i := range hits {
		h := &hits[i]
		if h.layer != LayerProvider {
			continue
		}
		if ctx.saDict && h.kind == "private-key" {
			h.kind, h.env = "gcp-service-account", "GOOGLE_APPLICATION_CREDENTIALS"
		}
		if h.kind == "jwt" && (ctx.auth || class != "") {
			h.level = "blocker"
		}
		if ctx.envWrite {
			h.env = secEnvName(ctx.name)
		}
		h.target = ctx.name
	}
	if len(hits) > 0 || !complete {
		return hits
	}
	v := value
	if ctx.auth {
		fields := strings.Fields(v)
		if len(fields) == 2 && (strings.EqualFold(fields[0], "bearer") || strings.EqualFold(fields[0], "basic") || strings.EqualFold(fields[0], "token")) {
			v = fields[1]
		}
		if !IsPlaceholder(v) && len(v) >= 8 && secEntropy(v) >= 3.0 && !secHasSpace(v) {
			s := strings.Index(value, v)
			return []secHit{{layer: LayerName, kind: "token", value: v, start: s, end: s + len(v), level: "blocker", env: "API_TOKEN", target: ctx.name}}
		}
		return nil
	}
	if class != "" && class != "conn" && secAcceptL2(class, ctx.name, v) {
		h := secHit{layer: LayerName, kind: kind, value: v, start: 0, end: len(v), level: "blocker", target: ctx.name}
		h.env = secL2Env(ctx, kind)
		if strings.EqualFold(ctx.name, "KAGGLE_KEY") && reHexChars.MatchString(v) && len(v) == 32 {
			h.kind = "kaggle-api-key"
		}
		if ctx.saDict && (kind == "private-key" || strings.HasPrefix(v, "-----BEGIN")) {
			h.kind, h.env = "gcp-service-account", "GOOGLE_APPLICATION_CREDENTIALS"
		}
		return []secHit{h}
	}
	if ctx.pin || containsFold(ctx.name, "sha", "md5", "checksum", "digest", "hash", "etag", "revision", "commit") || isUUID(v) {
		return nil
	}
	if secHighEntropy(v) {
		level := "info"
		if class != "" || ctx.auth {
			level = "warning"
		}
		if !ctx.binding && level == "info" {
			return nil
		}
		env := secEnvName(ctx.name)
		if env == "" || class == "" {
			env = "API_TOKEN"
		}
		return []secHit{{layer: LayerEntropy, kind: "high-entropy-string", value: v, start: 0, end: len(v), level: level, env: env, target: ctx.name}}
	}
	return nil
}

// secL2Env picks the environment variable for a name-bound secret.
func secL2Env(ctx secCtx, kind string) string {
	if kind == "aws-secret-access-key" {
		return "AWS_SECRET_ACCESS_KEY"
	}
	if ctx.envWrite {
		return secEnvName(ctx.name)
	}
	if p := secProviderPrefix(ctx.dotted); p != "" {
		switch kind {
		case "api-key", "key":
			return p + "_API_KEY"
		case "token":
			return p + "_TOKEN"
		}
		return p + "_" + secEnvName(ctx.name)
	}
	if strings.EqualFold(ctx.name, "authorization") {
		return "API_TOKEN"
	}
	env := secEnvName(ctx.name)
	if ctx.cred {
		env = "PASSWORD"
	}
	// Bare names make poor variables (PWD is the shell's working directory).
	switch env {
	case "PWD", "PASS", "PASSWD", "PASSWORD", "PASSPHRASE":
		if secDBModule(ctx.dotted) {
			return "DB_PASSWORD"
		}
		return "PASSWORD"
	case "TOKEN", "BEARER":
		return "API_TOKEN"
	case "KEY", "APIKEY":
		return "API_KEY"
	}
	return env
}

// secDBModule reports whether a qualified callee belongs to a database
// client.
func secDBModule(q string) bool {
	for _, m := range []string{"psycopg2", "psycopg", "pymysql", "mysql", "MySQLdb", "sqlalchemy", "pyodbc", "cx_Oracle",
		"oracledb", "snowflake", "redshift_connector", "pymongo", "pymssql", "teradatasql", "vertica_python", "ibm_db",
		"clickhouse_connect", "clickhouse_driver", "psycopg2.extras", "asyncpg", "aiomysql", "trino", "prestodb", "pyhive"} {
		if q == m || strings.HasPrefix(q, m+".") {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Collecting secrets

var secretsKey = lazyKey{"secrets"}

// Secrets returns every secret of the notebook: code cells (strings,
// comments, magic lines, non-Python bodies), markdown and raw cells (L1),
// saved outputs and metadata. Sorted by cell, then source position, then
// output.
func (n *Notebook) Secrets() []Secret {
	return lazy(n, &secretsKey, n.collectSecrets)
}

func (n *Notebook) collectSecrets() []Secret {
	var out []Secret
	for i := range n.NB.Cells {
		nc := &n.NB.Cells[i]
		if nc.Kind != notebook.Code {
			out = append(out, n.secTextCell(nc)...)
			out = append(out, secMetadata(i, nc.Metadata, WhereCellMeta)...)
			continue
		}
		c := n.Cell(i)
		if c != nil {
			out = append(out, n.secCodeCell(c)...)
		}
		out = append(out, secOutputs(nc)...)
		out = append(out, secMetadata(i, nc.Metadata, WhereCellMeta)...)
	}
	if md := n.NB.Metadata; md != nil {
		out = append(out, secMetadata(-1, md, WhereNBMeta)...)
	}
	for i := range out {
		s := &out[i]
		s.Length = utf8.RuneCountInString(s.value)
		s.Redacted = Redact(s.Kind, s.value, s.prefix)
		for j := range s.spans {
			s.spans[j].Kind = s.Kind
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		ac, bc := a.Cell, b.Cell
		if ac != bc {
			return ac < bc
		}
		ao, bo := -1, -1
		if a.Output != nil {
			ao = a.Output.Index*1_000_000 + a.Output.Line
		}
		if b.Output != nil {
			bo = b.Output.Index*1_000_000 + b.Output.Line
		}
		if ao != bo {
			return ao < bo
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
	return out
}

// secretSpans returns the spans of secrets in cell sources, for redaction of
// every code line nbprod prints.
func secretSpans(n *Notebook) []Span {
	var out []Span
	for _, s := range n.Secrets() {
		out = append(out, s.spans...)
	}
	return out
}

// secCodeCell scans one code cell.
func (n *Notebook) secCodeCell(c *Cell) []Secret {
	var out []Secret
	src := c.NB.Source
	lines := c.lines()
	python := c.Tree != nil && c.Language == "python"
	// 1. String constants (after folding).
	if python {
		t := c.Tree
		par := c.Parents()
		for i := 0; i < t.Len(); i++ {
			node := ps.NodeID(i)
			k := t.Kind(node)
			if k != ps.String && k != ps.ConcatenatedString {
				continue
			}
			if p := par[node]; p != ps.NoNode && t.Kind(p) == ps.ConcatenatedString {
				continue
			}
			if !secMayHold(t, node) {
				continue
			}
			val, complete := StringValue(t, node)
			if !complete {
				f := n.Fold(c, node)
				val, complete = f.Value, f.Complete
			}
			if val == "" {
				continue
			}
			ctx := n.secContext(c, node)
			for _, h := range secStringHits(val, ctx, complete) {
				s := Secret{Cell: c.Index, Where: WhereCode, Layer: h.layer, Kind: h.kind, Target: h.target,
					EnvVar: h.env, Level: h.level, value: h.value, prefix: h.prefix,
					Pos: c.NodePos(node), End: c.NodeEnd(node)}
				s.spans = secNodeSpans(c, node, h.value, h.prefix)
				if len(s.spans) > 0 {
					sp := s.spans[0]
					s.Pos = Pos{sp.Line, utf8.RuneCountInString(lines[sp.Line-1][:sp.Start]) + 1}
					last := s.spans[len(s.spans)-1]
					s.End = Pos{last.Line, utf8.RuneCountInString(lines[last.Line-1][:last.End]) + 1}
				}
				out = append(out, s)
			}
		}
	}
	// 2. Raw text: comments, magic lines, non-Python bodies, and tokens the
	// AST pass did not see (inside f-strings after an interpolation).
	taken := func(line, start, end int) bool {
		for _, s := range out {
			for _, sp := range s.spans {
				if sp.Line == line && start < sp.End && sp.Start < end {
					return true
				}
			}
		}
		return false
	}
	magicLine := map[int]bool{}
	for _, m := range c.Masked.Magics {
		if m.Kind == ps.CellMagic {
			magicLine[m.Line] = true
			continue
		}
		for l := m.Line; l <= m.EndLine && l <= len(lines); l++ {
			magicLine[l] = true
		}
	}
	commentAt := func(line, bcol int) bool {
		if !python {
			return false
		}
		l := lines[line-1]
		// A # outside quotes before the match starts a comment.
		inQ := byte(0)
		for i := 0; i < bcol && i < len(l); i++ {
			ch := l[i]
			switch {
			case inQ != 0:
				if ch == '\\' {
					i++
				} else if ch == inQ {
					inQ = 0
				}
			case ch == '"' || ch == '\'':
				inQ = ch
			case ch == '#':
				return true
			}
		}
		return false
	}
	sx := newSecLines(src)
	add := func(h secHit, where SecretWhere) {
		sl, sc := sx.pos(h.start)
		el, ec := sx.pos(h.end)
		first, _, _ := strings.Cut(h.value, "\n")
		if taken(sl, sc, sc+len(first)) {
			return
		}
		s := Secret{Cell: c.Index, Where: where, Layer: h.layer, Kind: h.kind, Target: h.target, EnvVar: h.env,
			Level: h.level, value: h.value, prefix: h.prefix}
		s.spans = secTextSpans(c.Index, lines, sl, sc, h.value, h.prefix)
		if len(s.spans) == 0 {
			return
		}
		s.Pos = Pos{sl, utf8.RuneCountInString(lines[sl-1][:sc]) + 1}
		s.End = Pos{el, utf8.RuneCountInString(lines[el-1][:min(ec, len(lines[el-1]))]) + 1}
		out = append(out, s)
	}
	bodyFrom := 0 // lines >= bodyFrom are a non-Python body (1-based; 0: none)
	if !python || c.Language != "python" {
		bodyFrom = 2
		if c.Masked.CellMagic == "" {
			bodyFrom = 1
		}
	}
	whereOf := func(line, bcol int) SecretWhere {
		switch {
		case bodyFrom > 0 && line >= bodyFrom:
			return WhereBody
		case magicLine[line]:
			return WhereMagic
		case commentAt(line, bcol):
			return WhereComment
		}
		return WhereCode
	}
	for _, h := range secScanProviders(src) {
		sl, sc := sx.pos(h.start)
		add(h, whereOf(sl, sc))
	}
	// Text-form L2 and URI credentials on magic lines and non-Python bodies.
	scanRaw := func(from, to int, where SecretWhere) {
		if from < 1 || to < from || from > len(lines) {
			return
		}
		if to > len(lines) {
			to = len(lines)
		}
		base := sx.offset(from)
		end := sx.offset(to) + len(lines[to-1])
		text := src[base:end]
		var hs []secHit
		hs = append(hs, secScanURIs(text)...)
		hs = append(hs, secScanTextAssigns(text)...)
		for _, h := range secDropOverlaps(hs) {
			h.start += base
			h.end += base
			add(h, where)
		}
	}
	for l := range magicLine {
		if bodyFrom > 0 && l >= bodyFrom {
			continue
		}
		scanRaw(l, l, WhereMagic)
		// %env KEY VALUE (space-separated form).
	}
	for _, m := range c.Masked.Magics {
		if (m.Kind == ps.LineMagic || m.Kind == ps.Automagic) && (m.Name == "env" || m.Name == "set_env") {
			toks := MagicArgTokens(c, m)
			if len(toks) == 2 && !strings.Contains(toks[0].Text, "=") {
				class, kind := secNameClass(toks[0].Text)
				v := toks[1].Text
				if class != "" && class != "conn" && secAcceptL2(class, toks[0].Text, v) && len(secScanProviders(v)) == 0 {
					l := lines[m.Line-1]
					bs := secColByte(l, toks[1].Pos.Col)
					h := secHit{layer: LayerName, kind: kind, value: v, start: sx.offset(m.Line) + bs,
						end: sx.offset(m.Line) + bs + len(v), level: "blocker", env: secEnvName(toks[0].Text), target: toks[0].Text}
					add(h, WhereMagic)
				}
			}
		}
	}
	if bodyFrom > 0 {
		scanRaw(bodyFrom, len(lines), WhereBody)
	}
	return out
}

// secMayHold is a cheap filter: string constants shorter than any secret
// (and not concatenated or formatted) are skipped.
func secMayHold(t *ps.Tree, node ps.NodeID) bool {
	s, e := t.Span(node)
	return e-s >= 4
}

// secTextCell scans a markdown or raw cell for provider tokens.
func (n *Notebook) secTextCell(nc *notebook.Cell) []Secret {
	if nc.Source == "" {
		return nil
	}
	lines := strings.Split(nc.Source, "\n")
	var out []Secret
	sx := newSecLines(nc.Source)
	for _, h := range secScanProviders(nc.Source) {
		sl, sc := sx.pos(h.start)
		el, ec := sx.pos(h.end)
		s := Secret{Cell: nc.Index, Where: WhereText, Layer: h.layer, Kind: h.kind, EnvVar: h.env, Level: h.level,
			value: h.value, prefix: h.prefix}
		s.spans = secTextSpans(nc.Index, lines, sl, sc, h.value, h.prefix)
		s.Pos = Pos{sl, utf8.RuneCountInString(lines[sl-1][:sc]) + 1}
		s.End = Pos{el, utf8.RuneCountInString(lines[el-1][:min(ec, len(lines[el-1]))]) + 1}
		out = append(out, s)
	}
	return out
}

// secDumpsEnv reports whether a cell's source prints the environment
// (reEnvDump). The expression only matches around os.environ or on a magic
// or shell line, so only those lines are matched against it (sources with
// os.environ as a whole: its print(...) may span lines).
func secDumpsEnv(src string) bool {
	if strings.Contains(src, "environ") {
		return reEnvDump.MatchString(src)
	}
	for rest := src; rest != ""; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		l := strings.TrimLeft(line, " \t")
		if l != "" && (l[0] == '%' || l[0] == '!') && reEnvDump.MatchString(line) {
			return true
		}
	}
	return false
}

// secOutputs scans the saved outputs of a cell (NB403): L1 and URI
// credentials everywhere, the text form of L2 in outputs of cells that dump
// the environment.
func secOutputs(nc *notebook.Cell) []Secret {
	if len(nc.Outputs) == 0 {
		return nil
	}
	src := nc.Source
	envDump := secDumpsEnv(src)
	var out []Secret
	seen := map[string]bool{}
	scan := func(oi int, mime, text string) {
		if text == "" {
			return
		}
		if !envDump && !secHasLongRun(text, 16) && !strings.Contains(text, "@") && !strings.Contains(text, "=") &&
			!strings.Contains(text, "PRIVATE KEY") {
			return
		}
		var hs []secHit
		hs = append(hs, secScanProviders(text)...)
		hs = append(hs, secScanURIs(text)...)
		if envDump {
			hs = append(hs, secScanTextAssigns(text)...)
		}
		for _, h := range secDropOverlaps(hs) {
			key := mime + "\x00" + h.kind + "\x00" + h.value
			if seen[key] {
				continue
			}
			seen[key] = true
			line := 1 + strings.Count(text[:h.start], "\n")
			level := "blocker"
			if h.level == "warning" || h.level == "info" {
				level = h.level
			}
			out = append(out, Secret{Cell: nc.Index, Where: WhereOutput, Layer: h.layer, Kind: h.kind, Target: h.target,
				EnvVar: h.env, Level: level, value: h.value, prefix: h.prefix,
				Output: &SecretOutput{Index: oi, MIME: mime, Line: line}})
		}
	}
	for oi := range nc.Outputs {
		o := &nc.Outputs[oi]
		for di := range o.Data {
			d := &o.Data[di]
			if !d.Kept {
				continue
			}
			switch {
			case d.MIME == "stream", d.MIME == "text/plain", d.MIME == "application/json", d.MIME == "text/markdown",
				d.MIME == "text/latex":
				scan(oi, d.MIME, d.Text)
			case d.MIME == "text/html":
				if envDump || secHasLongRun(d.Text, 16) || strings.Contains(d.Text, "@") || strings.Contains(d.Text, "PRIVATE KEY") ||
					strings.Contains(d.Text, "sig=") || strings.Contains(d.Text, "ccountKey") || strings.Contains(d.Text, "PWD") {
					scan(oi, d.MIME, secStripHTML(d.Text))
				}
			}
		}
		if o.Type == "error" {
			tb := reANSI.ReplaceAllString(strings.Join(o.Traceback, "\n"), "")
			scan(oi, "error", tb)
			scan(oi, "error", o.EValue)
		}
		out = append(out, secMetadata(nc.Index, o.Metadata, WhereCellMeta)...)
	}
	return out
}

var htmlEntities = []struct{ from, to string }{
	{"&#x27;", "'"}, {"&#39;", "'"}, {"&quot;", `"`}, {"&#34;", `"`}, {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&nbsp;", " "},
}

// secStripHTML removes tags and decodes the common entities, keeping the
// text's length and line structure (tags become blanks).
func secStripHTML(s string) string {
	// Tags become spaces (newlines kept), byte for byte, so offsets and line
	// numbers stay those of the original text. A byte loop: a regular
	// expression here cost more than all other output scanning.
	if strings.IndexByte(s, '<') >= 0 {
		b := []byte(s)
		for i := 0; i < len(b); i++ {
			if b[i] != '<' {
				continue
			}
			j := bytes.IndexByte(b[i:], '>')
			if j < 0 {
				break
			}
			for k := i; k <= i+j; k++ {
				if b[k] != '\n' {
					b[k] = ' '
				}
			}
			i += j
		}
		s = string(b)
	}
	for _, e := range htmlEntities {
		if strings.Contains(s, e.from) {
			s = strings.ReplaceAll(s, e.from, e.to+strings.Repeat(" ", len(e.from)-len(e.to)))
		}
	}
	return s
}

// secMetadata scans the string values of notebook, cell or output metadata
// for provider tokens and URI credentials (NB403).
func secMetadata(cell int, md *notebook.Value, where SecretWhere) []Secret {
	if md == nil {
		return nil
	}
	var out []Secret
	md.Strings("", func(p, s string, _ int) {
		if len(s) < 16 {
			return
		}
		if len(s) > 4096 && !strings.ContainsAny(s, " \n") {
			return // a base64 payload, not text
		}
		hs := append(secScanProviders(s), secScanURIs(s)...)
		for _, h := range secDropOverlaps(hs) {
			out = append(out, Secret{Cell: cell, Where: where, Layer: h.layer, Kind: h.kind, EnvVar: h.env,
				Level: "blocker", value: h.value, prefix: h.prefix, MetaPath: p})
		}
	})
	return out
}

// ---------------------------------------------------------------------------
// Source spans

// secLines converts between byte offsets of a source and its lines. The
// line starts are found once per source, so converting every hit of a
// 100,000-line cell costs a binary search each, not a scan from the top.
type secLines struct {
	src    string
	starts []int // byte offset where each line starts
}

func newSecLines(src string) *secLines {
	x := &secLines{src: src, starts: make([]int, 1, strings.Count(src, "\n")+1)}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			x.starts = append(x.starts, i+1)
		}
	}
	return x
}

// pos converts a byte offset into a 1-based line and a byte column.
func (x *secLines) pos(off int) (line, bcol int) {
	if off > len(x.src) {
		off = len(x.src)
	}
	if off < 0 {
		off = 0
	}
	k := sort.Search(len(x.starts), func(k int) bool { return x.starts[k] > off }) - 1
	return k + 1, off - x.starts[k]
}

// offset is the byte offset where 1-based line starts (len(src) past the
// last line).
func (x *secLines) offset(line int) int {
	if line < 1 {
		return 0
	}
	if line > len(x.starts) {
		return len(x.src)
	}
	return x.starts[line-1]
}

// secColByte converts a 1-based code-point column into a byte offset.
func secColByte(line string, col int) int {
	b := 0
	for c := 1; c < col && b < len(line); c++ {
		_, w := utf8.DecodeRuneInString(line[b:])
		b += w
	}
	return b
}

// secTextSpans covers text starting at (line, byte column) of the cell
// source, one span per line.
func secTextSpans(cell int, lines []string, line, bcol int, text string, prefix int) []Span {
	var out []Span
	rest := text
	for l := line; l <= len(lines) && rest != ""; l++ {
		ln := lines[l-1]
		start := 0
		if l == line {
			start = bcol
		}
		if start > len(ln) {
			break
		}
		n := len(ln) - start
		if n > len(rest) {
			n = len(rest)
		}
		if n > 0 {
			p := 0
			if l == line {
				p = prefix
			}
			out = append(out, Span{Cell: cell, Line: l, Start: start, End: start + n, Prefix: p})
		}
		rest = rest[n:]
		rest = strings.TrimPrefix(rest, "\n")
	}
	return out
}

// secNodeSpans locates a secret value inside a string constant node: the
// exact characters when they appear as written in one content piece,
// otherwise every content piece of the constant (the whole literal is
// redacted).
func secNodeSpans(c *Cell, node ps.NodeID, value string, prefix int) []Span {
	t := c.Tree
	lines := c.lines()
	var contents []ps.NodeID
	var collect func(n ps.NodeID)
	collect = func(n ps.NodeID) {
		for ch := t.FirstChild(n); ch != ps.NoNode; ch = t.NextSibling(n, ch) {
			switch t.Kind(ch) {
			case ps.StringContent:
				contents = append(contents, ch)
			case ps.String, ps.ConcatenatedString:
				collect(ch)
			}
		}
	}
	collect(node)
	startOf := func(n ps.NodeID) (int, int) {
		p := c.NodePos(n)
		if p.Line < 1 || p.Line > len(lines) {
			return -1, -1
		}
		return p.Line, secColByte(lines[p.Line-1], p.Col)
	}
	for _, ct := range contents {
		txt := t.Text(ct)
		if i := strings.Index(txt, value); i >= 0 && value != "" {
			l, b := startOf(ct)
			if l < 0 {
				continue
			}
			// Move to the offset i inside the content.
			l2, b2 := l, b
			for _, r := range txt[:i] {
				if r == '\n' {
					l2++
					b2 = 0
				} else {
					b2 += utf8.RuneLen(r)
				}
			}
			return secTextSpans(c.Index, lines, l2, b2, value, prefix)
		}
	}
	var out []Span
	for k, ct := range contents {
		l, b := startOf(ct)
		if l < 0 {
			continue
		}
		p := 0
		if k == 0 && prefix > 0 && prefix <= len(value) && strings.HasPrefix(t.Text(ct), value[:prefix]) {
			p = prefix
		}
		out = append(out, secTextSpans(c.Index, lines, l, b, t.Text(ct), p)...)
	}
	return out
}

// ---------------------------------------------------------------------------
// Redacting arbitrary values

// RedactValue redacts every secret inside a value before it is printed (a
// path, URL or connection string in a message): provider tokens, URI
// passwords, connection-string passwords and keys, and secret-named URL
// query parameters.
func RedactValue(v string) string {
	hs := secScanProviders(v)
	hs = append(hs, secScanURIs(v)...)
	for _, m := range reURLSecretArg.FindAllStringSubmatchIndex(v, -1) {
		val := v[m[2]:m[3]]
		if IsPlaceholder(val) || len(val) < 6 || strings.HasPrefix(val, "<") {
			continue // "<" starts a placeholder (<your key>) or a value already redacted
		}
		hs = append(hs, secHit{kind: "token", value: val, start: m[2], end: m[3]})
	}
	hs = append(hs, secScanTextAssigns(v)...)
	hs = secDropOverlaps(hs)
	return secReplaceHits(v, hs)
}

// RedactSecrets redacts, in any text nbprod prints (a message quoting a
// magic line, a fix, a key), every secret value the notebook holds, then
// anything RedactValue recognises. Rules that quote source text should pass
// it through here; the engine can apply it to every finding as a safety net.
func (n *Notebook) RedactSecrets(text string) string {
	if text == "" {
		return text
	}
	return RedactValue(n.RedactKnownSecrets(text))
}

// RedactKnownSecrets redacts, in any text, the secret values this notebook
// holds (found in its sources, outputs and metadata). It is cheap enough
// for every finding the engine reports; RedactSecrets also looks for
// anything shaped like a secret.
func (n *Notebook) RedactKnownSecrets(text string) string {
	if text == "" {
		return text
	}
	var hs []secHit
	for _, s := range n.Secrets() {
		if len(s.value) < 4 {
			continue
		}
		for off := 0; ; {
			i := strings.Index(text[off:], s.value)
			if i < 0 {
				break
			}
			hs = append(hs, secHit{kind: s.Kind, value: s.value, start: off + i, end: off + i + len(s.value), prefix: s.prefix})
			off += i + len(s.value)
		}
	}
	if len(hs) > 0 {
		sort.SliceStable(hs, func(i, j int) bool { return hs[i].start < hs[j].start })
		text = secReplaceHits(text, secDropOverlaps(hs))
	}
	return text
}

// secReplaceHits replaces hits (byte ranges of v) with redacted forms.
func secReplaceHits(v string, hs []secHit) string {
	if len(hs) == 0 {
		return v
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].start < hs[j].start })
	var b strings.Builder
	pos := 0
	for _, h := range hs {
		if h.start < pos {
			continue
		}
		b.WriteString(v[pos:h.start])
		b.WriteString(Redact(h.kind, h.value, h.prefix))
		pos = h.end
	}
	b.WriteString(v[pos:])
	return b.String()
}

// secNameWords are substrings every secret-like name contains (the
// keywords of reSecretName and reAWSSecretName); a name with none of them
// skips the regular expressions.
var secNameWords = []string{"pas", "pwd", "secret", "token", "key", "cred", "bearer", "sas", "conn", "auth"}

func secNameCandidate(name string) bool {
	lower := strings.ToLower(name)
	for _, w := range secNameWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}
