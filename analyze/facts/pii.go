package facts

// Personal data (RULES.md §1.5, §5.1, §5.2; CONTRACT.md §5).
//
// This file finds, once per notebook:
//   - columns whose names denote personal data (PII lexicon, §5.1) or GDPR
//     Art. 9 special categories (§5.2), where they are referenced in code
//     and in the header rows of saved outputs, grouped by the frame they
//     belong to (PersonalColumn, PersonalFrame);
//   - where frames carrying such columns flow: into a model's features
//     (fit/predict) and into unmanaged sinks (to_csv, HTTP, experiment
//     trackers, LLM prompts) (PersonalFlow);
//   - personal values (emails, phones, cards, IBANs, SSNs, public IPs, dates
//     of birth, user names in paths) in saved outputs and in code
//     (PersonalValue). Their spans in code feed Sensitive(), so every
//     report redacts them.
//
// The rules NB501-NB505 and the emitter's DATA_PROTECTION.md read
// Notebook.Personal().

import (
	"html"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	ps "github.com/nbprod/nbprod/analyze/pysyntax"
)

// Entities of personal-data columns (Presidio's names where one exists).
const (
	EntityEmail          = "EMAIL_ADDRESS"
	EntityPhone          = "PHONE_NUMBER"
	EntityPerson         = "PERSON"
	EntityLocation       = "LOCATION"
	EntityDateOfBirth    = "DATE_OF_BIRTH"
	EntityNationalID     = "NATIONAL_ID"
	EntityCreditCard     = "CREDIT_CARD"
	EntityBankAccount    = "IBAN_CODE"
	EntityIPAddress      = "IP_ADDRESS"
	EntityDeviceID       = "DEVICE_ID"
	EntityPseudonymousID = "PSEUDONYMOUS_ID"
	EntityDemographic    = "DEMOGRAPHIC"
	// EntitySpecial marks GDPR Art. 9(1) special-category columns; their
	// Category names the Art. 9 category.
	EntitySpecial = "SPECIAL_CATEGORY"
)

// Art. 9(1) categories (RULES.md §5.2).
const (
	CatRacial    = "racial or ethnic origin"
	CatPolitical = "political opinions"
	CatReligious = "religious or philosophical beliefs"
	CatUnion     = "trade union membership"
	CatGenetic   = "genetic data"
	CatBiometric = "biometric data"
	CatHealth    = "health"
	CatSexLife   = "sex life or sexual orientation"
)

// piiNeed says what a generic lexicon word needs before it counts.
type piiNeed uint8

const (
	piiNeedNothing  piiNeed = iota
	piiNeedPerson           // a person context (person-entity name, person id, >= 2 strong columns)
	piiNeedDemo             // a person context or a demographic column in the same frame (race)
	piiNeedHealth           // a health context (health table name or a strong health column), or a demographic column and another health word
	piiNeedLocation         // a person context and another location column (city, lat/lon)
)

type piiLexEntry struct {
	phrase   []string
	entity   string
	category string // Art. 9 category for special entries
	needs    piiNeed
	// exact: the whole column must be the phrase (plus digits or a
	// qualifier from quals) — for short or ambiguous words (sin, pan, tel).
	exact bool
	quals map[string]bool
	// not: tokens that, anywhere in the column, make it something else
	// (phone_service, zip_file, host_address).
	not map[string]bool
}

func piiWordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Tokens that make a column an attribute of a thing rather than of a
// person (RULES.md §5.1: product_name, file_name, host_name, column_name,
// model_name, company_name, host_address, machine_age).
var piiNonPersonTokens = piiWordSet("product", "products", "item", "items", "file", "files", "filename", "path", "dir",
	"folder", "host", "hostname", "server", "column", "col", "cols", "model", "models", "company", "companies",
	"machine", "brand", "store", "shop", "vendor", "supplier", "business", "merchant", "org", "organization",
	"organisation", "team", "project", "dataset", "table", "field", "feature", "features", "variable", "var",
	"class", "label", "category", "categories", "sheet", "page", "app", "application", "package", "library",
	"module", "function", "func", "method", "repo", "branch", "bucket", "image", "img", "video", "song",
	"track", "album", "movie", "film", "book", "title", "game", "species", "breed", "plant", "animal", "pet",
	"car", "vehicle", "ship", "building", "property", "hotel", "restaurant", "airport", "station", "node",
	"network", "memory", "web", "url", "uri", "wallet", "contract", "token", "bluetooth", "ethernet", "mac",
	"ip", "email", "base", "region", "country", "state", "county", "city", "town", "district", "event", "job",
	"task", "metric", "series", "index", "key", "type", "attribute", "param", "parameter", "layer", "font",
	"color", "colour", "tag", "topic", "channel", "device", "sensor", "asset", "stock", "ticker", "symbol",
	"currency", "account", "bank", "brand", "domain", "site", "website", "venue", "school", "university",
	"hospital", "department", "dept", "unit", "ward", "tree", "loan", "policy", "plan", "product_line",
	"race", "circuit", "horse", "constructor", "league", "club", "stadium", "tournament", "player", "champion")

// Tokens that turn a column into a flag or an aggregate about personal
// data rather than the data itself (has_email, email_count, phone_service).
var piiFlagPrefix = piiWordSet("is", "has", "n", "num", "nb", "count", "total", "avg", "mean", "pct", "percent", "share")
var piiFlagSuffix = piiWordSet("count", "counts", "cnt", "rate", "ratio", "pct", "percent", "share", "flag", "len",
	"length", "missing", "null", "isnull", "isna", "present", "provided", "exists", "available", "valid",
	"verified", "nunique", "opened", "sent", "clicked", "clicks", "bounced", "optin", "opt", "subscribed",
	"unsubscribed", "campaign", "campaigns", "template", "templates", "subject", "service", "services",
	"plan", "plans", "usage", "type", "types", "domain", "provider", "format", "col", "column", "field",
	"size", "width", "height", "font", "style", "color", "icon", "button", "widget", "dtype", "col_name")

// Person-entity words (RULES.md §5.1/§1.5): a frame, variable, file or
// SQL table named after people gives its columns a person context.
var piiPersonEntityTokens = piiWordSet("customer", "customers", "user", "users", "patient", "patients", "employee",
	"employees", "client", "clients", "member", "members", "person", "persons", "people", "personnel", "staff",
	"student", "students", "pupil", "pupils", "passenger", "passengers", "applicant", "applicants",
	"voter", "voters", "citizen", "citizens", "resident", "residents", "subscriber",
	"subscribers", "contact", "contacts", "donor", "donors", "participant", "participants", "respondent",
	"respondents", "individual", "individuals", "borrower", "borrowers", "debtor", "debtors", "policyholder",
	"policyholders", "insured", "claimant", "claimants", "beneficiary", "beneficiaries", "tenant", "tenants",
	"guest", "guests", "visitor", "visitors", "shopper", "shoppers", "worker", "workers", "consumer",
	"consumers", "buyer", "buyers", "cardholder", "cardholders", "learner", "learners", "attendee",
	"attendees", "defendant", "defendants", "inmate", "inmates", "census", "payroll", "crm", "demographics",
	"demographic", "persona", "personas", "holder", "holders",
	"recipient", "recipients", "sender", "senders", "caller", "callers")

// Person-entity words that name people who are subjects of health data.
var piiHealthEntityTokens = piiWordSet("patient", "patients", "hospital", "clinic", "clinical", "medical", "health",
	"ehr", "emr", "admission", "admissions", "diagnoses", "mimic", "diabetes", "diabetic", "heart", "cancer",
	"stroke", "covid", "hiv", "disease", "diseases", "medicare", "medicaid", "healthcare", "therapy")

// Words that say a frame is about animals or plants, not people
// (penguins' sex, abalone's sex, a plant's disease).
var piiNonHumanTokens = piiWordSet("species", "breed", "island", "bill", "flipper", "penguin", "penguins", "abalone",
	"iris", "petal", "sepal", "rings", "shell", "fish", "animal", "animals", "pet", "pets", "dog", "dogs",
	"cat", "cats", "bird", "birds", "horse", "horses", "cattle", "cow", "cows", "mouse", "mice", "rat", "rats",
	"plant", "plants", "leaf", "leaves", "crop", "crops", "insect", "insects", "crab", "crabs", "mushroom",
	"mushrooms", "seed", "seeds", "tree", "trees", "wine", "flower", "flowers", "whale", "whales", "snail")

var piiLexicon = piiBuildLexicon()

func piiBuildLexicon() map[string][]piiLexEntry {
	m := map[string][]piiLexEntry{}
	add := func(e piiLexEntry) {
		m[e.phrase[0]] = append(m[e.phrase[0]], e)
	}
	phrase := func(p string) []string { return strings.Split(p, "_") }
	strong := func(entity string, ps ...string) {
		for _, p := range ps {
			add(piiLexEntry{phrase: phrase(p), entity: entity})
		}
	}
	weak := func(entity string, n piiNeed, ps ...string) {
		for _, p := range ps {
			add(piiLexEntry{phrase: phrase(p), entity: entity, needs: n})
		}
	}
	special := func(cat string, n piiNeed, ps ...string) {
		for _, p := range ps {
			add(piiLexEntry{phrase: phrase(p), entity: EntitySpecial, category: cat, needs: n})
		}
	}
	exact := func(entity string, n piiNeed, quals map[string]bool, ps ...string) {
		for _, p := range ps {
			add(piiLexEntry{phrase: phrase(p), entity: entity, needs: n, exact: true, quals: quals})
		}
	}
	// Email.
	strong(EntityEmail, "email", "e_mail", "mail_address", "email_addr", "emailaddress", "email_address",
		"emailaddr", "mail_addr")
	exact(EntityEmail, piiNeedPerson, nil, "mail")
	// Phone.
	strong(EntityPhone, "phone", "telephone", "cell_phone", "cellphone", "msisdn", "fax", "phonenumber",
		"mobile_number", "mobile_phone", "mobile_no", "contact_number", "tel_no", "telefon", "telefonnummer")
	exact(EntityPhone, piiNeedNothing, piiWordSet("no", "nr", "number", "num", "home", "work"), "tel", "mobile")
	// Person names.
	strong(EntityPerson, "first_name", "last_name", "surname", "family_name", "given_name", "full_name",
		"middle_name", "maiden_name", "firstname", "lastname", "fullname", "forename", "forenames", "surnames",
		"username", "user_name", "screen_name", "nickname", "nick_name", "vorname", "nachname")
	exact(EntityPerson, piiNeedPerson, nil, "name", "names")
	// Addresses and locations.
	strong(EntityLocation, "street_address", "home_address", "billing_address", "shipping_address",
		"mailing_address", "postal_address", "residential_address", "address_line", "street_name",
		"home_town", "hometown", "birth_place", "birthplace", "place_of_birth")
	weak(EntityLocation, piiNeedPerson, "address", "street", "house_number", "zip", "zipcode", "zip_code",
		"postcode", "post_code", "postal_code", "plz", "geo", "gps", "geolocation")
	exact(EntityLocation, piiNeedLocation, nil, "city", "latitude", "longitude", "lat", "lon", "lng")
	// Birth and age.
	strong(EntityDateOfBirth, "dob", "date_of_birth", "birth_date", "birthdate", "birthday", "birth_year",
		"year_of_birth", "birth_dt", "birthdt", "geburtsdatum", "birth_month", "month_of_birth")
	weak(EntityDateOfBirth, piiNeedPerson, "age")
	// National identifiers.
	exact(EntityNationalID, piiNeedNothing, piiWordSet("no", "nr", "number", "num", "last4", "last", "4", "masked",
		"encrypted", "hash", "hashed", "id", "code"), "ssn")
	strong(EntityNationalID, "social_security", "social_security_number", "national_id", "nino",
		"tax_id", "passport", "passport_number", "passport_no", "driver_license", "drivers_license",
		"driving_license", "driver_licence", "drivers_licence", "driving_licence", "id_card", "personalausweis",
		"steuer_id", "steuerid", "bsn", "pesel", "codice_fiscale", "aadhaar", "aadhar", "nric", "curp",
		"national_insurance_number", "sozialversicherungsnummer")
	exact(EntityNationalID, piiNeedPerson, piiWordSet("no", "nr", "number", "num", "code"), "nin", "tin", "sin")
	// Cards.
	strong(EntityCreditCard, "credit_card", "creditcard", "card_number", "cardnumber", "cc_number", "cc_num",
		"ccnum", "cvv", "cvc", "cvv2", "card_expiry", "card_exp", "card_no", "credit_card_number")
	exact(EntityCreditCard, piiNeedPerson, piiWordSet("number", "no", "num"), "pan")
	// Bank accounts.
	strong(EntityBankAccount, "iban", "account_number", "bank_account", "routing_number", "sort_code",
		"account_no", "bank_account_number", "bankaccount", "kontonummer")
	exact(EntityBankAccount, piiNeedPerson, piiWordSet("code"), "bic", "swift")
	// Online identifiers (GDPR Art. 4(1)).
	strong(EntityIPAddress, "ip_address", "ipv4", "ipv6", "client_ip", "ip_addr", "ipaddress", "remote_addr",
		"remote_ip", "source_ip", "src_ip", "user_ip")
	exact(EntityIPAddress, piiNeedNothing, piiWordSet("src", "dst", "source", "dest", "client", "user", "remote", "origin"), "ip")
	strong(EntityDeviceID, "mac_address", "imei", "idfa", "gaid", "advertising_id", "user_agent", "useragent",
		"mac_addr")
	weak(EntityDeviceID, piiNeedPerson, "device_id", "cookie_id", "session_id", "deviceid", "sessionid")
	// Demographics.
	strong(EntityDemographic, "gender", "marital_status", "maritalstatus", "nationality", "citizenship",
		"number_of_children", "marital", "geschlecht")
	exact(EntityDemographic, piiNeedNothing, piiWordSet("code", "cat", "enc", "encoded", "id", "label", "num", "binary",
		"male", "female", "mf"), "sex")
	// Art. 9 special categories (RULES.md §5.2).
	special(CatRacial, piiNeedNothing, "racial", "ethnicity", "ethnic_origin", "ethnic_group", "skin_color",
		"skin_colour", "skin_tone", "ethnic_background")
	special(CatRacial, piiNeedDemo, "ethnic")
	add(piiLexEntry{phrase: []string{"race"}, entity: EntitySpecial, category: CatRacial, needs: piiNeedDemo, exact: true,
		quals: piiWordSet("ethnicity", "ethnic", "group", "origin", "category", "cat", "code", "desc", "description",
			"recode", "of", "person", "respondent", "patient", "applicant", "defendant", "subject", "self",
			"reported", "self_reported")})
	special(CatPolitical, piiNeedNothing, "party_affiliation", "vote_intention", "political_party",
		"political_affiliation", "political_view", "political_views", "political_opinion",
		"political_orientation", "voting_intention", "political_leaning")
	special(CatPolitical, piiNeedPerson, "political", "voting", "voted_for", "vote_choice")
	special(CatReligious, piiNeedNothing, "religion", "religious", "church_tax", "kirchensteuer", "konfession",
		"religious_affiliation", "religiosity")
	special(CatReligious, piiNeedPerson, "faith", "denomination")
	special(CatUnion, piiNeedNothing, "union_member", "union_membership", "trade_union", "union_status",
		"unionized", "gewerkschaft")
	special(CatGenetic, piiNeedNothing, "genotype", "genetic_marker", "genetic_test")
	special(CatGenetic, piiNeedPerson, "genetic", "genome", "dna", "snp", "allele")
	special(CatBiometric, piiNeedNothing, "biometric", "biometrics", "face_embedding", "face_encoding",
		"iris_scan", "voiceprint", "face_template", "fingerprint_template", "retina_scan")
	special(CatBiometric, piiNeedPerson, "fingerprint", "fingerprints")
	special(CatHealth, piiNeedNothing, "diagnosis", "diagnoses", "icd", "icd10", "icd9", "icd_code", "disease",
		"medication", "medications", "prescription", "prescriptions", "disability", "disabilities", "pregnant",
		"pregnancy", "pregnancies", "hiv", "mental_health", "blood_type", "blood_group", "sick_leave",
		"heart_disease", "diagnosed", "comorbidity", "comorbidities", "illness", "chronic_disease",
		"medical_history", "medical_condition", "health_condition", "health_status", "hypertension",
		"diabetes", "diabetic", "cancer", "depression", "anxiety", "hiv_status", "vaccination_status")
	special(CatHealth, piiNeedHealth, "health", "condition", "conditions", "medical", "treatment", "bmi",
		"smoker", "smoking", "smoking_status", "symptom", "symptoms", "cholesterol", "blood_pressure",
		"glucose", "insulin", "bloodpressure", "drug_use")
	special(CatSexLife, piiNeedNothing, "sexual_orientation", "sex_life", "lgbt", "lgbtq", "sexuality",
		"sexual_preference", "sexualorientation")
	return m
}

// piiPersonIDSuffix: person-entity word + one of these is a pseudonymous id
// (customer_id, userId, patient_no).
var piiPersonIDSuffix = piiWordSet("id", "ids", "no", "nr", "number", "num", "key", "code", "uuid", "guid")

// NormalizeColumn lower-cases an identifier, splits camelCase and turns
// '-', ' ', '.' and other separators into '_' (RULES.md §5.1):
// "PatientID" → "patient_id", "e-Mail" → "e_mail".
func NormalizeColumn(s string) string {
	var b strings.Builder
	rs := []rune(strings.TrimSpace(s))
	for i, r := range rs {
		switch {
		case unicode.IsUpper(r):
			if i > 0 {
				prev := rs[i-1]
				nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
				if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
					b.WriteByte('_')
				}
			}
			b.WriteRune(unicode.ToLower(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte('_')
		}
	}
	out := b.String()
	for strings.Contains(out, "__") {
		out = strings.ReplaceAll(out, "__", "_")
	}
	return strings.Trim(out, "_")
}

// piiColumnTokens returns the tokens of a normalised column.
func piiColumnTokens(norm string) []string {
	if norm == "" {
		return nil
	}
	return strings.Split(norm, "_")
}

// piiStripDigits removes trailing digits (address1 → address) unless that
// leaves nothing.
func piiStripDigits(tok string) string {
	t := strings.TrimRightFunc(tok, unicode.IsDigit)
	if t == "" {
		return tok
	}
	return t
}

// ColumnMatch is the lexicon's reading of one column name.
type ColumnMatch struct {
	Entity   string // EntityEmail, …, EntitySpecial
	Category string // Art. 9 category for EntitySpecial
	// Weak is set for generic words (name, address, age, race, condition
	// …): they count only in a person, demographic or health context.
	Weak  bool
	needs piiNeed
}

// Special reports whether the match is a GDPR Art. 9 category.
func (m ColumnMatch) Special() bool { return m.Entity == EntitySpecial }

// MatchColumn reads a column identifier against the PII and special-
// category lexicons (RULES.md §5.1, §5.2). ok is false when the name is not
// personal data (or only a thing's attribute: product_name, file_name,
// host_address, machine_age, zip_file, phone_service).
func MatchColumn(col string) (ColumnMatch, bool) {
	norm := NormalizeColumn(col)
	toks := piiColumnTokens(norm)
	if len(toks) == 0 || len(toks) > 6 || len(norm) > 64 {
		return ColumnMatch{}, false
	}
	raw := toks
	toks = make([]string, len(raw))
	for i, t := range raw {
		if piiLexicon[t] != nil || piiPersonEntityTokens[t] {
			toks[i] = t
		} else {
			toks[i] = piiStripDigits(t)
		}
	}
	flag := piiFlagPrefix[toks[0]] || piiFlagSuffix[toks[len(toks)-1]]
	var best ColumnMatch
	bestRank, bestLen := -1, 0
	consider := func(e piiLexEntry, start int) {
		end := start + len(e.phrase)
		if e.exact {
			for i, t := range toks {
				if i >= start && i < end {
					continue
				}
				if !e.quals[t] && !piiPersonEntityTokens[t] {
					return
				}
			}
		}
		m := ColumnMatch{Entity: e.entity, Category: e.category, Weak: e.needs != piiNeedNothing, needs: e.needs}
		if !m.Special() {
			if flag {
				return
			}
			// A thing's attribute: product_name, host_address, machine_age.
			for i, t := range toks {
				if (i < start || i >= end) && piiNonPersonTokens[t] && !(e.entity == EntityEmail && t == "email") {
					if e.entity == EntityIPAddress && t == "ip" || e.entity == EntityDeviceID && t == "mac" {
						continue
					}
					return
				}
			}
		} else {
			for i, t := range toks {
				if (i < start || i >= end) && piiNonHumanTokens[t] {
					return
				}
			}
		}
		rank := 0
		switch {
		case m.Special() && !m.Weak:
			rank = 4
		case !m.Weak:
			rank = 3
		case m.Special():
			rank = 2
		default:
			rank = 1
		}
		if rank > bestRank || rank == bestRank && len(e.phrase) > bestLen {
			best, bestRank, bestLen = m, rank, len(e.phrase)
		}
	}
	for i, t := range toks {
		for _, e := range piiLexicon[t] {
			if i+len(e.phrase) > len(toks) {
				continue
			}
			ok := true
			for k, p := range e.phrase {
				if toks[i+k] != p {
					ok = false
					break
				}
			}
			if ok {
				consider(e, i)
			}
		}
	}
	// Pseudonymous ids and person names: customer_id, userId, patient_name.
	if bestRank < 3 && !flag {
		for i := 0; i+1 < len(toks); i++ {
			if !piiPersonEntityTokens[toks[i]] || toks[i] == "lead" || toks[i] == "leads" || toks[i] == "census" {
				continue
			}
			next := toks[i+1]
			switch {
			case piiPersonIDSuffix[next] && i+2 == len(toks):
				if bestRank < 1 {
					best, bestRank = ColumnMatch{Entity: EntityPseudonymousID}, 0
				}
			case (next == "name" || next == "names") && i+2 == len(toks):
				best, bestRank = ColumnMatch{Entity: EntityPerson}, 3
			}
		}
		if len(toks) == 1 && (toks[0] == "account_id") {
			best, bestRank = ColumnMatch{Entity: EntityPseudonymousID}, 0
		}
		if len(toks) == 2 && toks[0] == "account" && toks[1] == "id" {
			best, bestRank = ColumnMatch{Entity: EntityPseudonymousID}, 0
		}
	}
	if bestRank < 0 {
		return ColumnMatch{}, false
	}
	return best, true
}

// piiNameTokens splits a variable, file or table name into normalised tokens.
func piiNameTokens(s string) []string {
	return piiColumnTokens(NormalizeColumn(s))
}

// OutputPos locates something inside a saved output of a cell.
type OutputPos struct {
	Index int    // output index within the cell
	MIME  string // "text/html", "text/plain", "stream", "error", …
	Line  int    // 1-based line within that output's text
}

// PersonalColumn is one reference to a column whose name denotes personal
// or special-category data.
type PersonalColumn struct {
	Column string // as written ("Email", "first_name")
	Norm   string // normalised ("email", "first_name")
	ColumnMatch
	// Confirmed is set when the column counts: strong lexicon words always
	// (unless the frame is about animals or plants), generic words only in
	// the context they need (RULES.md §5.1). Rules report confirmed columns
	// only.
	Confirmed bool
	// Frame is the index of the frame in PersonalData.Frames (-1 when the
	// column is not tied to a frame).
	Frame int
	// Context says where the name was found: "subscript", "attribute",
	// "usecols", "columns", "names", "rename", "groupby", "merge", "sort",
	// "index", "subset", "plot", "dict-key" (DataFrame constructor, astype,
	// agg), "drop", "sql", "output-header", and "filter-literal" for a
	// filter value that reveals a special category (df[df.group ==
	// "muslim"]; Column is then the value).
	Context string
	Cell    int
	// Pos and End locate the name in the cell source (zero for outputs).
	Pos, End Pos
	// Output is set for names found in a saved output's table header.
	Output *OutputPos
}

// PersonalFrame is a frame (a DataFrame and the variables derived from it)
// holding personal-data columns.
type PersonalFrame struct {
	// Names are the variables bound to the frame or derived from it, in
	// order of appearance ("customers", "X", "X_train").
	Names []string
	// Tables are the data sources it was read from: file base names
	// ("customers.csv"), SQL tables, dataset names.
	Tables []string
	// PersonContext is set when a name or table names people (customers,
	// users, patients, …), the frame has a person id (customer_id), or it
	// has two or more distinct personal-data columns.
	PersonContext bool
	// Columns are the confirmed personal-data columns (as first written),
	// in order of appearance.
	Columns []string
}

// Name is the frame's display name: its first variable, else its first
// table.
func (f *PersonalFrame) Name() string {
	if len(f.Names) > 0 {
		return f.Names[0]
	}
	if len(f.Tables) > 0 {
		return f.Tables[0]
	}
	return ""
}

// PersonalData is the notebook's personal-data picture: columns and where
// they are, the frames that hold them, where they flow, and personal values
// found in outputs and code.
type PersonalData struct {
	Columns []PersonalColumn
	Frames  []PersonalFrame
	Flows   []PersonalFlow
	Values  []PersonalValue
	// Synthetic is set when the notebook generates fake data (Faker,
	// mimesis): values in its outputs are not reported.
	Synthetic bool
}

var personalKey = lazyKey{"personal"}

// Personal returns the notebook's personal-data facts (computed once).
func (n *Notebook) Personal() *PersonalData {
	return lazy(n, &personalKey, func() *PersonalData {
		s := newPIIState(n)
		s.run()
		return s.out
	})
}

// ---------------------------------------------------------------------
// Frames: which names hold DataFrames, where they were read from, and
// which frames derive from which (a union-find over bindings).

type piiBinding struct {
	name  string
	cell  *Cell
	order int       // position of the cell among code cells
	node  ps.NodeID // the assignment node
	value ps.NodeID // the assigned expression
	// For unpacking targets (X_train, X_test = train_test_split(X, ...)):
	// index of the target, count of targets; value is the call.
	index, count int
	frame        int // frame id, -1 when not a frame
}

type piiFrameInfo struct {
	names   []string
	tables  []string
	tokens  map[string]bool
	unknown bool // receiver never bound to a DataFrame (row["email"])
}

type piiState struct {
	n      *Notebook
	out    *PersonalData
	order  map[int]int
	binds  map[string][]*piiBinding
	calls  map[*Cell]map[ps.NodeID]*CallSite
	uf     []int
	frames []*piiFrameInfo
	free   map[string]int // frames of names with no binding (function parameters, loop variables)
	named  map[string]int // frames keyed by SQL table or receiver name
	refs   []PersonalColumn
	seen   map[string]bool // dedupe of refs: cell/pos/column
	// drops records in-place column removals per frame (del df["x"],
	// df.drop(columns=..., inplace=True), df.pop("x")), hashed the columns
	// replaced by a hash or pseudonym.
	drops      []piiDrop
	hashed     map[int]map[string]bool
	frameish   map[string]bool // names used as receivers of DataFrame methods
	fdrops     map[string][]piiStrRef
	fnames     map[string]bool // names of the notebook's functions
	frameIndex map[int]int     // internal frame root → index in out.Frames
	ctx        map[int]*piiFrameCtx
}

type piiDrop struct {
	frame int
	order int
	node  ps.NodeID
	cols  map[string]bool // normalised
}

func newPIIState(n *Notebook) *piiState {
	s := &piiState{n: n, out: &PersonalData{}, order: map[int]int{}, binds: map[string][]*piiBinding{},
		calls: map[*Cell]map[ps.NodeID]*CallSite{}, free: map[string]int{}, named: map[string]int{},
		seen: map[string]bool{}, hashed: map[int]map[string]bool{}}
	for i, c := range n.Code() {
		s.order[c.Index] = i
	}
	calls := n.Calls()
	for i := range calls {
		cs := &calls[i]
		m := s.calls[cs.Cell]
		if m == nil {
			m = map[ps.NodeID]*CallSite{}
			s.calls[cs.Cell] = m
		}
		m[cs.Node] = cs
	}
	return s
}

func (s *piiState) newFrame() int {
	s.frames = append(s.frames, &piiFrameInfo{tokens: map[string]bool{}})
	s.uf = append(s.uf, len(s.uf))
	return len(s.uf) - 1
}

func (s *piiState) find(x int) int {
	for s.uf[x] != x {
		s.uf[x] = s.uf[s.uf[x]]
		x = s.uf[x]
	}
	return x
}

func (s *piiState) union(a, b int) int {
	if a < 0 {
		return b
	}
	if b < 0 {
		return a
	}
	ra, rb := s.find(a), s.find(b)
	if ra == rb {
		return ra
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	s.uf[rb] = ra
	return ra
}

func (s *piiState) addName(f int, name string) {
	if f >= 0 && name != "" {
		s.frames[f].addLabel(&s.frames[f].names, name)
	}
}

func (s *piiState) addTable(f int, table string) {
	if f >= 0 && table != "" {
		s.frames[f].addLabel(&s.frames[f].tables, table)
	}
}

// addLabel adds a name or table the frame is known by (once) and its
// tokens.
func (fi *piiFrameInfo) addLabel(list *[]string, v string) {
	if slices.Contains(*list, v) {
		return
	}
	*list = append(*list, v)
	for _, t := range piiNameTokens(v) {
		fi.tokens[t] = true
	}
}

func (s *piiState) run() {
	s.collectBindings()
	s.classifyBindings()
	for _, c := range s.n.Code() {
		s.scanCell(c)
	}
	s.scanOutputHeaders()
	s.confirm()
	s.flows()
	s.values()
}

// collectBindings records every module-level `name = value` and unpacking
// target, in document order.
func (s *piiState) collectBindings() {
	for _, c := range s.n.Code() {
		if c.Tree == nil {
			continue
		}
		t := c.Tree
		ord := s.order[c.Index]
		for _, a := range c.Assigns() {
			if a.Name == "" || a.Function != "" || a.InClass || a.Value == ps.NoNode {
				continue
			}
			s.binds[a.Name] = append(s.binds[a.Name], &piiBinding{name: a.Name, cell: c, order: ord, node: a.Node,
				value: a.Value, index: -1, frame: -1})
		}
		par := c.Parents()
		for i := 0; i < t.Len(); i++ {
			n := ps.NodeID(i)
			if t.Kind(n) != ps.Assignment {
				continue
			}
			left := t.ChildByField(n, ps.FLeft)
			right := t.ChildByField(n, ps.FRight)
			if left == ps.NoNode || right == ps.NoNode {
				continue
			}
			switch t.Kind(left) {
			case ps.PatternList, ps.TuplePattern, ps.ListPattern, ps.Tuple, ps.ExpressionList, ps.List:
			default:
				continue
			}
			if piiInFunction(t, par, n) {
				continue
			}
			elems := t.NamedChildren(left, nil)
			for k, e := range elems {
				if t.Kind(e) != ps.Identifier {
					continue
				}
				name := pyName(t.Text(e))
				s.binds[name] = append(s.binds[name], &piiBinding{name: name, cell: c, order: ord, node: n,
					value: right, index: k, count: len(elems), frame: -1})
			}
		}
	}
	for name, bs := range s.binds {
		sort.SliceStable(bs, func(i, j int) bool {
			if bs[i].order != bs[j].order {
				return bs[i].order < bs[j].order
			}
			return bs[i].node < bs[j].node
		})
		s.binds[name] = bs
	}
}

func piiInFunction(t *ps.Tree, par []ps.NodeID, n ps.NodeID) bool {
	for p := par[n]; p != ps.NoNode; p = par[p] {
		switch t.Kind(p) {
		case ps.FunctionDefinition, ps.Lambda, ps.ClassDefinition:
			return true
		}
	}
	return false
}

// resolve returns the binding of name that reaches node in cell c
// (document order), or nil.
func (s *piiState) resolve(name string, c *Cell, node ps.NodeID) *piiBinding {
	bs := s.binds[name]
	ord, ok := s.order[c.Index]
	if !ok {
		return nil
	}
	for i := len(bs) - 1; i >= 0; i-- {
		b := bs[i]
		if b.order > ord {
			continue
		}
		if b.order == ord {
			if node == ps.NoNode || b.node >= node || c.Tree.Contains(b.node, node) {
				continue
			}
		}
		return b
	}
	return nil
}

// frameOfName returns the frame a name holds at node (-1 when unknown).
func (s *piiState) frameOfName(name string, c *Cell, node ps.NodeID) int {
	if b := s.resolve(name, c, node); b != nil {
		if b.frame >= 0 {
			return s.find(b.frame)
		}
		return -1
	}
	if f, ok := s.free[name]; ok {
		return s.find(f)
	}
	return -1
}

var piiReaderMethods = piiWordSet("read_csv", "read_excel", "read_table", "read_json", "read_parquet", "read_feather",
	"read_pickle", "read_sql", "read_sql_query", "read_sql_table", "read_stata", "read_sas", "read_spss",
	"read_orc", "read_fwf", "read_html", "read_xml", "read_hdf", "read_gbq", "read_clipboard")

var piiFrameMethods = piiWordSet("groupby", "iloc", "loc", "dropna", "fillna", "merge", "pivot_table", "to_csv",
	"to_excel", "describe", "isnull", "isna", "iterrows", "itertuples", "drop_duplicates", "sort_values",
	"reset_index", "set_index", "query", "assign", "astype", "nunique", "value_counts", "select_dtypes",
	"to_parquet", "to_json", "melt", "pivot", "columns", "dtypes", "info", "head", "sample", "rename", "drop",
	"corr", "explode", "to_dict", "apply", "applymap", "agg", "aggregate", "join", "iat", "at")

// piiNotFrameRoots are receivers whose string subscripts are settings, not
// data columns.
var piiNotFrameRoots = piiWordSet("os", "environ", "config", "cfg", "conf", "settings", "params", "args", "kwargs",
	"options", "opts", "headers", "secrets", "st", "userdata", "sys", "argv", "env", "creds", "credentials",
	"auth", "smtp", "msg", "message", "request", "globals", "locals", "self", "cls", "plt", "mpl", "rcParams",
	"np", "json", "yaml", "toml", "hparams", "hyperparams", "CONFIG", "SETTINGS", "PARAMS", "kw", "context",
	"ctx", "session", "app", "form", "cookies", "meta", "metadata", "schema", "mapping", "labels", "label_map",
	"templates", "template", "response", "resp", "font", "style", "colors", "palette", "layout", "fig", "ax")

// callOf returns the call site of a Call node.
func (s *piiState) callOf(c *Cell, n ps.NodeID) *CallSite {
	if m := s.calls[c]; m != nil {
		return m[n]
	}
	return nil
}

// piiFrameRoot returns the name a frame expression is rooted in, going through
// attributes, subscripts and method calls: df.dropna()["x"] → df.
func piiFrameRoot(t *ps.Tree, n ps.NodeID) (string, ps.NodeID) {
	for depth := 0; n != ps.NoNode && depth < 64; depth++ {
		switch t.Kind(n) {
		case ps.Attribute:
			n = t.ChildByField(n, ps.FObject)
		case ps.Subscript:
			n = t.ChildByField(n, ps.FValue)
		case ps.ParenthesizedExpression:
			n = t.FirstNamed(n)
		case ps.Call:
			fn := t.ChildByField(n, ps.FFunction)
			if fn == ps.NoNode || t.Kind(fn) != ps.Attribute {
				return "", ps.NoNode
			}
			n = t.ChildByField(fn, ps.FObject)
		case ps.Identifier:
			return pyName(t.Text(n)), n
		default:
			return "", ps.NoNode
		}
	}
	return "", ps.NoNode
}

// exprFrame returns the frame an expression is rooted in (-1 if none).
func (s *piiState) exprFrame(c *Cell, n ps.NodeID) int {
	name, at := piiFrameRoot(c.Tree, n)
	if name == "" {
		return -1
	}
	return s.frameOfName(name, c, at)
}

// classifyBindings decides, in document order, which bindings hold
// DataFrames and links derived frames to their sources.
func (s *piiState) classifyBindings() {
	var all []*piiBinding
	for _, bs := range s.binds {
		all = append(all, bs...)
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].order != all[j].order {
			return all[i].order < all[j].order
		}
		if all[i].node != all[j].node {
			return all[i].node < all[j].node
		}
		return all[i].index < all[j].index
	})
	for _, b := range all {
		f := s.classify(b)
		if f >= 0 {
			b.frame = f
			s.addName(s.find(f), b.name)
		}
	}
	// Names used like DataFrames without a binding nbprod can see
	// (function parameters, loop variables, names from %store).
	s.frameish = map[string]bool{}
	for _, c := range s.n.Code() {
		for i := range s.calls[c] {
			cs := s.calls[c][i]
			if cs.Receiver == "" || !piiFrameMethods[cs.Method] || cs.ReceiverNode == ps.NoNode {
				continue
			}
			k := c.Tree.Kind(cs.ReceiverNode)
			if k == ps.Subscript && cs.Method != "get" && !piiNotFrameRoots[cs.Receiver] {
				if v := c.Tree.ChildByField(cs.ReceiverNode, ps.FValue); v != ps.NoNode && c.Tree.Kind(v) == ps.Identifier {
					s.frameish[cs.Receiver] = true // df["x"].value_counts()
				}
			}
			if k != ps.Identifier {
				continue
			}
			if !piiNotFrameRoots[cs.Receiver] {
				s.frameish[cs.Receiver] = true
			}
			if _, ok := s.free[cs.Receiver]; ok || len(s.binds[cs.Receiver]) > 0 || piiNotFrameRoots[cs.Receiver] {
				continue
			}
			f := s.newFrame()
			s.free[cs.Receiver] = f
			s.addName(f, cs.Receiver)
		}
	}
}

// classify returns the frame a binding holds (-1 when not a DataFrame).
func (s *piiState) classify(b *piiBinding) int {
	c := b.cell
	t := c.Tree
	v := b.value
	for t.Kind(v) == ps.ParenthesizedExpression {
		v = t.FirstNamed(v)
	}
	if b.index >= 0 {
		// Unpacking: X_train, X_test, y_train, y_test = train_test_split(X, y).
		switch t.Kind(v) {
		case ps.Call:
			cs := s.callOf(c, v)
			if cs == nil {
				return -1
			}
			if cs.Method == "train_test_split" || cs.Method == "random_split" {
				if a := cs.Positional(b.index / 2); a != ps.NoNode {
					if f := s.exprFrame(c, a); f >= 0 {
						return f
					}
				}
				return -1
			}
			f := -1
			for _, a := range cs.Args {
				f = s.union(f, s.exprFrame(c, a.Node))
			}
			if f < 0 && cs.ReceiverNode != ps.NoNode {
				f = s.exprFrame(c, cs.ReceiverNode)
			}
			return f
		case ps.Tuple, ps.ExpressionList:
			el := t.NamedChildren(v, nil)
			if b.index < len(el) {
				return s.exprFrame(c, el[b.index])
			}
		}
		return -1
	}
	switch t.Kind(v) {
	case ps.Call:
		cs := s.callOf(c, v)
		if cs == nil {
			return -1
		}
		if src, ok := s.frameSource(cs); ok {
			f := s.newFrame()
			for _, tb := range src {
				s.addTable(f, tb)
			}
			return f
		}
		if cs.ReceiverNode != ps.NoNode {
			if f := s.exprFrame(c, cs.ReceiverNode); f >= 0 {
				if piiNonFrameResult[cs.Method] {
					return -1
				}
				return f
			}
		}
		// pd.concat([a, b]), pd.merge(a, b), pd.get_dummies(df), and the
		// notebook's own helpers: df = clean(df), X = preprocess(train).
		own := cs.ReceiverNode == ps.NoNode && s.notebookFunc(cs.Callee)
		if strings.HasPrefix(cs.Qual, "pandas.") || cs.Method == "fit_transform" || cs.Method == "transform" ||
			cs.Method == "get_dummies" || cs.Method == "concat" || cs.Method == "merge" || own {
			f := -1
			for _, a := range cs.Args {
				if a.Name != "" && a.Name != "data" && a.Name != "objs" && a.Name != "left" && a.Name != "right" {
					continue
				}
				an := a.Node
				if t.Kind(an) == ps.List || t.Kind(an) == ps.Tuple {
					for _, e := range t.NamedChildren(an, nil) {
						f = s.union(f, s.exprFrame(c, e))
					}
					continue
				}
				f = s.union(f, s.exprFrame(c, an))
			}
			return f
		}
	case ps.Subscript, ps.Attribute, ps.Identifier:
		return s.exprFrame(c, v)
	}
	return -1
}

// notebookFunc reports whether a function of that name is defined in the
// notebook.
func (s *piiState) notebookFunc(name string) bool {
	if name == "" || strings.Contains(name, ".") {
		return false
	}
	if s.fnames == nil {
		s.fnames = map[string]bool{}
		for _, c := range s.n.Code() {
			for _, f := range c.Functions {
				s.fnames[f.Name] = true
			}
		}
	}
	return s.fnames[name]
}

// funcDrops returns the constant columns a notebook function drops in its
// body (drop(columns=…), drop([...], axis=1), pop, del df[...]).
func (s *piiState) funcDrops(name string) []piiStrRef {
	if r, ok := s.fdrops[name]; ok {
		return r
	}
	var out []piiStrRef
	for _, c := range s.n.Code() {
		t := c.Tree
		if t == nil {
			continue
		}
		for _, f := range c.Functions {
			if f.Name != name || f.Node == ps.NoNode {
				continue
			}
			t.Descendants(f.Node, func(d ps.NodeID) bool {
				switch t.Kind(d) {
				case ps.Call:
					cs := s.callOf(c, d)
					if cs == nil || cs.ReceiverNode == ps.NoNode {
						return true
					}
					switch cs.Method {
					case "drop":
						if a := cs.Keyword("columns"); a != ps.NoNode {
							out = append(out, s.constStrings(c, a, 0)...)
						} else if piiIsColumnAxis(t, cs.Keyword("axis")) {
							out = append(out, s.constStrings(c, cs.Arg(0, "labels"), 0)...)
						} else if a := cs.Positional(1); a != ps.NoNode && piiIsColumnAxis(t, a) {
							out = append(out, s.constStrings(c, cs.Positional(0), 0)...)
						}
					case "pop":
						out = append(out, s.constStrings(c, cs.Positional(0), 0)...)
					}
				case ps.DeleteStatement:
					t.Descendants(d, func(x ps.NodeID) bool {
						if t.Kind(x) == ps.Subscript {
							out = append(out, s.constStrings(c, t.ChildByField(x, ps.FSubscript), 0)...)
							return false
						}
						return true
					})
					return false
				}
				return true
			})
		}
	}
	if s.fdrops == nil {
		s.fdrops = map[string][]piiStrRef{}
	}
	s.fdrops[name] = out
	return out
}

// piiNonFrameResult are frame methods whose result is not a frame of the same
// rows (scalars, file writes, plots).
var piiNonFrameResult = piiWordSet("to_csv", "to_excel", "to_json", "to_parquet", "to_pickle", "to_sql", "to_clipboard",
	"to_feather", "to_html", "tolist", "plot", "hist", "boxplot", "nunique", "mean", "sum", "median", "std",
	"min", "max", "count", "any", "all", "idxmax", "idxmin", "item", "keys", "__len__")

// frameSource recognises calls that create a DataFrame from data and
// returns the names of the sources they read (file base names, SQL
// tables, dataset names).
func (s *piiState) frameSource(cs *CallSite) ([]string, bool) {
	c := cs.Cell
	t := c.Tree
	q := cs.Qual
	switch {
	case piiReaderMethods[cs.Method] && (strings.HasPrefix(q, "pandas.") || strings.HasPrefix(q, "pd.") ||
		strings.HasPrefix(q, "modin.") || strings.HasPrefix(q, "polars.") || strings.HasPrefix(q, "dask.") ||
		strings.HasPrefix(q, "cudf.") || cs.Receiver == "pd"):
		var tables []string
		a := cs.Arg(0, "filepath_or_buffer")
		if a == ps.NoNode {
			a = cs.Arg(0, "io")
		}
		if a == ps.NoNode {
			a = cs.Arg(0, "sql")
		}
		if a != ps.NoNode {
			f := s.n.Fold(c, a)
			if strings.HasPrefix(cs.Method, "read_sql") || strings.HasPrefix(cs.Method, "read_gbq") {
				tables = append(tables, piiSqlTables(f.Value)...)
				if len(tables) == 0 && f.Value != "" && !strings.ContainsAny(f.Value, " \n") {
					tables = append(tables, f.Value)
				}
			} else if f.Value != "" {
				tables = append(tables, piiBaseName(f.Value))
			}
		}
		return tables, true
	case q == "pandas.DataFrame" || q == "pd.DataFrame" || q == "polars.DataFrame" || cs.Callee == "DataFrame" ||
		q == "pandas.json_normalize" || q == "pandas.DataFrame.from_dict" || q == "pandas.DataFrame.from_records":
		return nil, true
	case q == "seaborn.load_dataset" || q == "sns.load_dataset" || q == "vega_datasets.data" ||
		strings.HasSuffix(q, "datasets.load_dataset"):
		if a := cs.Positional(0); a != ps.NoNode {
			if v, ok := StringValue(t, a); ok {
				return []string{v}, true
			}
		}
		return nil, true
	case cs.Method == "toPandas" || cs.Method == "to_pandas" || cs.Method == "to_dataframe" || cs.Method == "as_dataframe":
		return nil, true
	}
	// Spark: spark.read.csv(path), spark.read.format(..).load(path),
	// spark.table("db.users"), spark.sql("SELECT ...").
	callee := cs.Callee
	if strings.Contains(callee, ".read.") || strings.HasPrefix(callee, "spark.") || strings.Contains(callee, "sqlContext.") {
		switch cs.Method {
		case "csv", "json", "parquet", "orc", "load", "table", "jdbc", "text":
			var tables []string
			if a := cs.Positional(0); a != ps.NoNode {
				f := s.n.Fold(c, a)
				if f.Value != "" {
					tables = append(tables, piiBaseName(f.Value))
				}
			}
			return tables, true
		case "sql":
			var tables []string
			if a := cs.Positional(0); a != ps.NoNode {
				tables = piiSqlTables(s.n.Fold(c, a).Value)
			}
			return tables, true
		}
	}
	return nil, false
}

// piiBaseName returns the last path element without its extensions
// ("data/customers_2023.csv.gz" → "customers_2023").
func piiBaseName(p string) string {
	p = strings.TrimRight(p, `/\`)
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		p = p[i+1:]
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if i := strings.IndexByte(p, '.'); i > 0 {
		p = p[:i]
	}
	return p
}

// ---------------------------------------------------------------------
// Column references in code.

// piiStrRef is a string constant with the node it was written as (possibly in
// another cell, for a feature list bound in an earlier cell).
type piiStrRef struct {
	value string
	cell  *Cell
	node  ps.NodeID
}

// constStrings returns the string constants of a column selector: a
// string, a list/tuple/set of strings, `a + b` of lists, or a name bound to
// one of those.
func (s *piiState) constStrings(c *Cell, n ps.NodeID, depth int) []piiStrRef {
	if n == ps.NoNode || depth > 6 {
		return nil
	}
	t := c.Tree
	switch t.Kind(n) {
	case ps.String, ps.ConcatenatedString:
		if v, ok := StringValue(t, n); ok {
			return []piiStrRef{{v, c, n}}
		}
	case ps.List, ps.Tuple, ps.Set:
		var out []piiStrRef
		for _, e := range t.NamedChildren(n, nil) {
			if k := t.Kind(e); k == ps.String || k == ps.ConcatenatedString {
				if v, ok := StringValue(t, e); ok {
					out = append(out, piiStrRef{v, c, e})
				}
			}
		}
		return out
	case ps.ParenthesizedExpression:
		return s.constStrings(c, t.FirstNamed(n), depth+1)
	case ps.BinaryOperator:
		if t.Text(t.ChildByField(n, ps.FOperator)) == "+" {
			return append(s.constStrings(c, t.ChildByField(n, ps.FLeft), depth+1),
				s.constStrings(c, t.ChildByField(n, ps.FRight), depth+1)...)
		}
	case ps.Identifier:
		if b := s.resolve(pyName(t.Text(n)), c, n); b != nil && b.index < 0 {
			switch b.cell.Tree.Kind(b.value) {
			case ps.List, ps.Tuple, ps.String, ps.ConcatenatedString, ps.BinaryOperator, ps.Set:
				return s.constStrings(b.cell, b.value, depth+1)
			}
		}
	}
	return nil
}

// piiDictKeys returns the string keys of a dict display (and the values for
// rename mappings when values is set).
func piiDictKeys(c *Cell, n ps.NodeID, values bool) []piiStrRef {
	t := c.Tree
	if n == ps.NoNode || t.Kind(n) != ps.Dictionary {
		return nil
	}
	var out []piiStrRef
	for _, p := range t.NamedChildren(n, nil) {
		if t.Kind(p) != ps.Pair {
			continue
		}
		for _, f := range []ps.Field{ps.FKey, ps.FValue} {
			if f == ps.FValue && !values {
				continue
			}
			k := t.ChildByField(p, f)
			if v, ok := StringValue(t, k); ok && k != ps.NoNode {
				out = append(out, piiStrRef{v, c, k})
			}
		}
	}
	return out
}

func (s *piiState) addRef(f int, r piiStrRef, context string) {
	if r.cell == nil || r.cell.Tree == nil {
		return
	}
	v := strings.TrimSpace(r.value)
	if v == "" || len(v) > 64 || strings.ContainsAny(v, "\n{}%/\\") {
		return
	}
	m, ok := MatchColumn(v)
	if !ok {
		return
	}
	key := strconv.Itoa(r.cell.Index) + ":" + strconv.Itoa(int(r.node)) + ":" + strconv.Itoa(f)
	if s.seen[key] {
		return
	}
	s.seen[key] = true
	s.refs = append(s.refs, PersonalColumn{Column: v, Norm: NormalizeColumn(v), ColumnMatch: m, Frame: f,
		Context: context, Cell: r.cell.Index, Pos: r.cell.NodePos(r.node), End: r.cell.NodeEnd(r.node)})
}

// namedFrame returns the frame keyed by a receiver or table name that no
// DataFrame binding explains (row["email"], SQL tables).
func (s *piiState) namedFrame(key, display string, unknown bool) int {
	if f, ok := s.named[key]; ok {
		return s.find(f)
	}
	f := s.newFrame()
	s.named[key] = f
	s.frames[f].unknown = unknown
	if strings.HasPrefix(key, "sql:") {
		s.addTable(f, display)
	} else {
		s.addName(f, display)
	}
	return f
}

// receiverFrame returns the frame of a subscript or method receiver; for a
// name that is not a known DataFrame, a frame of its own (unknown), or -1
// for settings objects (os.environ, config, …).
func (s *piiState) receiverFrame(c *Cell, recv ps.NodeID) int {
	name, at := piiFrameRoot(c.Tree, recv)
	if name == "" {
		return -1
	}
	if f := s.frameOfName(name, c, at); f >= 0 {
		return f
	}
	if piiNotFrameRoots[name] || strings.HasPrefix(name, "_") {
		return -1
	}
	if b := s.resolve(name, c, at); b != nil && b.index < 0 {
		// Bound to something that is not a frame: a dict of settings, a
		// module, a string.
		switch b.cell.Tree.Kind(b.value) {
		case ps.String, ps.ConcatenatedString, ps.Integer, ps.Float, ps.True, ps.False, ps.None, ps.Lambda:
			return -1
		}
	}
	if _, ok := s.n.ImportOf(c.Index, name); ok {
		return -1
	}
	if s.frameish[name] {
		// Used like a DataFrame (df.groupby, df.drop, …) where nbprod
		// cannot see its binding: a function parameter, a loop variable.
		return s.namedFrame("free:"+name, name, false)
	}
	return s.namedFrame("name:"+name, name, true)
}

var piiLocAttrs = piiWordSet("loc", "at", "iloc", "iat", "ix")

func (s *piiState) scanCell(c *Cell) {
	if c.Tree == nil || c.Language != "python" {
		switch c.Language {
		case "sql", "bigquery", "sparksql", "spark_sql", "snowflake", "duckdb":
			lines := strings.SplitN(c.NB.Source, "\n", 2)
			if len(lines) == 2 {
				s.sqlText(c, lines[1], 2, 1)
			}
		}
		return
	}
	for _, m := range c.Masked.Magics {
		if (m.Kind == ps.LineMagic || m.Kind == ps.MagicAssign) && m.Name == "sql" && m.Args != "" {
			s.sqlText(c, m.Args, m.Line, 0)
		}
	}
	t := c.Tree
	par := c.Parents()
	for i := 0; i < t.Len(); i++ {
		n := ps.NodeID(i)
		switch t.Kind(n) {
		case ps.Subscript:
			s.subscriptRef(c, n, par)
		case ps.Attribute:
			s.attributeRef(c, n, par)
		case ps.Call:
			s.callRefs(c, n, par)
		case ps.String, ps.ConcatenatedString:
			if p := par[n]; p != ps.NoNode && t.Kind(p) == ps.ConcatenatedString {
				continue
			}
			s.sqlString(c, n, par)
		case ps.DeleteStatement:
			for _, e := range t.NamedChildren(n, nil) {
				targets := []ps.NodeID{e}
				if k := t.Kind(e); k == ps.ExpressionList || k == ps.Tuple {
					targets = t.NamedChildren(e, nil)
				}
				for _, x := range targets {
					if t.Kind(x) != ps.Subscript {
						continue
					}
					f := s.receiverFrame(c, t.ChildByField(x, ps.FValue))
					cols := s.constStrings(c, t.ChildByField(x, ps.FSubscript), 0)
					s.addDrop(f, c, n, cols)
				}
			}
		case ps.Assignment:
			s.hashAssign(c, n)
			s.columnsAssign(c, n)
		case ps.ComparisonOperator:
			s.filterLiteral(c, n)
		}
	}
}

// subscriptRef handles df["col"], df[["a", "b"]], df.loc[:, "col"].
func (s *piiState) subscriptRef(c *Cell, n ps.NodeID, par []ps.NodeID) {
	t := c.Tree
	v := t.ChildByField(n, ps.FValue)
	if v == ps.NoNode {
		return
	}
	var subs []ps.NodeID
	for ch := t.FirstChild(n); ch != ps.NoNode; ch = t.NextSibling(n, ch) {
		if t.FieldOf(ch) == ps.FSubscript {
			subs = append(subs, ch)
		}
	}
	recv := v
	if t.Kind(v) == ps.Attribute {
		if a := t.ChildByField(v, ps.FAttribute); a != ps.NoNode && piiLocAttrs[t.Text(a)] {
			if t.Text(a) == "iloc" || t.Text(a) == "iat" {
				return
			}
			recv = t.ChildByField(v, ps.FObject)
			// df.loc[rows, cols]: only the second selector names columns.
			if len(subs) < 2 {
				return
			}
			subs = subs[1:2]
		}
	}
	if len(subs) != 1 {
		return
	}
	cols := s.constStrings(c, subs[0], 0)
	if len(cols) == 0 {
		return
	}
	f := s.receiverFrame(c, recv)
	if f < 0 {
		return
	}
	for _, r := range cols {
		s.addRef(f, r, "subscript")
	}
}

// piiPandasAttrs are DataFrame attributes that are never columns.
var piiPandasAttrs = piiWordSet("shape", "columns", "index", "values", "dtypes", "T", "size", "ndim", "empty", "loc",
	"iloc", "at", "iat", "str", "dt", "cat", "plot", "style", "name", "array", "axes", "attrs", "flags")

// attributeRef handles df.col on names bound to DataFrames.
func (s *piiState) attributeRef(c *Cell, n ps.NodeID, par []ps.NodeID) {
	t := c.Tree
	obj := t.ChildByField(n, ps.FObject)
	attr := t.ChildByField(n, ps.FAttribute)
	if obj == ps.NoNode || attr == ps.NoNode || t.Kind(obj) != ps.Identifier {
		return
	}
	if p := par[n]; p != ps.NoNode && t.Kind(p) == ps.Call && t.ChildByField(p, ps.FFunction) == n {
		return
	}
	name := t.Text(attr)
	if piiPandasAttrs[name] || piiFrameMethods[name] {
		return
	}
	f := s.frameOfName(pyName(t.Text(obj)), c, obj)
	if f < 0 || s.frames[f].unknown {
		return
	}
	s.addRef(f, piiStrRef{name, c, attr}, "attribute")
}

// assignedFrame returns the frame of the binding a call is the value of
// (df = pd.read_csv(...)), or -1.
func (s *piiState) assignedFrame(c *Cell, call ps.NodeID, par []ps.NodeID) int {
	t := c.Tree
	p := par[call]
	for p != ps.NoNode && t.Kind(p) == ps.ParenthesizedExpression {
		p = par[p]
	}
	if p == ps.NoNode || t.Kind(p) != ps.Assignment {
		return -1
	}
	left := t.ChildByField(p, ps.FLeft)
	if left == ps.NoNode || t.Kind(left) != ps.Identifier {
		return -1
	}
	for _, b := range s.binds[pyName(t.Text(left))] {
		if b.cell == c && b.node == p {
			if b.frame >= 0 {
				return s.find(b.frame)
			}
			return -1
		}
	}
	return -1
}

var piiPlotKeywords = []string{"x", "y", "hue", "col", "row", "size", "style", "color", "facet_col", "facet_row",
	"z", "symbol", "text", "names", "values"}

func (s *piiState) callRefs(c *Cell, n ps.NodeID, par []ps.NodeID) {
	cs := s.callOf(c, n)
	if cs == nil {
		return
	}
	t := c.Tree
	kw := func(f int, ctx string, names ...string) {
		for _, name := range names {
			if a := cs.Keyword(name); a != ps.NoNode {
				for _, r := range s.constStrings(c, a, 0) {
					s.addRef(f, r, ctx)
				}
			}
		}
	}
	if _, ok := s.frameSource(cs); ok {
		f := s.assignedFrame(c, n, par)
		if f < 0 {
			f = s.namedFrame("call:"+strconv.Itoa(c.Index)+":"+strconv.Itoa(int(n)), "", false)
		}
		kw(f, "usecols", "usecols")
		kw(f, "names", "names")
		kw(f, "columns", "columns", "index_col", "parse_dates")
		if d := cs.Arg(0, "data"); d != ps.NoNode && (strings.HasSuffix(cs.Qual, "DataFrame") || strings.HasSuffix(cs.Callee, "DataFrame")) {
			switch t.Kind(d) {
			case ps.Dictionary:
				for _, r := range piiDictKeys(c, d, false) {
					s.addRef(f, r, "dict-key")
				}
			case ps.List:
				for _, e := range t.NamedChildren(d, nil) {
					for _, r := range piiDictKeys(c, e, false) {
						s.addRef(f, r, "dict-key")
					}
				}
			}
		}
		return
	}
	// Module functions taking a frame first: pd.merge, pd.get_dummies,
	// pd.pivot_table, pd.melt, and seaborn/plotly plots with data=.
	if cs.ReceiverNode != ps.NoNode && (strings.HasPrefix(cs.Qual, "pandas.") || strings.HasPrefix(cs.Qual, "seaborn.") ||
		strings.HasPrefix(cs.Qual, "plotly.express.") || strings.HasPrefix(cs.Qual, "sns.") || strings.HasPrefix(cs.Qual, "px.")) {
		d := cs.Arg(0, "data")
		if d == ps.NoNode {
			d = cs.Keyword("data_frame")
		}
		if d == ps.NoNode {
			d = cs.Keyword("left")
		}
		f := -1
		if d != ps.NoNode {
			f = s.exprFrame(c, d)
		}
		if f < 0 {
			return
		}
		switch cs.Method {
		case "merge", "merge_asof", "merge_ordered":
			kw(f, "merge", "on", "left_on", "right_on", "by")
		case "get_dummies":
			kw(f, "columns", "columns")
		case "pivot_table", "pivot", "crosstab", "melt":
			kw(f, "columns", "index", "columns", "values", "id_vars", "value_vars")
		default:
			if !strings.HasPrefix(cs.Qual, "pandas.") {
				kw(f, "plot", piiPlotKeywords...)
			}
		}
		return
	}
	if cs.ReceiverNode == ps.NoNode {
		return
	}
	var f int
	switch cs.Method {
	case "groupby", "sort_values", "set_index", "drop", "merge", "join", "pivot_table", "pivot", "drop_duplicates",
		"dropna", "rename", "astype", "agg", "aggregate", "fillna", "filter", "melt", "pop", "plot", "value_counts",
		"nlargest", "nsmallest", "get", "duplicated", "reindex", "select", "withColumn", "withColumnRenamed",
		"orderBy", "groupBy", "sort", "scatter", "hist", "boxplot", "explode", "unstack":
		f = s.receiverFrame(c, cs.ReceiverNode)
		if f < 0 {
			return
		}
		// Only known frames (or Spark-style methods on unknown names).
		if s.frames[f].unknown && !piiFrameMethods[cs.Method] {
			return
		}
	default:
		return
	}
	first := func(ctx, name string) {
		if a := cs.Arg(0, name); a != ps.NoNode {
			for _, r := range s.constStrings(c, a, 0) {
				s.addRef(f, r, ctx)
			}
		}
	}
	switch cs.Method {
	case "groupby", "groupBy":
		first("groupby", "by")
	case "sort_values", "orderBy", "sort":
		first("sort", "by")
	case "set_index":
		first("index", "keys")
	case "drop":
		var cols []piiStrRef
		if a := cs.Keyword("columns"); a != ps.NoNode {
			cols = s.constStrings(c, a, 0)
		} else if piiIsColumnAxis(t, cs.Keyword("axis")) {
			cols = s.constStrings(c, cs.Arg(0, "labels"), 0)
		} else if a := cs.Positional(1); a != ps.NoNode && piiIsColumnAxis(t, a) {
			cols = s.constStrings(c, cs.Positional(0), 0)
		}
		for _, r := range cols {
			s.addRef(f, r, "drop")
		}
		if piiKwTrue(t, cs.Keyword("inplace")) {
			s.addDrop(f, c, n, cols)
		}
	case "pop":
		cols := s.constStrings(c, cs.Positional(0), 0)
		for _, r := range cols {
			s.addRef(f, r, "drop")
		}
		s.addDrop(f, c, n, cols)
	case "merge", "join":
		kw(f, "merge", "on", "left_on", "right_on")
	case "pivot_table", "pivot", "melt":
		kw(f, "columns", "index", "columns", "values", "id_vars", "value_vars")
	case "drop_duplicates", "dropna", "duplicated", "value_counts":
		kw(f, "subset", "subset")
		if cs.Method == "drop_duplicates" || cs.Method == "value_counts" {
			first("subset", "subset")
		}
	case "rename", "withColumnRenamed":
		if cs.Method == "withColumnRenamed" {
			first("rename", "")
			if a := cs.Positional(1); a != ps.NoNode {
				for _, r := range s.constStrings(c, a, 0) {
					s.addRef(f, r, "rename")
				}
			}
			break
		}
		d := cs.Keyword("columns")
		if d == ps.NoNode && piiIsColumnAxis(t, cs.Keyword("axis")) {
			d = cs.Arg(0, "mapper")
		}
		if d != ps.NoNode && t.Kind(d) == ps.Identifier {
			if b := s.resolve(pyName(t.Text(d)), c, d); b != nil && b.index < 0 {
				for _, r := range piiDictKeys(b.cell, b.value, true) {
					s.addRef(f, r, "rename")
				}
			}
		}
		for _, r := range piiDictKeys(c, d, true) {
			s.addRef(f, r, "rename")
		}
	case "astype", "agg", "aggregate", "fillna":
		for _, r := range piiDictKeys(c, cs.Positional(0), false) {
			s.addRef(f, r, "dict-key")
		}
	case "filter":
		kw(f, "columns", "items")
	case "nlargest", "nsmallest":
		kw(f, "columns", "columns")
	case "get":
		first("subscript", "key")
	case "select", "withColumn":
		for _, a := range cs.Args {
			if a.Name == "" {
				for _, r := range s.constStrings(c, a.Node, 0) {
					s.addRef(f, r, "columns")
				}
			}
		}
	case "plot", "scatter", "hist", "boxplot":
		kw(f, "plot", "x", "y", "by", "column", "c", "s")
	}
}

func piiIsColumnAxis(t *ps.Tree, n ps.NodeID) bool {
	if n == ps.NoNode {
		return false
	}
	switch t.Kind(n) {
	case ps.Integer:
		return t.Text(n) == "1"
	case ps.String:
		v, _ := StringValue(t, n)
		return v == "columns"
	}
	return false
}

func piiKwTrue(t *ps.Tree, n ps.NodeID) bool {
	return n != ps.NoNode && t.Kind(n) == ps.True
}

func (s *piiState) addDrop(f int, c *Cell, n ps.NodeID, cols []piiStrRef) {
	if f < 0 || len(cols) == 0 {
		return
	}
	d := piiDrop{frame: f, order: s.order[c.Index], node: n, cols: map[string]bool{}}
	for _, r := range cols {
		d.cols[NormalizeColumn(r.value)] = true
	}
	s.drops = append(s.drops, d)
}

// columnsAssign records df.columns = ["name", "email", …].
func (s *piiState) columnsAssign(c *Cell, n ps.NodeID) {
	t := c.Tree
	left, right := t.ChildByField(n, ps.FLeft), t.ChildByField(n, ps.FRight)
	if left == ps.NoNode || right == ps.NoNode || t.Kind(left) != ps.Attribute {
		return
	}
	if a := t.ChildByField(left, ps.FAttribute); a == ps.NoNode || t.Text(a) != "columns" {
		return
	}
	f := s.receiverFrame(c, t.ChildByField(left, ps.FObject))
	if f < 0 {
		return
	}
	for _, r := range s.constStrings(c, right, 0) {
		s.addRef(f, r, "columns")
	}
}

// piiSpecialValues are filter values that reveal a special category
// whatever the column is called (df[df.group == "muslim"]). Only
// unambiguous words: "black", "asian" or "party" are not here.
var piiSpecialValues = map[string]string{
	"muslim": CatReligious, "christian": CatReligious, "catholic": CatReligious, "protestant": CatReligious,
	"jewish": CatReligious, "hindu": CatReligious, "buddhist": CatReligious, "sikh": CatReligious,
	"atheist": CatReligious, "islam": CatReligious, "judaism": CatReligious,
	"gay": CatSexLife, "lesbian": CatSexLife, "bisexual": CatSexLife, "homosexual": CatSexLife,
	"heterosexual": CatSexLife, "transgender": CatSexLife,
	"hispanic": CatRacial, "latino": CatRacial, "latina": CatRacial, "caucasian": CatRacial,
	"african american": CatRacial, "african-american": CatRacial,
	"hiv": CatHealth, "hiv positive": CatHealth, "aids": CatHealth, "diabetic": CatHealth,
	"schizophrenia": CatHealth, "depression": CatHealth, "pregnant": CatHealth,
}

// filterLiteral records `frame[col] == "muslim"` filters whose values
// reveal a special category (RULES.md §1.5, NB502 "filter literals").
func (s *piiState) filterLiteral(c *Cell, n ps.NodeID) {
	t := c.Tree
	ops := t.NamedChildren(n, nil)
	if len(ops) != 2 {
		return
	}
	for k, lit := range ops {
		v, ok := StringValue(t, lit)
		if !ok {
			continue
		}
		cat, ok := piiSpecialValues[strings.ToLower(strings.TrimSpace(v))]
		if !ok {
			continue
		}
		other := ops[1-k]
		if kd := t.Kind(other); kd != ps.Subscript && kd != ps.Attribute {
			continue
		}
		f := s.exprFrame(c, other)
		if f < 0 {
			continue
		}
		key := strconv.Itoa(c.Index) + ":lit:" + strconv.Itoa(int(lit))
		if s.seen[key] {
			continue
		}
		s.seen[key] = true
		s.refs = append(s.refs, PersonalColumn{Column: v, Norm: NormalizeColumn(v),
			ColumnMatch: ColumnMatch{Entity: EntitySpecial, Category: cat}, Frame: f, Context: "filter-literal",
			Cell: c.Index, Pos: c.NodePos(lit), End: c.NodeEnd(lit)})
	}
}

// piiHashCall reports whether an expression names a hashing or masking
// step: hash, sha1/sha256/sha_, md5, blake, pseudonym, anonymise/anonymize,
// encrypt, mask, redact, tokenise_pii/tokenize_pii, scramble (any case).
func piiHashCall(expr string) bool {
	l := asciiLower(expr)
	return hasShaDigit(l) || containsFold(l, "hash", "sha_", "md5", "blake", "pseudonym", "anonymis", "anonymiz", "encrypt",
		"mask", "redact", "tokenise_pii", "tokenize_pii", "scramble")
}

// hashAssign records df["email"] = <hash of it>: a pseudonymised column
// (NB504's "hashed → negative").
func (s *piiState) hashAssign(c *Cell, n ps.NodeID) {
	t := c.Tree
	left, right := t.ChildByField(n, ps.FLeft), t.ChildByField(n, ps.FRight)
	if left == ps.NoNode || right == ps.NoNode || t.Kind(left) != ps.Subscript {
		return
	}
	if !piiHashCall(t.Text(right)) {
		return
	}
	var cols []piiStrRef
	for ch := t.FirstChild(left); ch != ps.NoNode; ch = t.NextSibling(left, ch) {
		if t.FieldOf(ch) == ps.FSubscript {
			cols = append(cols, s.constStrings(c, ch, 0)...)
		}
	}
	f := s.receiverFrame(c, t.ChildByField(left, ps.FValue))
	if f < 0 {
		return
	}
	for _, r := range cols {
		m := s.hashed[f]
		if m == nil {
			m = map[string]bool{}
			s.hashed[f] = m
		}
		m[NormalizeColumn(r.value)] = true
	}
}

// ---------------------------------------------------------------------
// SQL: SELECT column lists and FROM/JOIN tables.

var piiSqlStart = regexp.MustCompile(`(?is)^\s*\(?\s*(?:select|with|insert|create|explain)\b`)
var piiSqlWord = regexp.MustCompile("[A-Za-z_][A-Za-z0-9_$]*|\"[^\"\n]{1,64}\"|`[^`\n]{1,64}`|\\[[^\\]\n]{1,64}\\]")

var piiSqlKeywords = piiWordSet("select", "distinct", "all", "as", "from", "where", "case", "when", "then", "else", "end",
	"and", "or", "not", "null", "is", "in", "cast", "over", "partition", "by", "order", "top", "asc", "desc",
	"like", "between", "true", "false", "interval", "date", "timestamp", "on", "using", "limit", "group",
	"having", "union", "join", "left", "right", "inner", "outer", "cross", "full", "with", "into", "values",
	"int", "integer", "varchar", "string", "float", "double", "numeric", "decimal", "bigint", "text", "char",
	"boolean", "current_date", "current_timestamp", "filter", "rows", "range", "preceding", "following",
	"unbounded", "current", "row", "nulls", "first", "last", "exists", "any", "some", "escape", "ilike")

type piiSqlCol struct {
	name string
	off  int // byte offset in the text
}

// piiSqlColumns returns the identifiers of the SELECT lists of a SQL text
// (aliases included, functions, table qualifiers and keywords left out).
func piiSqlColumns(text string) []piiSqlCol {
	lower := strings.ToLower(text)
	var out []piiSqlCol
	pos := 0
	for guard := 0; guard < 64; guard++ {
		i := piiIndexWord(lower, "select", pos)
		if i < 0 {
			break
		}
		start := i + len("select")
		depth := 0
		end := -1
		for j := start; j < len(lower); j++ {
			switch lower[j] {
			case '(':
				depth++
			case ')':
				depth--
			case '\'':
				if k := strings.IndexByte(lower[j+1:], '\''); k >= 0 {
					j += k + 1
				}
			}
			if depth < 0 {
				end = j
				break
			}
			if depth == 0 && strings.HasPrefix(lower[j:], "from") && piiIsWordAt(lower, j, 4) {
				end = j
				break
			}
		}
		if end < 0 {
			end = len(lower)
		}
		list := text[start:end]
		for _, m := range piiSqlWord.FindAllStringIndex(list, -1) {
			w := list[m[0]:m[1]]
			lw := strings.ToLower(w)
			if piiSqlKeywords[lw] {
				continue
			}
			rest := strings.TrimLeft(list[m[1]:], " \t\n")
			if strings.HasPrefix(rest, "(") || strings.HasPrefix(rest, ".") {
				continue // function call or table qualifier
			}
			if m[0] > 0 && (list[m[0]-1] == '\'' || list[m[0]-1] == ':' || list[m[0]-1] == '@') {
				continue // string literal or bind parameter
			}
			name := strings.Trim(w, "\"`[]")
			out = append(out, piiSqlCol{name, start + m[0]})
		}
		pos = start
	}
	return out
}

// piiSqlTables returns the last name part of each table after FROM and JOIN.
func piiSqlTables(text string) []string {
	lower := strings.ToLower(text)
	var out []string
	for _, kw := range []string{"from", "join", "into", "update"} {
		pos := 0
		for guard := 0; guard < 64; guard++ {
			i := piiIndexWord(lower, kw, pos)
			if i < 0 {
				break
			}
			pos = i + len(kw)
			rest := strings.TrimLeft(text[pos:], " \t\n")
			m := piiSqlTableRe.FindString(rest)
			if m == "" {
				continue
			}
			parts := strings.Split(m, ".")
			name := strings.Trim(parts[len(parts)-1], "\"`[]")
			if name != "" && !piiSqlKeywords[strings.ToLower(name)] {
				out = append(out, name)
			}
		}
	}
	return out
}

var piiSqlTableRe = regexp.MustCompile("^(?:[A-Za-z_][A-Za-z0-9_$-]*|\"[^\"]+\"|`[^`]+`|\\[[^\\]]+\\])(?:\\.(?:[A-Za-z_][A-Za-z0-9_$-]*|\"[^\"]+\"|`[^`]+`|\\[[^\\]]+\\]))*")

func piiIsWordAt(s string, i, n int) bool {
	if i > 0 && piiIsIdentByte(s[i-1]) {
		return false
	}
	if i+n < len(s) && piiIsIdentByte(s[i+n]) {
		return false
	}
	return true
}

func piiIsIdentByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// piiIndexWord finds word (lower case) as a whole word in s from pos.
func piiIndexWord(s, word string, pos int) int {
	for pos <= len(s) {
		i := strings.Index(s[pos:], word)
		if i < 0 {
			return -1
		}
		i += pos
		if piiIsWordAt(s, i, len(word)) {
			return i
		}
		pos = i + 1
	}
	return -1
}

// sqlString scans a string constant in code for SQL.
func (s *piiState) sqlString(c *Cell, n ps.NodeID, par []ps.NodeID) {
	t := c.Tree
	text := t.Text(n)
	if len(text) < 12 || !strings.Contains(strings.ToLower(text), "select") {
		return
	}
	v, ok := StringValue(t, n)
	if !ok {
		v = s.n.Fold(c, n).Value
	}
	if !piiSqlStart.MatchString(v) {
		return
	}
	cols := piiSqlColumns(v)
	if len(cols) == 0 {
		return
	}
	tables := piiSqlTables(v)
	// The frame the query result is bound to: df = pd.read_sql(<here>, con).
	f := -1
	for p := par[n]; p != ps.NoNode; p = par[p] {
		if t.Kind(p) == ps.Call {
			f = s.assignedFrame(c, p, par)
			break
		}
		if k := t.Kind(p); k != ps.ArgumentList && k != ps.KeywordArgument && k != ps.ParenthesizedExpression &&
			k != ps.BinaryOperator && k != ps.ConcatenatedString {
			break
		}
	}
	if f < 0 {
		// query = "SELECT ..." then pd.read_sql(query, con): group by table.
		key, disp := "sql:", "query"
		if len(tables) > 0 {
			key, disp = "sql:"+strings.ToLower(tables[0]), tables[0]
		}
		f = s.namedFrame(key, disp, false)
	}
	for _, tb := range tables {
		s.addTable(f, tb)
	}
	for _, col := range cols {
		pos, end := piiStringOffsetPos(c, n, col.off, len(col.name), ok)
		s.addSQLRef(f, c, col.name, pos, end, strconv.Itoa(int(n))+"/"+strconv.Itoa(col.off))
	}
}

// sqlText scans SQL outside Python syntax (%%sql cells, %sql lines).
// line/col give where text starts in the cell (col 0: unknown column).
func (s *piiState) sqlText(c *Cell, text string, line, col int) {
	if !piiSqlStart.MatchString(text) {
		return
	}
	cols := piiSqlColumns(text)
	if len(cols) == 0 {
		return
	}
	tables := piiSqlTables(text)
	key, disp := "sql:", "query"
	if len(tables) > 0 {
		key, disp = "sql:"+strings.ToLower(tables[0]), tables[0]
	}
	f := s.namedFrame(key, disp, false)
	for _, tb := range tables {
		s.addTable(f, tb)
	}
	for _, cl := range cols {
		before := text[:cl.off]
		l := line + strings.Count(before, "\n")
		cc := 1
		if k := strings.LastIndexByte(before, '\n'); k >= 0 {
			cc = utf8.RuneCountInString(before[k+1:]) + 1
		} else if col > 0 {
			cc = col + utf8.RuneCountInString(before)
		}
		pos := Pos{l, cc}
		s.addSQLRef(f, c, cl.name, pos, Pos{l, cc + utf8.RuneCountInString(cl.name)}, "raw/"+strconv.Itoa(line)+"/"+strconv.Itoa(cl.off))
	}
}

func (s *piiState) addSQLRef(f int, c *Cell, name string, pos, end Pos, id string) {
	m, ok := MatchColumn(name)
	if !ok {
		return
	}
	key := strconv.Itoa(c.Index) + ":sql:" + id
	if s.seen[key] {
		return
	}
	s.seen[key] = true
	s.refs = append(s.refs, PersonalColumn{Column: name, Norm: NormalizeColumn(name), ColumnMatch: m, Frame: f,
		Context: "sql", Cell: c.Index, Pos: pos, End: end})
}

// piiStringOffsetPos maps a byte offset in a string literal's value to a cell
// position. exact is false when the value is not the literal's text (an
// f-string or escapes): the literal's start is returned then.
func piiStringOffsetPos(c *Cell, n ps.NodeID, off, length int, exact bool) (Pos, Pos) {
	t := c.Tree
	start, end := c.NodePos(n), c.NodeEnd(n)
	if !exact || t.Kind(n) != ps.String {
		return start, end
	}
	text := t.Text(n)
	prefix := 0
	var content strings.Builder
	for ch := t.FirstChild(n); ch != ps.NoNode; ch = t.NextSibling(n, ch) {
		switch t.Kind(ch) {
		case ps.StringStart:
			prefix = len(t.Text(ch))
		case ps.StringContent:
			content.WriteString(t.Text(ch))
		case ps.EscapeSequence, ps.Interpolation:
			return start, end
		}
	}
	raw := content.String()
	if strings.Contains(raw, `\`) || off+length > len(raw) || prefix+off+length > len(text) {
		return start, end
	}
	before := text[:prefix+off]
	word := text[prefix+off : prefix+off+length]
	p := Pos{start.Line + strings.Count(before, "\n"), 0}
	if k := strings.LastIndexByte(before, '\n'); k >= 0 {
		p.Col = utf8.RuneCountInString(before[k+1:]) + 1
	} else {
		p.Col = start.Col + utf8.RuneCountInString(before)
	}
	return p, Pos{p.Line, p.Col + utf8.RuneCountInString(word)}
}

// ---------------------------------------------------------------------
// Header rows of saved outputs.

var (
	piiHtmlTheadRe = regexp.MustCompile(`(?is)<thead\b[^>]*>(.*?)</thead>`)
	piiHtmlTrRe    = regexp.MustCompile(`(?is)<tr\b[^>]*>(.*?)</tr>`)
	piiHtmlThRe    = regexp.MustCompile(`(?is)<th\b[^>]*>(.*?)</th>`)
	piiHtmlTagRe   = regexp.MustCompile(`(?s)<[^>]*>`)
	piiTwoSpaces   = regexp.MustCompile(`\s{2,}`)
)

// piiHeaderCell is one column name found in an output header.
type piiHeaderCell struct {
	name string
	line int // 1-based line in the output text
}

// piiHtmlHeader returns the column names of the first HTML table's header row.
func piiHtmlHeader(text string) []piiHeaderCell {
	start := strings.Index(text, "<table")
	if start < 0 {
		if start = strings.Index(text, "<TABLE"); start < 0 {
			return nil
		}
	}
	body := text[start:]
	// Only the header row matters: cut at the end of <thead>, else of the
	// first row.
	end := strings.Index(body, "</thead>")
	if end < 0 {
		end = strings.Index(body, "</tr>")
	}
	if end >= 0 && end+len("</thead>") <= len(body) {
		body = body[:end+len("</thead>")]
	}
	if len(body) > 50_000 {
		body = body[:50_000]
	}
	base := start
	row, rowAt := "", -1
	if m := piiHtmlTheadRe.FindStringSubmatchIndex(body); m != nil {
		if tr := piiHtmlTrRe.FindStringSubmatchIndex(body[m[2]:m[3]]); tr != nil {
			row, rowAt = body[m[2]+tr[2]:m[2]+tr[3]], m[2]+tr[2]
		}
	} else if tr := piiHtmlTrRe.FindStringSubmatchIndex(body); tr != nil {
		row, rowAt = body[tr[2]:tr[3]], tr[2]
	}
	if rowAt < 0 {
		return nil
	}
	var out []piiHeaderCell
	for _, th := range piiHtmlThRe.FindAllStringSubmatchIndex(row, -1) {
		name := strings.TrimSpace(html.UnescapeString(piiHtmlTagRe.ReplaceAllString(row[th[2]:th[3]], "")))
		if name == "" {
			continue
		}
		at := base + rowAt + th[0]
		out = append(out, piiHeaderCell{name, 1 + strings.Count(text[:at], "\n")})
	}
	if len(out) < 2 {
		return nil // not a data table header
	}
	return out
}

// piiTextHeader returns the column names of pandas-style text tables: a
// header line indented over the index column, followed by rows that start
// with their index label.
func piiTextHeader(text string) []piiHeaderCell {
	if len(text) > 200_000 {
		text = text[:200_000]
	}
	lines := strings.Split(text, "\n")
	var out []piiHeaderCell
	for k := 0; k+1 < len(lines) && k < 400; k++ {
		if k > 0 && strings.TrimSpace(lines[k-1]) != "" {
			continue // blocks start at the top and after blank lines
		}
		h := strings.TrimRight(lines[k], " \\")
		if h == "" || (h[0] != ' ' && h[0] != '\t') {
			continue
		}
		fields := piiTwoSpaces.Split(strings.TrimSpace(h), -1)
		if len(fields) < 2 {
			continue
		}
		ok := false
		for j := k + 1; j < len(lines) && j <= k+2; j++ {
			r := lines[j]
			if r == "" || r[0] == ' ' || r[0] == '\t' {
				continue
			}
			if len(strings.Fields(r)) >= len(fields) {
				ok = true
				break
			}
		}
		if !ok {
			continue
		}
		for _, f := range fields {
			out = append(out, piiHeaderCell{f, k + 1})
		}
	}
	return out
}

// piiDisplayedName returns the name whose value a cell displays: the root of
// its last expression statement (df.head(), display(df), print(df.head())).
func piiDisplayedName(c *Cell) (string, ps.NodeID) {
	t := c.Tree
	if t == nil {
		return "", ps.NoNode
	}
	root := t.Root()
	last := ps.NoNode
	for ch := t.FirstChild(root); ch != ps.NoNode; ch = t.NextSibling(root, ch) {
		if t.Kind(ch) != ps.Comment {
			last = ch
		}
	}
	if last == ps.NoNode || t.Kind(last) != ps.ExpressionStatement {
		return "", ps.NoNode
	}
	e := t.FirstNamed(last)
	if e != ps.NoNode && t.Kind(e) == ps.Call {
		if fn := t.ChildByField(e, ps.FFunction); t.Kind(fn) == ps.Identifier {
			switch t.Text(fn) {
			case "display", "print":
				if args := t.ChildByField(e, ps.FArguments); args != ps.NoNode {
					e = t.FirstNamed(args)
				}
			}
		}
	}
	return piiFrameRoot(t, e)
}

func (s *piiState) scanOutputHeaders() {
	for _, c := range s.n.Code() {
		if len(c.NB.Outputs) == 0 {
			continue
		}
		f := -1
		if name, _ := piiDisplayedName(c); name != "" {
			if b := s.resolve(name, c, ps.NodeID(c.Tree.Len())); b != nil && b.frame >= 0 {
				f = s.find(b.frame)
			} else if ff, ok := s.free[name]; ok {
				f = s.find(ff)
			}
		}
		for oi := range c.NB.Outputs {
			o := &c.NB.Outputs[oi]
			if o.Type == "error" {
				continue
			}
			var cells []piiHeaderCell
			mime := ""
			if txt, ok := o.Text("text/html"); ok {
				cells, mime = piiHtmlHeader(txt), "text/html"
			}
			if len(cells) == 0 {
				for _, m := range []string{"text/plain", "stream"} {
					if txt, ok := o.Text(m); ok {
						if cells = piiTextHeader(txt); len(cells) > 0 {
							mime = m
							break
						}
					}
				}
			}
			if len(cells) == 0 {
				continue
			}
			of := f
			if of < 0 {
				of = s.namedFrame("out:"+strconv.Itoa(c.Index)+":"+strconv.Itoa(oi), "", false)
			}
			for _, h := range cells {
				m, ok := MatchColumn(h.name)
				if !ok {
					continue
				}
				s.refs = append(s.refs, PersonalColumn{Column: h.name, Norm: NormalizeColumn(h.name), ColumnMatch: m,
					Frame: of, Context: "output-header", Cell: c.Index,
					Output: &OutputPos{Index: oi, MIME: mime, Line: h.line}})
			}
		}
	}
}

// ---------------------------------------------------------------------
// Context: which columns count.

type piiFrameCtx struct {
	person, demo, health, nonHuman bool
	healthWeak, location           map[string]bool
}

func (s *piiState) confirm() {
	byFrame := map[int][]int{}
	for i := range s.refs {
		f := s.refs[i].Frame
		if f >= 0 {
			f = s.find(f)
			s.refs[i].Frame = f
		}
		byFrame[f] = append(byFrame[f], i)
	}
	ctx := map[int]*piiFrameCtx{}
	for f, idx := range byFrame {
		fc := &piiFrameCtx{healthWeak: map[string]bool{}, location: map[string]bool{}}
		ctx[f] = fc
		strong := map[string]bool{}
		if f >= 0 {
			for tok := range s.frames[f].tokens {
				if piiPersonEntityTokens[tok] {
					fc.person = true
				}
				if piiHealthEntityTokens[tok] {
					fc.health = true
				}
				if piiNonHumanTokens[tok] {
					fc.nonHuman = true
				}
			}
		}
		for _, i := range idx {
			r := &s.refs[i]
			if r.Context == "drop" {
				// A dropped column still says what the data holds.
			}
			for _, tok := range piiColumnTokens(r.Norm) {
				if piiNonHumanTokens[tok] {
					fc.nonHuman = true
				}
			}
			switch {
			case r.Entity == EntityPseudonymousID:
				fc.person = true
			case !r.Weak:
				strong[r.Norm] = true
				if r.Entity == EntityDemographic || r.Entity == EntityDateOfBirth {
					fc.demo = true
				}
				if r.Special() && r.Category == CatHealth {
					fc.health = true
				}
			case r.needs == piiNeedHealth:
				fc.healthWeak[r.Norm] = true
			case r.needs == piiNeedLocation || r.Entity == EntityLocation:
				fc.location[r.Norm] = true
			}
		}
		if len(strong) >= 2 {
			fc.person = true
		}
		if fc.person {
			fc.demo = true
		}
	}
	for i := range s.refs {
		r := &s.refs[i]
		fc := ctx[r.Frame]
		if fc == nil {
			continue
		}
		needs := r.needs
		if r.Frame >= 0 && s.frames[r.Frame].unknown && needs == piiNeedNothing {
			// row["email"] on a name that is not a DataFrame: JSON from an
			// API, a settings dict. Only in a person context.
			needs = piiNeedPerson
		}
		switch {
		case fc.nonHuman:
			r.Confirmed = false
		case needs == piiNeedNothing:
			r.Confirmed = true
		case needs == piiNeedPerson:
			r.Confirmed = fc.person
		case needs == piiNeedDemo:
			r.Confirmed = fc.demo
		case needs == piiNeedHealth:
			r.Confirmed = fc.health || (fc.demo && len(fc.healthWeak) >= 2)
		case needs == piiNeedLocation:
			r.Confirmed = fc.person && len(fc.location) >= 2
		}
	}
	sort.SliceStable(s.refs, func(i, j int) bool {
		a, b := &s.refs[i], &s.refs[j]
		if a.Cell != b.Cell {
			return a.Cell < b.Cell
		}
		if (a.Output == nil) != (b.Output == nil) {
			return a.Output == nil
		}
		if a.Output != nil && a.Output.Index != b.Output.Index {
			return a.Output.Index < b.Output.Index
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
	// Publish frames that hold personal-data references.
	index := map[int]int{}
	for i := range s.refs {
		r := &s.refs[i]
		f := r.Frame
		if f < 0 {
			continue
		}
		k, ok := index[f]
		if !ok {
			fi := s.frames[f]
			k = len(s.out.Frames)
			index[f] = k
			s.out.Frames = append(s.out.Frames, PersonalFrame{Names: append([]string(nil), fi.names...),
				Tables: append([]string(nil), fi.tables...), PersonContext: ctx[f] != nil && ctx[f].person})
		}
		if r.Confirmed {
			pf := &s.out.Frames[k]
			dup := false
			for _, c := range pf.Columns {
				if NormalizeColumn(c) == r.Norm {
					dup = true
				}
			}
			if !dup {
				pf.Columns = append(pf.Columns, r.Column)
			}
		}
	}
	s.frameIndex = index
	s.ctx = ctx
	s.out.Columns = make([]PersonalColumn, len(s.refs))
	for i, r := range s.refs {
		if r.Frame >= 0 {
			r.Frame = index[r.Frame]
		}
		s.out.Columns[i] = r
	}
}

// piiConfirmMatch applies the context guard to a column match in a frame.
func piiConfirmMatch(m ColumnMatch, fc *piiFrameCtx) bool {
	if fc == nil {
		return m.needs == piiNeedNothing
	}
	switch {
	case fc.nonHuman:
		return false
	case m.needs == piiNeedNothing:
		return true
	case m.needs == piiNeedPerson:
		return fc.person
	case m.needs == piiNeedDemo:
		return fc.demo
	case m.needs == piiNeedHealth:
		return fc.health || (fc.demo && len(fc.healthWeak) >= 2)
	case m.needs == piiNeedLocation:
		return fc.person && len(fc.location) >= 2
	}
	return false
}

// ---------------------------------------------------------------------
// Flows: personal columns reaching a model (NB504) or an unmanaged sink
// (NB505).

// PersonalFlow is a frame carrying personal-data columns that reaches a
// model's features or leaves the notebook.
type PersonalFlow struct {
	// Kind is "feature" (the X of fit/fit_transform/partial_fit/train/
	// predict) or "export" (a file writer, an HTTP request, an experiment
	// tracker table, an LLM prompt).
	Kind string
	// Sink names the call: "fit", "predict", "to_csv", "requests.post",
	// "wandb.Table", "mlflow.log_table", "llm-prompt".
	Sink     string
	Cell     int
	Pos, End Pos
	// Frame is the index in PersonalData.Frames (-1 when the columns were
	// selected from a frame without personal references of its own).
	Frame int
	// Variable is the expression's root variable ("X_train", "customers").
	Variable string
	// Columns are the personal-data columns that flow (as written), and
	// Entities their entities (parallel slices).
	Columns  []string
	Entities []string
	// Special is set when an Art. 9 special-category column flows.
	Special bool
	// Inferred is set when the column set is not written out (X = df,
	// df.drop(columns=[target])): the columns are those referenced by name
	// on that frame and not dropped or hashed before.
	Inferred bool
	// Target is the folded path or URL of a file write ("" when unknown),
	// TargetComplete whether it was folded completely.
	Target         string
	TargetComplete bool
}

type piiColSet struct {
	frame    int
	explicit bool
	cols     []string
	dropped  map[string]bool
	ok       bool
}

func (cs piiColSet) drop(cols []piiStrRef) piiColSet {
	d := map[string]bool{}
	for k := range cs.dropped {
		d[k] = true
	}
	for _, r := range cols {
		d[NormalizeColumn(r.value)] = true
	}
	cs.dropped = d
	return cs
}

var piiSameColumnMethods = piiWordSet("copy", "fillna", "dropna", "astype", "reset_index", "sort_values", "sample", "head",
	"tail", "query", "to_numpy", "rename", "replace", "apply", "applymap", "set_index", "sort_index", "round",
	"clip", "abs", "interpolate", "ffill", "bfill", "infer_objects", "convert_dtypes", "assign", "merge", "join",
	"drop_duplicates", "where", "mask", "transform_columns", "compute", "collect", "toPandas", "to_pandas",
	"cache", "persist", "withColumn", "na", "dropDuplicates", "as_matrix", "to_numpy", "reindex", "sort")

var piiArrayFuncs = piiWordSet("get_dummies", "array", "asarray", "asanyarray", "tensor", "as_tensor", "from_numpy",
	"DMatrix", "Dataset", "Pool", "FloatTensor", "Tensor", "TensorDataset", "csr_matrix", "ascontiguousarray",
	"fit_transform", "transform", "convert_to_tensor", "constant", "from_pandas", "TabularDataset")

// eval computes the column set an expression carries.
func (s *piiState) eval(c *Cell, n ps.NodeID, depth int) piiColSet {
	if n == ps.NoNode || c.Tree == nil || depth > 16 {
		return piiColSet{}
	}
	t := c.Tree
	switch t.Kind(n) {
	case ps.ParenthesizedExpression:
		return s.eval(c, t.FirstNamed(n), depth+1)
	case ps.Identifier:
		name := pyName(t.Text(n))
		b := s.resolve(name, c, n)
		if b == nil {
			if f, ok := s.free[name]; ok {
				return piiColSet{frame: s.find(f), ok: true}
			}
			return piiColSet{}
		}
		var r piiColSet
		if b.index >= 0 {
			if b.frame < 0 {
				return piiColSet{}
			}
			cs := s.callOf(b.cell, b.value)
			switch {
			case cs == nil:
			case cs.Method == "train_test_split":
				if a := cs.Positional(b.index / 2); a != ps.NoNode {
					r = s.eval(b.cell, a, depth+1)
				}
			case cs.ReceiverNode == ps.NoNode && s.notebookFunc(cs.Callee):
				// train, valid, test = split(df): each part has the
				// frame's columns minus what the helper drops.
				r = s.eval(b.cell, b.value, depth+1)
			}
		} else {
			r = s.eval(b.cell, b.value, depth+1)
			if !r.ok && b.frame >= 0 && b.cell.Tree.Kind(b.value) == ps.Call {
				// A frame read or built here (pd.read_csv, pd.DataFrame):
				// all of its columns.
				if cs := s.callOf(b.cell, b.value); cs != nil {
					if _, src := s.frameSource(cs); src {
						r = piiColSet{frame: s.find(b.frame), ok: true}
					}
				}
			}
		}
		if !r.ok {
			return r
		}
		// In-place drops between the binding and this use.
		use := s.order[c.Index]
		for _, d := range s.drops {
			if s.find(d.frame) != r.frame || d.order > use || d.order < b.order {
				continue
			}
			if d.order == b.order && d.node < b.node || d.order == use && d.node > n {
				continue
			}
			for k := range d.cols {
				if r.dropped == nil {
					r.dropped = map[string]bool{}
				} else if len(r.dropped) > 0 {
					cp := map[string]bool{}
					for x := range r.dropped {
						cp[x] = true
					}
					r.dropped = cp
				}
				r.dropped[k] = true
			}
		}
		return r
	case ps.Subscript:
		v := t.ChildByField(n, ps.FValue)
		var subs []ps.NodeID
		for ch := t.FirstChild(n); ch != ps.NoNode; ch = t.NextSibling(n, ch) {
			if t.FieldOf(ch) == ps.FSubscript {
				subs = append(subs, ch)
			}
		}
		if t.Kind(v) == ps.Attribute {
			if a := t.ChildByField(v, ps.FAttribute); a != ps.NoNode && piiLocAttrs[t.Text(a)] {
				obj := t.ChildByField(v, ps.FObject)
				if (t.Text(a) == "loc" || t.Text(a) == "at") && len(subs) == 2 {
					if cols := s.constStrings(c, subs[1], 0); len(cols) > 0 {
						return s.explicit(c, obj, cols, depth)
					}
				}
				return s.eval(c, obj, depth+1)
			}
		}
		if len(subs) == 1 {
			if cols := s.constStrings(c, subs[0], 0); len(cols) > 0 {
				return s.explicit(c, v, cols, depth)
			}
		}
		return s.eval(c, v, depth+1)
	case ps.Attribute:
		obj := t.ChildByField(n, ps.FObject)
		attr := t.Text(t.ChildByField(n, ps.FAttribute))
		switch attr {
		case "values", "T", "data", "array":
			return s.eval(c, obj, depth+1)
		}
		if !piiPandasAttrs[attr] && !piiFrameMethods[attr] {
			base := s.eval(c, obj, depth+1)
			if base.ok && base.frame >= 0 {
				return piiColSet{frame: base.frame, explicit: true, cols: []string{attr}, dropped: base.dropped, ok: true}
			}
		}
		return piiColSet{}
	case ps.Call:
		cs := s.callOf(c, n)
		if cs == nil {
			return piiColSet{}
		}
		module := false
		if cs.ReceiverNode != ps.NoNode && t.Kind(cs.ReceiverNode) == ps.Identifier {
			_, module = s.n.ImportOf(c.Index, cs.Receiver) // pd.concat, np.array
		}
		if cs.ReceiverNode != ps.NoNode && !module && !piiArrayFuncs[cs.Method] {
			switch {
			case cs.Method == "drop":
				base := s.eval(c, cs.ReceiverNode, depth+1)
				if !base.ok {
					return base
				}
				var cols []piiStrRef
				if a := cs.Keyword("columns"); a != ps.NoNode {
					cols = s.constStrings(c, a, 0)
				} else if piiIsColumnAxis(t, cs.Keyword("axis")) {
					cols = s.constStrings(c, cs.Arg(0, "labels"), 0)
				} else if a := cs.Positional(1); a != ps.NoNode && piiIsColumnAxis(t, a) {
					cols = s.constStrings(c, cs.Positional(0), 0)
				} else {
					return base // rows dropped
				}
				return base.drop(cols)
			case cs.Method == "filter":
				if a := cs.Keyword("items"); a != ps.NoNode {
					if cols := s.constStrings(c, a, 0); len(cols) > 0 {
						return s.explicit(c, cs.ReceiverNode, cols, depth)
					}
				}
				return piiColSet{}
			case cs.Method == "select":
				var cols []piiStrRef
				for _, a := range cs.Args {
					if a.Name == "" {
						cols = append(cols, s.constStrings(c, a.Node, 0)...)
					}
				}
				if len(cols) > 0 {
					return s.explicit(c, cs.ReceiverNode, cols, depth)
				}
				return piiColSet{}
			case piiSameColumnMethods[cs.Method]:
				return s.eval(c, cs.ReceiverNode, depth+1)
			}
			return piiColSet{}
		}
		if cs.ReceiverNode == ps.NoNode && s.notebookFunc(cs.Callee) {
			// df = clean(df): the frame argument minus the columns the
			// helper drops anywhere in its body.
			for _, a := range cs.Args {
				if a.Name != "" || a.Splat {
					continue
				}
				if r := s.eval(c, a.Node, depth+1); r.ok {
					return r.drop(s.funcDrops(cs.Callee))
				}
			}
			return piiColSet{}
		}
		if piiArrayFuncs[cs.Method] {
			a := cs.Arg(0, "data")
			if a == ps.NoNode {
				a = cs.Keyword("X")
			}
			return s.eval(c, a, depth+1)
		}
		if cs.Method == "concat" {
			if a := cs.Arg(0, "objs"); a != ps.NoNode && (t.Kind(a) == ps.List || t.Kind(a) == ps.Tuple) {
				if el := t.NamedChildren(a, nil); len(el) > 0 {
					r := s.eval(c, el[0], depth+1)
					r.explicit = false
					return r
				}
			}
		}
	}
	return piiColSet{}
}

func (s *piiState) explicit(c *Cell, recv ps.NodeID, cols []piiStrRef, depth int) piiColSet {
	base := s.eval(c, recv, depth+1)
	f := base.frame
	if !base.ok {
		f = s.exprFrame(c, recv)
	}
	out := piiColSet{frame: f, explicit: true, ok: true, dropped: base.dropped}
	for _, r := range cols {
		out.cols = append(out.cols, r.value)
	}
	return out
}

type piiFlowCol struct {
	col string
	m   ColumnMatch
}

// piiOf returns the personal columns a column set carries and whether they
// were inferred from references (an unknown column set).
func (s *piiState) piiOf(cs piiColSet) ([]piiFlowCol, bool) {
	if !cs.ok {
		return nil, false
	}
	var hashed map[string]bool
	var fc *piiFrameCtx
	if cs.frame >= 0 {
		hashed = s.hashed[s.find(cs.frame)]
		for f, h := range s.hashed {
			if s.find(f) == s.find(cs.frame) && hashed == nil {
				hashed = h
			}
		}
		fc = s.ctx[s.find(cs.frame)]
	}
	seen := map[string]bool{}
	var out []piiFlowCol
	add := func(col string, m ColumnMatch) {
		norm := NormalizeColumn(col)
		if seen[norm] || cs.dropped[norm] || hashed[norm] {
			return
		}
		seen[norm] = true
		out = append(out, piiFlowCol{col, m})
	}
	if cs.explicit {
		for _, col := range cs.cols {
			if m, ok := MatchColumn(col); ok && piiConfirmMatch(m, fc) {
				add(col, m)
			}
		}
		return out, false
	}
	if cs.frame < 0 {
		return nil, false
	}
	root := s.find(cs.frame)
	for i := range s.refs {
		r := &s.refs[i]
		if r.Confirmed && r.Context != "drop" && r.Frame >= 0 && s.find(r.Frame) == root {
			add(r.Column, r.ColumnMatch)
		}
	}
	return out, true
}

var piiFitMethods = piiWordSet("fit", "fit_transform", "partial_fit", "train", "fit_predict", "predict", "predict_proba",
	"fit_resample")

var piiExportMethods = piiWordSet("to_csv", "to_excel", "to_clipboard", "to_json", "to_parquet", "to_pickle", "to_feather",
	"to_html", "to_xml", "to_stata", "to_orc", "to_markdown")

var piiSerializeMethods = piiWordSet("to_dict", "to_json", "to_csv", "to_records", "to_string", "to_markdown", "to_html",
	"tolist", "to_list", "head", "sample", "tail", "itertuples", "iterrows", "to_numpy")

var piiHTTPReceiver = regexp.MustCompile(`(?i)session|client|http|requests`)

var piiLlmReceiver = regexp.MustCompile(`(?i)llm|chat|gpt|claude|gemini|openai|anthropic|chain|agent|ollama|mistral|groq|cohere|bedrock|client|completion`)

func (s *piiState) flows() {
	for _, c := range s.n.Code() {
		for _, cs := range s.calls[c] {
			s.flowCall(cs)
		}
	}
	sort.SliceStable(s.out.Flows, func(i, j int) bool {
		a, b := &s.out.Flows[i], &s.out.Flows[j]
		if a.Cell != b.Cell {
			return a.Cell < b.Cell
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		return a.Pos.Col < b.Pos.Col
	})
}

func (s *piiState) addFlow(kind, sink string, cs *CallSite, set piiColSet, varNode ps.NodeID) bool {
	cols, inferred := s.piiOf(set)
	personal := false
	for _, fc := range cols {
		if fc.m.Entity != EntityPseudonymousID {
			personal = true
		}
	}
	if !personal {
		return false
	}
	fl := PersonalFlow{Kind: kind, Sink: sink, Cell: cs.Cell.Index, Pos: cs.Pos, End: cs.End, Frame: -1, Inferred: inferred}
	if set.frame >= 0 {
		if k, ok := s.frameIndex[s.find(set.frame)]; ok {
			fl.Frame = k
		}
	}
	if varNode != ps.NoNode {
		fl.Variable, _ = piiFrameRoot(cs.Cell.Tree, varNode)
	}
	for _, fc := range cols {
		fl.Columns = append(fl.Columns, fc.col)
		e := fc.m.Entity
		if fc.m.Special() {
			fl.Special = true
			e = EntitySpecial + ":" + fc.m.Category
		}
		fl.Entities = append(fl.Entities, e)
	}
	s.out.Flows = append(s.out.Flows, fl)
	return true
}

func (s *piiState) flowCall(cs *CallSite) {
	c := cs.Cell
	if c.Tree == nil {
		return
	}
	switch {
	case piiFitMethods[cs.Method] && cs.ReceiverNode != ps.NoNode || cs.Method == "train" && cs.Qual != "":
		if cs.ReceiverNode != ps.NoNode && s.exprFrame(c, cs.ReceiverNode) >= 0 {
			return // df.transform(...) is not a model
		}
		var x ps.NodeID = cs.Keyword("X")
		if x == ps.NoNode {
			x = cs.Keyword("x")
		}
		if x == ps.NoNode {
			x = cs.Keyword("train_set")
		}
		if x == ps.NoNode {
			x = cs.Keyword("dtrain")
		}
		var set piiColSet
		if x != ps.NoNode {
			set = s.eval(c, x, 0)
		} else {
			for _, a := range cs.Args {
				if a.Name != "" || a.Splat {
					continue
				}
				if set = s.eval(c, a.Node, 0); set.ok {
					x = a.Node
					break
				}
				if cs.Method != "train" {
					break // fit's X is its first argument
				}
			}
		}
		if !set.ok {
			return
		}
		if (cs.Method == "fit_transform" || cs.Method == "fit_resample") && set.explicit && len(set.cols) < 2 {
			return // encoding one column is not a model input yet
		}
		s.addFlow("feature", cs.Method, cs, set, x)
	case piiExportMethods[cs.Method] && cs.ReceiverNode != ps.NoNode:
		// df.to_csv(path); to_json()/to_csv() without a path return text.
		if cs.Method != "to_clipboard" && cs.Arg(0, "path_or_buf") == ps.NoNode && cs.Arg(0, "excel_writer") == ps.NoNode &&
			cs.Arg(0, "path") == ps.NoNode && cs.Arg(0, "buf") == ps.NoNode && cs.Arg(0, "fname") == ps.NoNode {
			return
		}
		set := s.eval(c, cs.ReceiverNode, 0)
		if !set.ok {
			return
		}
		before := len(s.out.Flows)
		if s.addFlow("export", cs.Method, cs, set, cs.ReceiverNode) && len(s.out.Flows) > before {
			p := cs.Positional(0)
			for _, k := range []string{"path_or_buf", "excel_writer", "path", "buf", "fname"} {
				if a := cs.Keyword(k); a != ps.NoNode {
					p = a
				}
			}
			if p != ps.NoNode {
				f := s.n.Fold(c, p)
				fl := &s.out.Flows[len(s.out.Flows)-1]
				fl.Target, fl.TargetComplete = f.Value, f.Complete
			}
		}
	case (strings.HasPrefix(cs.Qual, "requests.") || strings.HasPrefix(cs.Qual, "httpx.") ||
		strings.HasPrefix(cs.Qual, "urllib.request.")) ||
		cs.ReceiverNode != ps.NoNode && (cs.Method == "post" || cs.Method == "put" || cs.Method == "patch") &&
			piiHTTPReceiver.MatchString(cs.Receiver):
		for _, k := range []string{"json", "data", "files", "params", "content"} {
			if a := cs.Keyword(k); a != ps.NoNode {
				for _, set := range s.framesIn(c, a, 0) {
					if s.addFlow("export", piiSinkName(cs, "requests."+cs.Method), cs, set, ps.NoNode) {
						return
					}
				}
			}
		}
	case cs.Qual == "wandb.Table" || strings.HasSuffix(cs.Qual, "wandb.Table"):
		for _, k := range []string{"dataframe", "data"} {
			if a := cs.Keyword(k); a != ps.NoNode {
				for _, set := range s.framesIn(c, a, 0) {
					if s.addFlow("export", "wandb.Table", cs, set, ps.NoNode) {
						return
					}
				}
			}
		}
	case cs.Qual == "mlflow.log_table" || strings.HasSuffix(cs.Qual, "mlflow.log_table") ||
		strings.HasPrefix(cs.Qual, "mlflow.") && cs.Method == "log_table":
		if a := cs.Arg(0, "data"); a != ps.NoNode {
			for _, set := range s.framesIn(c, a, 0) {
				if s.addFlow("export", "mlflow.log_table", cs, set, ps.NoNode) {
					return
				}
			}
		}
	case piiIsLLMCall(cs):
		for _, a := range cs.Args {
			for _, set := range s.framesIn(c, a.Node, 0) {
				if s.addFlow("export", "llm-prompt", cs, set, ps.NoNode) {
					return
				}
			}
		}
	}
}

func piiSinkName(cs *CallSite, def string) string {
	if cs.Qual != "" && strings.Count(cs.Qual, ".") <= 2 && !strings.Contains(cs.Qual, "(") {
		return cs.Qual
	}
	return def
}

func piiIsLLMCall(cs *CallSite) bool {
	q := cs.Qual
	switch cs.Method {
	case "create", "acreate", "stream":
		return strings.Contains(q, "completions") || strings.Contains(q, "ChatCompletion") ||
			strings.Contains(q, "Completion") || strings.Contains(q, "messages") || strings.Contains(q, "responses")
	case "invoke", "ainvoke", "generate_content", "chat", "complete", "predict_messages", "run", "batch",
		"send_message", "generate":
		if cs.Method == "generate" && !strings.Contains(q, "ollama") {
			return false // model.generate(input_ids): token ids, not text
		}
		return strings.Contains(q, "openai") || strings.Contains(q, "anthropic") || strings.Contains(q, "langchain") ||
			strings.Contains(q, "generativeai") || strings.Contains(q, "genai") || strings.Contains(q, "ollama") ||
			strings.Contains(q, "litellm") || piiLlmReceiver.MatchString(cs.Receiver)
	case "completion", "acompletion":
		return strings.HasPrefix(q, "litellm")
	}
	return false
}

// framesIn finds the frames serialised inside an expression
// (df.to_dict(), df.to_markdown() in an f-string, a name bound to such a
// prompt, or a frame passed as is).
func (s *piiState) framesIn(c *Cell, n ps.NodeID, depth int) []piiColSet {
	if n == ps.NoNode || depth > 3 || c.Tree == nil {
		return nil
	}
	t := c.Tree
	var out []piiColSet
	par := c.Parents()
	t.Descendants(n, func(d ps.NodeID) bool {
		switch t.Kind(d) {
		case ps.Call:
			cs := s.callOf(c, d)
			if cs != nil && cs.ReceiverNode != ps.NoNode && piiSerializeMethods[cs.Method] {
				if set := s.eval(c, cs.ReceiverNode, 0); set.ok {
					out = append(out, set)
					return false
				}
			}
			if set := s.eval(c, d, 0); set.ok {
				out = append(out, set)
				return false
			}
		case ps.Subscript, ps.Attribute:
			if set := s.eval(c, d, 0); set.ok {
				out = append(out, set)
				return false
			}
		case ps.Identifier:
			if p := par[d]; p != ps.NoNode {
				if k := t.Kind(p); k == ps.Attribute && t.ChildByField(p, ps.FAttribute) == d ||
					k == ps.Call && t.ChildByField(p, ps.FFunction) == d || k == ps.KeywordArgument && t.ChildByField(p, ps.FName) == d {
					return false
				}
			}
			name := pyName(t.Text(d))
			b := s.resolve(name, c, d)
			if b == nil {
				if f, ok := s.free[name]; ok {
					out = append(out, piiColSet{frame: s.find(f), ok: true})
				}
				return false
			}
			if set := s.eval(c, d, 0); set.ok {
				out = append(out, set)
				return false
			}
			if b.index < 0 && b.frame < 0 {
				// prompt = f"…{df.to_markdown()}…": follow the binding.
				out = append(out, s.framesIn(b.cell, b.value, depth+1)...)
			}
			return false
		}
		return true
	})
	return out
}

// ---------------------------------------------------------------------
// Personal values in outputs and code (NB503): Presidio-style recognizers
// with validators (RULES.md §1.5).

// Kinds of personal values.
const (
	ValueEmail       = "email"
	ValuePhone       = "phone"
	ValueCreditCard  = "credit-card"
	ValueIBAN        = "iban"
	ValueSSN         = "us-ssn"
	ValueIPAddress   = "ip-address"
	ValueDateOfBirth = "date-of-birth"
	ValueUserName    = "user-name"
)

// PersonalValue is a personal value found in a saved output or in a code
// cell. Its value is never printed: use Redacted.
type PersonalValue struct {
	Kind string
	Cell int
	// Output is set for values in saved outputs (nil in code).
	Output *OutputPos
	// Pos is the value's position: in the cell source for code, the line
	// and column within the output text for outputs.
	Pos Pos
	// Len is the value's length in code points.
	Len int
	// Redacted is the value as nbprod shows it: "<redacted email, 17 chars>".
	Redacted string
	value    string
	line     int // code: 1-based cell line
	start    int // code: byte offsets within that line
	end      int
}

// Value returns the raw value, for fingerprint keys (analyze.SecretKey)
// only: it must never be printed or stored.
func (v *PersonalValue) Value() string { return v.value }

// Blocking reports whether one value of this kind is enough for NB503
// (cards, IBANs and SSNs; other kinds count towards the threshold).
func (v *PersonalValue) Blocking() bool {
	return v.Kind == ValueCreditCard || v.Kind == ValueIBAN || v.Kind == ValueSSN
}

// DistinctKey identifies the value for counting distinct matches.
func (v *PersonalValue) DistinctKey() string { return v.Kind + "\x00" + piiNormValue(v.Kind, v.value) }

func piiNormValue(kind, v string) string {
	switch kind {
	case ValuePhone, ValueCreditCard, ValueSSN:
		return piiDigitsOnly(v)
	case ValueIBAN:
		return strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	}
	return strings.ToLower(v)
}

func piiDigitsOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

type piiValueMatch struct {
	kind       string
	start, end int
}

var (
	piiEmailRe    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}$`)
	piiPhoneRe    = regexp.MustCompile(`^(?:\+1[ .\-]?)?(?:\([2-9][0-9]{2}\)[ .\-]?|[2-9][0-9]{2}[ .\-])[2-9][0-9]{2}[ .\-][0-9]{4}\b|\+[1-9][0-9]{0,2}(?:[ .\-]?\(?[0-9]{1,4}\)?)(?:[ .\-]?[0-9]{2,4}){2,5}\b`)
	piiDateRe     = regexp.MustCompile(`(?i)\b(?:(?:19|20)[0-9]{2}[\-/.](?:0?[1-9]|1[0-2])[\-/.](?:0?[1-9]|[12][0-9]|3[01])|(?:0?[1-9]|[12][0-9]|3[01])[\-/.](?:0?[1-9]|1[0-2])[\-/.](?:19|20)[0-9]{2}|(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12][0-9]|3[01])/(?:19|20)[0-9]{2}|(?:0?[1-9]|[12][0-9]|3[01])\.? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? (?:19|20)[0-9]{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? (?:0?[1-9]|[12][0-9]|3[01]),? (?:19|20)[0-9]{2})\b`)
	piiDobWordRe  = regexp.MustCompile(`(?i)\b(?:dob|d\.o\.b|date[ _\-]?of[ _\-]?birth|birth[ _\-]?date|birthdate|birthday|born|geburtsdatum|geboren|date[ _\-]de[ _\-]naissance|fecha[ _\-]de[ _\-]nacimiento)\b`)
	piiCardWordRe = regexp.MustCompile(`(?i)card|credit|visa|master|amex|american express|discover|payment|\bpan\b|\bcc\b|kreditkarte`)
	piiSsnWordRe  = regexp.MustCompile(`(?i)\bssns?\b|social[ _\-]?security|\bssn#`)
	piiUserPathRe = regexp.MustCompile(`(?:/home/|/Users/|[A-Za-z]:\\{1,2}Users\\{1,2}|[A-Za-z]:/Users/)([A-Za-z0-9._\-]{1,40})(?:/|\\)`)
	piiRoleWords  = regexp.MustCompile(`^(?:.*[._-])?(?:info|support|contact|noreply|no-reply|help|helpdesk|admin|sales|team|office|service|enquiries|inquiries|press|jobs|hr|billing|privacy|security|abuse|webmaster|postmaster|hostmaster|feedback|newsletter|marketing|mailer-daemon)(?:[._-].*)?$|^company|info$|support$`)
	piiAnsiRe     = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)
)

// Synthetic values (RULES.md §1.5): documentation domains, fictional
// phone numbers, payment-provider test cards, well-known example IBANs.
var (
	piiExampleDomains = piiWordSet("example.com", "example.org", "example.net", "example.edu", "domain.com",
		"yourdomain.com", "yourcompany.com", "company.com", "email.com", "mail.com", "test.com", "sample.com",
		"users.noreply.github.com", "noreply.github.com", "localhost.localdomain", "acme.com", "foo.com", "bar.com")
	piiRoleLocalParts = piiWordSet("noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "git", "root", "admin",
		"administrator", "info", "support", "sales", "contact", "help", "webmaster", "hello", "team", "press",
		"security", "abuse", "postmaster", "privacy", "office", "mail", "newsletter", "notifications",
		"notification", "billing", "jobs", "careers", "feedback", "service", "marketing", "example", "test",
		"user", "username", "someone", "somebody", "name", "email", "you", "your", "yourname", "youremail",
		"your.name", "your_email", "your.email", "me", "foo", "bar", "baz", "john.doe", "jane.doe", "johndoe",
		"janedoe", "first.last", "firstname.lastname", "nobody", "anonymous", "dev", "developers", "opensource")
	piiTestCards = piiWordSet("4111111111111111", "4242424242424242", "4000056655665556", "5555555555554444",
		"2223003122003222", "5200828282828210", "5105105105105100", "378282246310005", "371449635398431",
		"6011111111111117", "6011000990139424", "3056930009020004", "36227206271667", "3566002020360505",
		"6200000000000005", "4012888888881881", "4222222222222", "4000000000000002", "4000000000009995",
		"5431111111111111", "4917610000000000", "4988438843884305", "4012000033330026", "4000000000000077",
		"378734493671000", "30569309025904", "38520000023237", "6011000400000000", "3530111333300000",
		"5019717010103742", "4111111111111", "4007000000027", "4012888818888", "6331101999990016")
	piiExampleIBANs = piiWordSet("DE89370400440532013000", "GB82WEST12345698765432", "GB29NWBK60161331926819",
		"GB33BUKB20201555555555", "FR1420041010050500013M02606", "FR7630006000011234567890189",
		"NL91ABNA0417164300", "CH9300762011623852957", "ES9121000418450200051332", "IT60X0542811101000000123456",
		"BE68539007547034", "AT611904300234573201", "DE75512108001245126199", "NO9386011117947",
		"SE4550000000058398257466", "DK5000400440116243", "PL61109010140000071219812874")
	piiWellKnownIPs = piiWordSet("8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112",
		"208.67.222.222", "208.67.220.220", "4.2.2.2", "4.2.2.1", "64.6.64.6")
	piiGenericUsers = piiWordSet("root", "user", "users", "ubuntu", "jovyan", "ec2-user", "sagemaker-user", "runner",
		"runneradmin", "vscode", "colab", "admin", "administrator", "guest", "public", "default", "shared",
		"username", "your_username", "yourname", "you", "me", "name", "nbuser", "jupyter", "docker", "app",
		"centos", "pi", "vagrant", "travis", "circleci", "build", "builder", "buildbot", "conda", "anaconda",
		"studio-lab-user", "jenkins", "gitlab-runner", "codespace", "codespaces", "kaggle", "appveyor", "cloudshell",
		"ubuntu-user", "opc", "azureuser", "dsvm", "databricks", "node", "www-data", "nobody", "git", "local",
		"linuxbrew", "runner-user", "username_here", "your-username", "yourusername", "xxx", "john", "jdoe",
		"johndoe", "janedoe", "john.doe", "jane.doe", "me.me", "myname", "myuser", "tmp", "temp")
)

var piiTlds = func() map[string]bool {
	m := piiWordSet(strings.Fields(`com org net edu gov mil int info biz name pro aero coop museum mobi asia tel travel
		jobs cat app dev io ai co xyz online site tech store blog cloud email live news page space top website
		club shop design agency digital solutions services company group systems network media studio world
		today life global academy health bank law art fun one link work tools email de uk fr`)...)
	for _, cc := range strings.Fields(`ad ae af ag al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj
		bm bn bo br bs bt bw by bz ca cc cd cf cg ch ci ck cl cm cn cr cu cv cw cx cy cz dj dk dm do dz ec ee
		eg er es et eu fi fj fk fm fo ga gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu
		id ie il im in iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv
		ly ma mc me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz
		om pa pe pf pg ph pk pl pn pr pt pw qa re ro ru rw sa sb sc sd se sg si sk sl sm sn sr ss st su sv sx
		sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug us uy uz va vc ve vg vi vn vu wf ws ye yt
		za zm zw ac`) {
		m[cc] = true
	}
	return m
}()

var piiIbanLengths = func() map[string]int {
	m := map[string]int{}
	for _, f := range strings.Fields(`AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24
		DE22 DK18 DO28 EE20 EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23
		IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15
		PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22
		VG24 XK20`) {
		n, _ := strconv.Atoi(f[2:])
		m[f[:2]] = n
	}
	return m
}()

// piiLuhn reports whether a digit string passes the Luhn checksum.
func piiLuhn(d string) bool {
	sum := 0
	alt := false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if alt {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		alt = !alt
	}
	return sum%10 == 0
}

// piiIbanValid checks an IBAN's length for its country and its mod-97 check.
func piiIbanValid(iban string) bool {
	l, ok := piiIbanLengths[iban[:2]]
	if !ok || len(iban) != l {
		return false
	}
	r := iban[4:] + iban[:4]
	rem := 0
	for i := 0; i < len(r); i++ {
		ch := r[i]
		switch {
		case ch >= '0' && ch <= '9':
			rem = (rem*10 + int(ch-'0')) % 97
		case ch >= 'A' && ch <= 'Z':
			v := int(ch-'A') + 10
			rem = (rem*100 + v) % 97
		default:
			return false
		}
	}
	return rem == 1
}

func piiAllSame(d string) bool {
	for i := 1; i < len(d); i++ {
		if d[i] != d[0] {
			return false
		}
	}
	return true
}

// piiSsnValid applies Presidio's UsSsnRecognizer invalidation rules plus the
// 9xx area (ITINs): one kind of delimiter, not all the same digit, no zero
// group, area not 000/666/9xx, not a well-known sample number.
func piiSsnValid(m string) bool {
	delims := map[byte]bool{}
	for i := 0; i < len(m); i++ {
		if m[i] == '-' || m[i] == ' ' || m[i] == '.' {
			delims[m[i]] = true
		}
	}
	if len(delims) > 1 {
		return false
	}
	d := piiDigitsOnly(m)
	if len(d) != 9 || piiAllSame(d) {
		return false
	}
	if d[3:5] == "00" || d[5:] == "0000" || d[:3] == "000" || d[:3] == "666" || d[0] == '9' {
		return false
	}
	for _, sample := range []string{"123456789", "98765432", "078051120", "219099999"} {
		if strings.HasPrefix(d, sample) {
			return false
		}
	}
	return true
}

func piiCardPrefixOK(d string) bool {
	switch {
	case d[0] == '4':
		return true
	case d[0] == '5' && d[1] >= '1' && d[1] <= '5':
		return true
	case d[0] == '2':
		p, _ := strconv.Atoi(d[:4])
		return p >= 2221 && p <= 2720
	case d[0] == '3':
		return d[1] == '4' || d[1] == '7' || d[1] == '5' || d[1] == '6' || d[1] == '8' || d[1] == '0'
	case d[0] == '6':
		return strings.HasPrefix(d, "6011") || strings.HasPrefix(d, "65") || strings.HasPrefix(d, "64") || strings.HasPrefix(d, "62")
	}
	return false
}

// piiLineAround returns the line of text holding [start, end).
func piiLineAround(text string, start, end int) string {
	ls, le := piiLineBounds(text, start, end)
	return text[ls:le]
}

// piiLineBounds returns the start of the line holding start and the end
// (the newline or the end of text) of the line holding end.
func piiLineBounds(text string, start, end int) (ls, le int) {
	ls = strings.LastIndexByte(text[:start], '\n') + 1
	le = strings.IndexByte(text[end:], '\n')
	if le < 0 {
		return ls, len(text)
	}
	return ls, le + end
}

// header returns the first non-blank line of text (a table's header).
func piiFirstLine(text string) string {
	for len(text) > 0 {
		i := strings.IndexByte(text, '\n')
		l := text
		if i >= 0 {
			l, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if strings.TrimSpace(l) != "" {
			return l
		}
	}
	return ""
}

func piiIsAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func piiIsDigit(b byte) bool { return b >= '0' && b <= '9' }

type piiScanOpts struct {
	userPaths bool // user names in /home/<u>/ paths (tracebacks, stderr)
}

// piiFindValues runs the recognizers over text and returns non-overlapping
// matches, most specific kind first. It is a hand-written scanner: outputs
// can be megabytes of numbers, and running a dozen regular expressions over
// each would cost more than parsing the notebook.
func piiFindValues(text string, o piiScanOpts) []piiValueMatch {
	var ms []piiValueMatch
	header, headerDone := "", false
	ctxOK := func(re *regexp.Regexp, start, end int) bool {
		if !headerDone {
			header, headerDone = piiFirstLine(text), true
		}
		return re.MatchString(piiLineAround(text, start, end)) || re.MatchString(header)
	}
	for i := 0; i < len(text); i++ {
		b := text[i]
		switch {
		case piiIsDigit(b) || b == '+' || b == '(':
			if i > 0 && (piiIsAlnum(text[i-1]) || text[i-1] == '_') && !piiEscapeBefore(text, i) {
				// Inside a word or a number: skip to its end.
				for i+1 < len(text) && piiIsAlnum(text[i+1]) {
					i++
				}
				continue
			}
			if m, ok := piiNumeric(text, i, ctxOK); ok {
				ms = append(ms, m)
				i = m.end - 1
				continue
			}
			for i+1 < len(text) && piiIsDigit(text[i+1]) {
				i++
			}
		case b >= 'A' && b <= 'Z':
			if i+4 < len(text) && text[i+1] >= 'A' && text[i+1] <= 'Z' && piiIsDigit(text[i+2]) && piiIsDigit(text[i+3]) &&
				(i == 0 || !piiIsAlnum(text[i-1])) {
				if m, ok := piiIBANAt(text, i); ok {
					ms = append(ms, m)
					i = m.end - 1
				}
			}
		}
	}
	// Emails: expand around each '@'.
	for at := strings.IndexByte(text, '@'); at >= 0; {
		if s, e, ok := piiEmailAround(text, at); ok {
			ms = append(ms, piiValueMatch{ValueEmail, s, e})
		}
		next := strings.IndexByte(text[at+1:], '@')
		if next < 0 {
			break
		}
		at += next + 1
	}
	// IPv6: runs of hex digits and colons with "::" or seven colons.
	if strings.Contains(text, "::") || strings.Count(text, ":") >= 7 {
		for i := 0; i < len(text); i++ {
			if !piiIsHex(text[i]) && text[i] != ':' {
				continue
			}
			j, colons := i, 0
			for j < len(text) && (piiIsHex(text[j]) || text[j] == ':') && j-i < 45 {
				if text[j] == ':' {
					colons++
				}
				j++
			}
			if colons >= 2 {
				s, e := i, j
				for s < e && text[s] == ':' {
					s++
				}
				if e-s >= 3 && piiIpv6OK(text, s, e) {
					ms = append(ms, piiValueMatch{ValueIPAddress, s, e})
				}
			}
			i = j
		}
	}
	// Dates of birth: dates on a line naming birth, or below a header that
	// does.
	ms = piiDOBDates(ms, text)
	if o.userPaths && (strings.Contains(text, "/home/") || strings.Contains(text, "Users")) {
		for _, m := range piiUserPathRe.FindAllStringSubmatchIndex(text, -1) {
			u := text[m[2]:m[3]]
			if piiGenericUsers[strings.ToLower(u)] || strings.HasPrefix(u, "$") || strings.HasPrefix(u, "<") || strings.HasPrefix(u, "{") {
				continue
			}
			ms = append(ms, piiValueMatch{ValueUserName, m[2], m[3]})
		}
	}
	if len(ms) < 2 {
		return ms
	}
	// Resolve overlaps: the earlier start wins; at the same start the
	// more specific kind (found first) wins.
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].start < ms[j].start })
	out := ms[:0]
	lastEnd := -1
	for _, m := range ms {
		if m.start < lastEnd {
			continue
		}
		out = append(out, m)
		lastEnd = m.end
	}
	return out
}

func piiIsHex(b byte) bool {
	return piiIsDigit(b) || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'
}

// piiDOBDates appends the dates of birth in text: dates on a line naming
// birth, or below a header that does (within its first 30 lines).
func piiDOBDates(ms []piiValueMatch, text string) []piiValueMatch {
	if loc := piiFirstDOBWord(text); loc != nil {
		headerAt := -1
		if strings.Count(text[:loc[0]], "\n") < 30 {
			headerAt = strings.LastIndexByte(text[:loc[0]], '\n') + 1
		}
		// No date before the line of the first word counts (it is neither
		// below the header nor on a line naming birth), dates do not span
		// lines, and every date has a year of 19xx or 20xx: the expression
		// runs only on the lines after the word that hold such a year.
		for ls, _ := piiLineBounds(text, loc[0], loc[0]); ls < len(text); {
			_, le := piiLineBounds(text, ls, ls)
			if line := text[ls:le]; piiHasYear(line) {
				for _, d := range piiDateRe.FindAllStringIndex(line, -1) {
					d[0], d[1] = d[0]+ls, d[1]+ls
					if headerAt >= 0 && d[0] >= headerAt || piiDobWordRe.MatchString(line) {
						ms = append(ms, piiValueMatch{ValueDateOfBirth, d[0], d[1]})
					}
				}
			}
			ls = le + 1
		}
	}
	return ms
}

// piiHasDOBWord is a cheap check for birth words before the regular
// expression runs.
func piiHasDOBWord(text string) bool { return piiDOBWordFrom(text, 0) >= 0 }

// piiDOBWordFrom returns the index of the first birth word (unbounded, in
// any case) at or after from, or -1.
func piiDOBWordFrom(text string, from int) int {
	// One pass over the text (it can be megabytes of output): a table
	// lookup per byte, then the first three bytes, folded, pick the word.
	for i := from; i+3 <= len(text); i++ {
		if !piiDOBFirst[text[i]] {
			continue
		}
		var w string
		switch uint32(text[i]|0x20)<<16 | uint32(text[i+1]|0x20)<<8 | uint32(text[i+2]|0x20) {
		case 'd'<<16 | 'o'<<8 | 'b':
			return i
		case 'd'<<16 | '.'<<8 | 'o':
			w = "d.o.b"
		case 'b'<<16 | 'i'<<8 | 'r':
			w = "birth"
		case 'b'<<16 | 'o'<<8 | 'r':
			w = "born"
		case 'g'<<16 | 'e'<<8 | 'b':
			if len(text)-i >= 6 && strings.EqualFold(text[i:i+6], "geburt") {
				return i
			}
			w = "geboren"
		case 'n'<<16 | 'a'<<8 | 'i':
			w = "naissance"
		case 'n'<<16 | 'a'<<8 | 'c':
			w = "nacimiento"
		default:
			continue
		}
		if len(text)-i >= len(w) && strings.EqualFold(text[i:i+len(w)], w) {
			return i
		}
	}
	return -1
}

// piiDOBFirst marks the first letters of the birth words, in both cases.
var piiDOBFirst = func() (t [256]bool) {
	for _, c := range "dbgnDBGN" {
		t[c] = true
	}
	return t
}()

// piiFirstDOBWord is piiDobWordRe.FindStringIndex(text): the expression
// runs only on the lines where piiDOBWordFrom finds a candidate (every
// alternative of the expression contains one of its words, and none spans
// lines).
func piiFirstDOBWord(text string) []int {
	for i := piiDOBWordFrom(text, 0); i >= 0; {
		ls, le := piiLineBounds(text, i, i)
		if loc := piiDobWordRe.FindStringIndex(text[ls:le]); loc != nil {
			return []int{loc[0] + ls, loc[1] + ls}
		}
		if le >= len(text) {
			break
		}
		i = piiDOBWordFrom(text, le+1)
	}
	return nil
}

// piiHasYear reports whether s holds 19 or 20 followed by two digits (the
// year every form piiDateRe knows contains).
func piiHasYear(s string) bool {
	for i := 0; i+3 < len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') && piiIsDigit(s[i+2]) && piiIsDigit(s[i+3]) {
			return true
		}
	}
	return false
}

// piiGroups are digit groups joined by single separators:
// "4111 1111 1111 1111", "123-45-6789", "192.168.1.1".
type piiGroups struct {
	n    int     // number of groups (at most 8)
	lens [8]int  // digits per group
	seps [8]byte // separator after each group but the last
	end  int
}

func piiParseGroups(text string, i int, seps string) piiGroups {
	var g piiGroups
	j := i
	for g.n < 8 {
		k := j
		for k < len(text) && piiIsDigit(text[k]) && k-j < 20 {
			k++
		}
		if k == j {
			break
		}
		g.lens[g.n] = k - j
		g.n++
		g.end = k
		if k+1 < len(text) && strings.IndexByte(seps, text[k]) >= 0 && piiIsDigit(text[k+1]) {
			g.seps[g.n-1] = text[k]
			j = k + 1
			continue
		}
		break
	}
	return g
}

func (g piiGroups) sameSeps() bool {
	for _, s := range g.seps[:max(g.n-1, 0)] {
		if s != g.seps[0] {
			return false
		}
	}
	return true
}

func (g piiGroups) is(lens ...int) bool {
	if g.n != len(lens) {
		return false
	}
	for k := range lens {
		if g.lens[k] != lens[k] {
			return false
		}
	}
	return true
}

// piiEndOK reports whether a numeric match may end at e: not followed by
// more of a number, a word or an id.
func piiEndOK(text string, e int) bool {
	if e >= len(text) {
		return true
	}
	switch b := text[e]; {
	case piiIsAlnum(b), b == '_', b == '@':
		return false
	case b == '.' || b == '-' || b == '/' || b == ',' || b == ':':
		return !(e+1 < len(text) && piiIsDigit(text[e+1]))
	}
	return true
}

// piiEscapeBefore reports whether text[i-2:i] is a backslash escape such
// as \n: reprs of strings print newlines that way, and the letter is not
// part of the value after it.
func piiEscapeBefore(text string, i int) bool {
	return i >= 2 && text[i-2] == '\\' && strings.IndexByte("ntrfvab", text[i-1]) >= 0
}

// piiStartOK reports whether a numeric match may start at s: not inside a
// word, a decimal, a range or a version.
func piiStartOK(text string, s int) bool {
	if s == 0 || piiEscapeBefore(text, s) {
		return true
	}
	switch b := text[s-1]; b {
	case '.', '_', '^':
		return false
	case '-', '/', '+', ',', ':', '$', '#', '=':
		return !(s >= 2 && piiIsDigit(text[s-2]))
	}
	return !piiIsAlnum(text[s-1])
}

// piiNumeric tries the numeric recognizers (cards, SSNs, phones, IPv4) at
// position i: the start of a number, a '+' or a '('.
func piiNumeric(text string, i int, ctxOK func(*regexp.Regexp, int, int) bool) (piiValueMatch, bool) {
	if !piiStartOK(text, i) {
		return piiValueMatch{}, false
	}
	if text[i] == '+' || text[i] == '(' {
		return piiPhoneAt(text, i)
	}
	g := piiParseGroups(text, i, " -.")
	if g.n == 0 || !piiEndOK(text, g.end) {
		return piiValueMatch{}, false
	}
	raw := text[i:g.end]
	same := g.sameSeps()
	sep := byte(0)
	if g.n > 1 {
		sep = g.seps[0]
	}
	// Cards: 4-4-4-4(-1..3) or 4-6-4/5 with one kind of space or dash, or a
	// bare 13-19 digit run next to a card word.
	if same && sep != '.' {
		total := 0
		for _, l := range g.lens[:g.n] {
			total += l
		}
		shape := g.n == 1 && total >= 13 && total <= 19 ||
			g.is(4, 4, 4, 4) || g.n == 5 && g.lens[0] == 4 && g.lens[1] == 4 && g.lens[2] == 4 && g.lens[3] == 4 && g.lens[4] <= 3 ||
			g.is(4, 6, 4) || g.is(4, 6, 5)
		if shape {
			d := piiDigitsOnly(raw)
			if piiCardPrefixOK(d) && !piiAllSame(d[1:]) && piiLuhn(d) && !piiTestCards[d] &&
				(g.n > 1 || ctxOK(piiCardWordRe, i, g.end)) {
				return piiValueMatch{ValueCreditCard, i, g.end}, true
			}
		}
	}
	// US SSN: 3-2-4 with one delimiter; '-' is enough, ' ' and '.' and bare
	// nine digits need an SSN word nearby.
	if g.is(3, 2, 4) || g.is(9) {
		if piiSsnValid(raw) && (sep == '-' || ctxOK(piiSsnWordRe, i, g.end)) {
			return piiValueMatch{ValueSSN, i, g.end}, true
		}
	}
	// IPv4.
	if g.n == 4 && same && sep == '.' {
		if g.lens[0] <= 3 && g.lens[1] <= 3 && g.lens[2] <= 3 && g.lens[3] <= 3 && piiIpv4OK(text, i, g.end) {
			return piiValueMatch{ValueIPAddress, i, g.end}, true
		}
		return piiValueMatch{}, false
	}
	// North American phones: 3-3-4.
	if g.is(3, 3, 4) && piiPhoneOK(text, i, g.end) {
		return piiValueMatch{ValuePhone, i, g.end}, true
	}
	return piiValueMatch{}, false
}

// piiPhoneAt matches "(415) 555-2671", "+1 415 555 2671" and international
// numbers such as "+49 30 1234 5678" at i.
func piiPhoneAt(text string, i int) (piiValueMatch, bool) {
	end := i
	digits := 0
scan:
	for k := i; k < len(text) && k-i < 24; k++ {
		b := text[k]
		switch {
		case piiIsDigit(b):
			digits++
			end = k + 1
		case b == '+' && k == i, b == '(' || b == ')':
		case b == ' ' || b == '-' || b == '.':
			if k+1 < len(text) && !piiIsDigit(text[k+1]) && text[k+1] != '(' {
				break scan // a separator must be followed by more of the number
			}
		default:
			break scan
		}
	}
	if digits < 9 {
		return piiValueMatch{}, false
	}
	loc := piiPhoneRe.FindStringIndex(text[i:end])
	if loc == nil || loc[0] != 0 {
		return piiValueMatch{}, false
	}
	e := i + loc[1]
	if !piiEndOK(text, e) || !piiPhoneOK(text, i, e) {
		return piiValueMatch{}, false
	}
	return piiValueMatch{ValuePhone, i, e}, true
}

// piiIBANAt matches an IBAN starting at i (two letters, two digits).
func piiIBANAt(text string, i int) (piiValueMatch, bool) {
	l, ok := piiIbanLengths[text[i:i+2]]
	if !ok {
		return piiValueMatch{}, false
	}
	n, end := 0, i
	for end < len(text) && n < l {
		b := text[end]
		switch {
		case piiIsDigit(b) || b >= 'A' && b <= 'Z':
			n++
		case b == ' ' && n%4 == 0 && end+1 < len(text) && piiIsAlnum(text[end+1]):
		default:
			return piiValueMatch{}, false
		}
		end++
	}
	if n < l || end < len(text) && piiIsAlnum(text[end]) {
		return piiValueMatch{}, false
	}
	compact := strings.ReplaceAll(text[i:end], " ", "")
	if !piiIbanValid(compact) || piiExampleIBANs[compact] {
		return piiValueMatch{}, false
	}
	return piiValueMatch{ValueIBAN, i, end}, true
}

// piiEmailAround expands an '@' to the address around it.
func piiEmailAround(text string, at int) (int, int, bool) {
	s := at
	for s > 0 && at-s < 64 && !piiEscapeBefore(text, s) {
		b := text[s-1]
		if piiIsAlnum(b) || b == '.' || b == '_' || b == '%' || b == '+' || b == '-' {
			s--
			continue
		}
		break
	}
	for s < at && !piiIsAlnum(text[s]) {
		s++
	}
	e := at + 1
	for e < len(text) && e-at < 255 {
		b := text[e]
		if piiIsAlnum(b) || b == '.' || b == '-' {
			e++
			continue
		}
		break
	}
	for e > at+1 && (text[e-1] == '.' || text[e-1] == '-') {
		e--
	}
	if s >= at || e <= at+1 || !strings.Contains(text[at+1:e], ".") || !piiEmailRe.MatchString(text[s:e]) {
		return 0, 0, false
	}
	return s, e, piiEmailOK(text, s, e)
}

func piiEmailOK(text string, start, end int) bool {
	if start > 0 {
		if b := text[start-1]; b == '/' || b == ':' || b == '@' || b == '.' || b == '%' || b == '+' || b == '-' || b == '_' {
			return false // URLs with user info, package specs, continuation of something else
		}
	}
	if end < len(text) && (piiIsAlnum(text[end]) || text[end] == '@' || text[end] == '_') {
		return false
	}
	v := text[start:end]
	at := strings.LastIndexByte(v, '@')
	local, domain := strings.ToLower(v[:at]), strings.ToLower(v[at+1:])
	if piiRoleLocalParts[local] || piiExampleDomains[domain] || piiRoleWords.MatchString(local) {
		return false
	}
	for d := range piiExampleDomains {
		if strings.HasSuffix(domain, "."+d) {
			return false
		}
	}
	labels := strings.Split(domain, ".")
	tld := labels[len(labels)-1]
	switch tld {
	case "example", "test", "invalid", "localhost", "local", "internal", "lan", "corp", "home":
		return false
	case "py", "md", "sh", "rs", "ps", "so", "pm", "js", "ts", "png", "jpg", "txt", "csv":
		return false
	}
	if !piiTlds[tld] {
		return false
	}
	// Decorators and versions: "model@2x.png", "pkg@1.2.3" fail the TLD
	// check; retina assets "img@2x.co" are rare enough.
	return len(local) > 0
}

// s4Before returns up to n bytes of text before i.
func s4Before(text string, i, n int) string {
	if i < n {
		return text[:i]
	}
	return text[i-n : i]
}

func piiIpv4OK(text string, start, end int) bool {
	if start > 0 {
		if b := text[start-1]; piiIsAlnum(b) || b == '.' || b == '-' || b == '_' {
			return false
		}
		if before := strings.ToLower(s4Before(text, start, 12)); strings.Contains(before, "version") ||
			strings.Contains(before, "release") || strings.Contains(before, "ver ") || strings.Contains(before, "build") {
			return false
		}
		if start > 1 {
			// Versions: pkg==2.19.1.1, Agent/1.0.14.0 (but http://52.…).
			switch p, pp := text[start-1], text[start-2]; {
			case p == '/' && pp != '/':
				return false
			case p == '=' && strings.IndexByte("=<>~!", pp) >= 0:
				return false
			}
		}
	}
	if end < len(text) {
		if b := text[end]; piiIsAlnum(b) || b == '-' || b == '_' {
			return false
		}
		if text[end] == '.' && end+1 < len(text) && piiIsDigit(text[end+1]) {
			return false
		}
	}
	v := text[start:end]
	if piiWellKnownIPs[v] {
		return false
	}
	parts := strings.Split(v, ".")
	small := true
	for _, p := range parts {
		if len(p) > 1 {
			small = false
		}
	}
	if small {
		return false // 1.2.3.4, 2.7.1.0: version numbers
	}
	a, err := netip.ParseAddr(v)
	if err != nil || !a.Is4() {
		return false
	}
	return piiPublicIP(a)
}

var piiReservedPrefixes = func() []netip.Prefix {
	var out []netip.Prefix
	for _, p := range []string{"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
		"198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "2001:db8::/32", "64:ff9b::/96", "2001::/32",
		"2002::/16"} {
		out = append(out, netip.MustParsePrefix(p))
	}
	return out
}()

func piiPublicIP(a netip.Addr) bool {
	if !a.IsGlobalUnicast() || a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsMulticast() {
		return false
	}
	for _, p := range piiReservedPrefixes {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

func piiIpv6OK(text string, start, end int) bool {
	if start > 0 {
		if b := text[start-1]; piiIsAlnum(b) || b == ':' || b == '.' || b == '_' || b == '-' {
			return false
		}
	}
	if end < len(text) {
		if b := text[end]; piiIsAlnum(b) || b == ':' || b == '_' || b == '.' {
			return false
		}
	}
	v := text[start:end]
	if !strings.Contains(v, "::") && strings.Count(v, ":") != 7 {
		return false
	}
	a, err := netip.ParseAddr(v)
	if err != nil || !a.Is6() || a.Is4In6() {
		return false
	}
	b := a.As16()
	if b[0]&0xE0 != 0x20 { // 2000::/3, the global unicast space in use
		return false
	}
	return piiPublicIP(a)
}

func piiPhoneOK(text string, start, end int) bool {
	if start > 0 {
		if b := text[start-1]; piiIsAlnum(b) || b == '.' || b == '-' || b == '+' || b == '/' || b == '_' || b == ',' && start > 1 && piiIsDigit(text[start-2]) {
			return false
		}
	}
	if end < len(text) {
		if b := text[end]; piiIsAlnum(b) || b == '-' || b == '_' || b == '/' {
			return false
		}
		if (text[end] == '.' || text[end] == ',') && end+1 < len(text) && piiIsDigit(text[end+1]) {
			return false
		}
	}
	v := text[start:end]
	d := piiDigitsOnly(v)
	if piiAllSame(d) {
		return false
	}
	if strings.HasPrefix(v, "+") && !strings.HasPrefix(v, "+1") || strings.HasPrefix(v, "+1") && len(d) != 11 {
		// International: 9-15 digits with a separator somewhere.
		if len(d) < 9 || len(d) > 15 || !strings.ContainsAny(v[1:], " .-()") && len(d) < 11 {
			return false
		}
		return true
	}
	// NANP: area and exchange start with 2-9; one separator style; 555-01xx
	// numbers are fictional.
	if len(d) == 11 {
		d = d[1:]
	}
	if len(d) != 10 || d[0] < '2' || d[3] < '2' {
		return false
	}
	if d[3:6] == "555" && d[6:8] == "01" {
		return false
	}
	// One separator style after the country code and the area code:
	// 415-867-2309, 415.867.2309, (415) 867-2309, +1 415 867 2309.
	body := strings.TrimPrefix(v, "+1")
	body = strings.TrimLeft(body, " .-")
	if strings.HasPrefix(body, "(") {
		if k := strings.IndexByte(body, ')'); k >= 0 {
			body = strings.TrimLeft(body[k+1:], " .-")
		}
	}
	seps := map[byte]bool{}
	for i := 0; i < len(body); i++ {
		if !piiIsDigit(body[i]) {
			seps[body[i]] = true
		}
	}
	return len(seps) == 1
}

// piiBlankTags replaces HTML tags, and the bodies of script and style
// elements, with spaces (newlines kept), so offsets and line numbers of the
// visible text stay those of the original.
func piiBlankTags(text string) string {
	b := []byte(text)
	for i := 0; i < len(b); i++ {
		if b[i] != '<' {
			continue
		}
		j := i + 1
		for j < len(b) && b[j] != '>' {
			j++
		}
		if j >= len(b) {
			break
		}
		tag := strings.ToLower(string(b[i+1 : min(j, i+8)]))
		end := j
		for _, el := range []string{"script", "style"} {
			if strings.HasPrefix(tag, el) {
				if k := strings.Index(strings.ToLower(text[j:]), "</"+el); k >= 0 {
					end = j + k
				} else {
					end = len(b) - 1
				}
			}
		}
		for k := i; k <= end && k < len(b); k++ {
			if b[k] != '\n' {
				b[k] = ' '
			}
		}
		i = end
	}
	return string(b)
}

// piiSyntheticModules generate fake personal data.
var piiSyntheticModules = piiWordSet("faker", "mimesis", "factory", "sdv", "synthpop")

func (s *piiState) values() {
	for _, c := range s.n.Code() {
		for _, im := range c.Imports {
			if piiSyntheticModules[strings.SplitN(im.Module, ".", 2)[0]] {
				s.out.Synthetic = true
			}
		}
	}
	for _, c := range s.n.Code() {
		s.codeValues(c)
		s.outputValues(c)
	}
}

// codeValues scans every line of a code cell (string literals, comments,
// magic and shell lines) so that snippets are redacted whatever rule
// points at the line.
func (s *piiState) codeValues(c *Cell) {
	src := c.NB.Source
	if src == "" || !strings.ContainsAny(src, "0123456789@") {
		return
	}
	for li, line := range strings.Split(src, "\n") {
		if len(line) < 7 || len(line) > 20_000 {
			continue
		}
		for _, m := range piiFindValues(line, piiScanOpts{}) {
			v := line[m.start:m.end]
			s.out.Values = append(s.out.Values, PersonalValue{Kind: m.kind, Cell: c.Index,
				Pos:      Pos{li + 1, utf8.RuneCountInString(line[:m.start]) + 1},
				Len:      utf8.RuneCountInString(v),
				Redacted: Redact(m.kind, v, 0), value: v, line: li + 1, start: m.start, end: m.end})
		}
	}
}

// piiOutputText returns the scannable text of one representation of an
// output: HTML with tags, scripts and styles blanked (offsets and lines
// kept), tracebacks without ANSI codes. ok is false for binary payloads.
func piiOutputText(mime, text string) (string, bool) {
	switch {
	case mime == "stream", mime == "text/plain", mime == "text/markdown", mime == "text/latex",
		mime == "text/csv", mime == "text/tab-separated-values", mime == "application/json":
		return text, true
	case mime == "text/html":
		if !strings.ContainsAny(text, "0123456789@:") {
			return "", false
		}
		return piiBlankTags(text), true
	}
	return "", false
}

func (s *piiState) outputValues(c *Cell) {
	for oi := range c.NB.Outputs {
		o := &c.NB.Outputs[oi]
		type part struct{ mime, text string }
		var parts []part
		if o.Type == "error" {
			tb := strings.Join(o.Traceback, "\n")
			parts = append(parts, part{"error", piiAnsiRe.ReplaceAllString(tb, "")})
		}
		for i := range o.Data {
			d := &o.Data[i]
			if !d.Kept || d.Text == "" {
				continue
			}
			if txt, ok := piiOutputText(d.MIME, d.Text); ok {
				parts = append(parts, part{d.MIME, txt})
			}
		}
		for _, p := range parts {
			opts := piiScanOpts{userPaths: p.mime == "error" || p.mime == "stream" && o.StreamName == "stderr"}
			for _, m := range piiFindValues(p.text, opts) {
				v := p.text[m.start:m.end]
				before := p.text[:m.start]
				line := 1 + strings.Count(before, "\n")
				col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
				s.out.Values = append(s.out.Values, PersonalValue{Kind: m.kind, Cell: c.Index,
					Output: &OutputPos{Index: oi, MIME: p.mime, Line: line}, Pos: Pos{line, col},
					Len: utf8.RuneCountInString(v), Redacted: Redact(m.kind, v, 0), value: v})
			}
		}
	}
}

// piiSpans returns the spans of personal values found in code cells, so
// every report redacts them in the code lines it shows.
func piiSpans(n *Notebook) []Span {
	var out []Span
	for _, v := range n.Personal().Values {
		if v.Output != nil {
			continue
		}
		out = append(out, Span{Cell: v.Cell, Line: v.line, Start: v.start, End: v.end, Kind: v.Kind})
	}
	return out
}

// FindPersonalValues runs the value recognizers over a text (for tests and
// tools); each match is returned with its kind and byte range.
func FindPersonalValues(text string, userPaths bool) []PersonalValue {
	var out []PersonalValue
	for _, m := range piiFindValues(text, piiScanOpts{userPaths: userPaths}) {
		v := text[m.start:m.end]
		out = append(out, PersonalValue{Kind: m.kind, Cell: -1, Len: utf8.RuneCountInString(v),
			Redacted: Redact(m.kind, v, 0), value: v, start: m.start, end: m.end})
	}
	return out
}
