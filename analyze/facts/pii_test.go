package facts

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/nbprod/nbprod/notebook"
)

func TestNormalizeColumn(t *testing.T) {
	cases := map[string]string{
		"PatientID":      "patient_id",
		"e-Mail":         "e_mail",
		"firstName":      "first_name",
		"Date of Birth":  "date_of_birth",
		"IPAddress":      "ip_address",
		"customer.email": "customer_email",
		"DOB":            "dob",
		"  Phone No. ":   "phone_no",
		"SSN":            "ssn",
		"3SsnPorch":      "3_ssn_porch",
		"":               "",
	}
	for in, want := range cases {
		if got := NormalizeColumn(in); got != want {
			t.Errorf("NormalizeColumn(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatchColumn(t *testing.T) {
	type want struct {
		entity, category string
		weak             bool
	}
	pos := map[string]want{
		"email":               {EntityEmail, "", false},
		"E-Mail":              {EntityEmail, "", false},
		"customerEmail":       {EntityEmail, "", false},
		"phone_no":            {EntityPhone, "", false},
		"Telephone":           {EntityPhone, "", false},
		"mobile":              {EntityPhone, "", false},
		"first_name":          {EntityPerson, "", false},
		"LastName":            {EntityPerson, "", false},
		"patient_name":        {EntityPerson, "", false},
		"name":                {EntityPerson, "", true},
		"address":             {EntityLocation, "", true},
		"billing_address":     {EntityLocation, "", false},
		"zip_code":            {EntityLocation, "", true},
		"city":                {EntityLocation, "", true},
		"dob":                 {EntityDateOfBirth, "", false},
		"birthDate":           {EntityDateOfBirth, "", false},
		"age":                 {EntityDateOfBirth, "", true},
		"age_group":           {EntityDateOfBirth, "", true},
		"SSN":                 {EntityNationalID, "", false},
		"customer_ssn":        {EntityNationalID, "", false},
		"passport_number":     {EntityNationalID, "", false},
		"credit_card_number":  {EntityCreditCard, "", false},
		"IBAN":                {EntityBankAccount, "", false},
		"ip_address":          {EntityIPAddress, "", false},
		"client_ip":           {EntityIPAddress, "", false},
		"user_agent":          {EntityDeviceID, "", false},
		"device_id":           {EntityDeviceID, "", true},
		"customer_id":         {EntityPseudonymousID, "", false},
		"userId":              {EntityPseudonymousID, "", false},
		"gender":              {EntityDemographic, "", false},
		"Sex":                 {EntityDemographic, "", false},
		"marital-status":      {EntityDemographic, "", false},
		"ethnicity":           {EntitySpecial, CatRacial, false},
		"race":                {EntitySpecial, CatRacial, true},
		"religion":            {EntitySpecial, CatReligious, false},
		"union_member":        {EntitySpecial, CatUnion, false},
		"party_affiliation":   {EntitySpecial, CatPolitical, false},
		"genotype":            {EntitySpecial, CatGenetic, false},
		"face_embedding":      {EntitySpecial, CatBiometric, false},
		"diagnosis":           {EntitySpecial, CatHealth, false},
		"ICD10":               {EntitySpecial, CatHealth, false},
		"has_diabetes":        {EntitySpecial, CatHealth, false},
		"condition":           {EntitySpecial, CatHealth, true},
		"bmi":                 {EntitySpecial, CatHealth, true},
		"sexual_orientation":  {EntitySpecial, CatSexLife, false},
		"sex_life":            {EntitySpecial, CatSexLife, false},
		"race_ethnicity":      {EntitySpecial, CatRacial, false},
		"patient_diagnosis":   {EntitySpecial, CatHealth, false},
		"medical_condition":   {EntitySpecial, CatHealth, false},
		"address1":            {EntityLocation, "", true},
		"Sex_male":            {EntityDemographic, "", false},
		"contact_number":      {EntityPhone, "", false},
		"social_security_num": {EntityNationalID, "", false},
	}
	for col, w := range pos {
		m, ok := MatchColumn(col)
		if !ok {
			t.Errorf("MatchColumn(%q): no match, want %s", col, w.entity)
			continue
		}
		if w.entity == EntitySpecial && w.category == CatRacial && col == "race_ethnicity" {
			// ethnicity is the strong word here.
			w.weak = false
		}
		if m.Entity != w.entity || m.Category != w.category || m.Weak != w.weak {
			t.Errorf("MatchColumn(%q) = %+v, want %+v", col, m, w)
		}
	}
	neg := []string{
		// RULES.md §5.1's non-person compounds.
		"product_name", "file_name", "host_name", "column_name", "model_name", "company_name", "host_address",
		"machine_age", "zip_file", "phone_service", "PhoneService", "CandidateName",
		// Flags and counts about personal data.
		"has_email", "email_count", "is_email_verified", "n_phone", "mean_age",
		// Look-alikes.
		"3SsnPorch", "hour_sin", "sin", "raceId", "race_time", "race_name", "average", "percentage", "usage",
		"stage", "mailbox_size", "emailer_template_id", "description", "pan_tilt", "sepal_length", "template_id",
		"tokens", "created_at", "price", "", "a_very_long_column_name_with_many_tokens_in_it",
	}
	for _, col := range neg {
		if m, ok := MatchColumn(col); ok && (!m.Weak || col == "3SsnPorch" || col == "raceId") {
			t.Errorf("MatchColumn(%q) = %+v, want no (strong) match", col, m)
		}
	}
	// Words that only count in context are weak.
	for _, col := range []string{"sin", "pan", "swift", "mail"} {
		if m, ok := MatchColumn(col); ok && !m.Weak {
			t.Errorf("MatchColumn(%q) = %+v, want weak", col, m)
		}
	}
}

// luhnNumber completes prefix to n digits with a valid Luhn check digit.
func luhnNumber(prefix string, n int) string {
	s := prefix
	for i := 0; len(s) < n-1; i++ {
		s += string(rune('0' + (i*7+3)%10))
	}
	for d := 0; d <= 9; d++ {
		if c := s + string(rune('0'+d)); piiLuhn(c) {
			return c
		}
	}
	panic("unreachable")
}

// ibanFor builds a valid IBAN from a country code and BBAN.
func ibanFor(cc, bban string) string {
	var b strings.Builder
	for _, r := range bban + cc + "00" {
		if r >= 'A' && r <= 'Z' {
			fmt.Fprintf(&b, "%d", r-'A'+10)
		} else {
			b.WriteRune(r)
		}
	}
	n, _ := new(big.Int).SetString(b.String(), 10)
	mod := new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("%s%02d%s", cc, 98-mod, bban)
}

func kinds(vs []PersonalValue) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Kind+"="+v.Value())
	}
	sort.Strings(out)
	return out
}

func TestFindPersonalValues(t *testing.T) {
	card := luhnNumber("4539", 16)
	cardSpaced := card[:4] + " " + card[4:8] + " " + card[8:12] + " " + card[12:]
	amex := luhnNumber("37", 15)
	amexDashed := amex[:4] + "-" + amex[4:10] + "-" + amex[10:]
	iban := ibanFor("DE", "500105175407324931")
	ibanSpaced := iban[:4] + " " + iban[4:8] + " " + iban[8:12] + " " + iban[12:16] + " " + iban[16:20] + " " + iban[20:]
	ibanGB := ibanFor("GB", "NWBK60161331926820")
	pos := []struct {
		text, kind, value string
	}{
		{"contact: maria.lopez@kundenpost.de.", ValueEmail, "maria.lopez@kundenpost.de"},
		{"'t.becker@fastmail.fm'", ValueEmail, "t.becker@fastmail.fm"},
		{"\\njan.novak@seznam.cz \\n", ValueEmail, "jan.novak@seznam.cz"},
		{"call (415) 867-2309 today", ValuePhone, "(415) 867-2309"},
		{"tel 415-867-2309", ValuePhone, "415-867-2309"},
		{"tel: +49 30 9017 2345", ValuePhone, "+49 30 9017 2345"},
		{"+1 212 736 4821", ValuePhone, "+1 212 736 4821"},
		{"card " + card, ValueCreditCard, card},
		{"paid with " + cardSpaced + " yesterday", ValueCreditCard, cardSpaced},
		{amexDashed, ValueCreditCard, amexDashed},
		{"IBAN " + iban, ValueIBAN, iban},
		{ibanSpaced + " (giro)", ValueIBAN, ibanSpaced},
		{ibanGB, ValueIBAN, ibanGB},
		{"ssn: 536-22-8154", ValueSSN, "536-22-8154"},
		{"SSN 536 22 8154", ValueSSN, "536 22 8154"},
		{"client 52.14.203.17 connected", ValueIPAddress, "52.14.203.17"},
		{"from 2a03:2880:f10c:83:face:b00c:0:25de", ValueIPAddress, "2a03:2880:f10c:83:face:b00c:0:25de"},
		{"date_of_birth: 1984-03-12", ValueDateOfBirth, "1984-03-12"},
		{"born 7 November 1955 in Seattle", ValueDateOfBirth, "7 November 1955"},
	}
	for _, c := range pos {
		got := FindPersonalValues(c.text, false)
		want := c.kind + "=" + c.value
		if g := kinds(got); len(g) != 1 || g[0] != want {
			t.Errorf("FindPersonalValues(%q) = %v, want [%s]", c.text, g, want)
		}
		for _, v := range got {
			if strings.Contains(v.Redacted, c.value) || !strings.HasPrefix(v.Redacted, "<redacted "+c.kind+", ") {
				t.Errorf("Redacted %q leaks or is malformed", v.Redacted)
			}
		}
	}
	// The header of a table names the birth date: every date below counts.
	table := "  name  dob\n0  A  1984-03-12\n1  B  1990-11-02\n"
	if g := kinds(FindPersonalValues(table, false)); len(g) != 2 {
		t.Errorf("dob column dates = %v, want 2", g)
	}
	// User names in paths only where asked (tracebacks).
	tb := `File "/home/jsmith/project/train.py", line 3` + "\n" + `File "C:\\Users\\AnnaK\\lib\\x.py"` + "\n" + `/home/jovyan/work/a.py`
	if g := kinds(FindPersonalValues(tb, true)); strings.Join(g, ",") != "user-name=AnnaK,user-name=jsmith" {
		t.Errorf("user paths = %v", g)
	}
	if g := FindPersonalValues(tb, false); len(g) != 0 {
		t.Errorf("user paths without userPaths = %v", kinds(g))
	}

	neg := []string{
		// Synthetic data (RULES.md §1.5).
		"jane@example.com", "someone@example.org", "ops@sub.example.net", "noreply@github.com",
		"info@acme-corp.de", "support@shop.io", "companyinfo@amazon.com",
		"555-0123", "(212) 555-0188", "212-555-0142",
		"4111 1111 1111 1111", "4242424242424242", "card 4111111111111111", "5555-5555-5555-4444",
		"DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432",
		// Not emails.
		"model@2x.png", "pkg@1.2.3", "git@github.com:org/repo.git", "user@localhost", "a@b", "x@file.py",
		"@decorator.property", "matrix @ other.T",
		// Cards failing Luhn or context.
		luhnNumber("4539", 16)[:15] + "0", "total 1609459200000 rows", "id " + card[:15] + "9",
		"timestamp " + luhnNumber("4", 16),
		// SSNs Presidio invalidates.
		"123-45-6789", "000-12-3456", "666-12-3456", "912-34-5678", "536-00-8154", "536-22-0000",
		"111-11-1111", "536-22 8154", "536 22 8154", "078-05-1120",
		// Private, loopback, reserved and documentation IPs; versions.
		"10.0.0.12", "192.168.1.20", "172.16.5.4", "127.0.0.1", "169.254.0.1", "100.64.1.1", "192.0.2.55",
		"203.0.113.9", "8.8.8.8", "1.2.3.4", "version 2.19.1.1", "pkg==2.19.1.1", "Agent/1.0.14.0", "1.2.3.4.5",
		"::1", "fe80::1", "2001:db8::1", "12:30:45", "a[::2]", "fd00::5",
		// Numbers that look like phones or SSNs without the shape.
		"0.4158672309", "4158672309", "2021-05-12", "12,345,678.90", "415-867-23090",
		// Dates without birth context.
		"created 1984-03-12",
		// IBAN with a bad check.
		"DE00500105175407324931",
	}
	for _, text := range neg {
		if g := FindPersonalValues(text, false); len(g) != 0 {
			t.Errorf("FindPersonalValues(%q) = %v, want none", text, kinds(g))
		}
	}
}

func TestIBANAndLuhn(t *testing.T) {
	if !piiIbanValid("GB82WEST12345698765432") || !piiIbanValid("DE89370400440532013000") {
		t.Error("documented IBANs should validate")
	}
	if piiIbanValid("GB82WEST12345698765433") || piiIbanValid("DE8937040044053201300") {
		t.Error("bad check digits or length should not validate")
	}
	if !piiLuhn("4111111111111111") || piiLuhn("4111111111111112") {
		t.Error("Luhn")
	}
	if !piiSsnValid("536-22-8154") || piiSsnValid("536-22.8154") {
		t.Error("SSN delimiters")
	}
}

// personalOf analyses cells (code cells only).
func personalOf(t *testing.T, cells ...string) *PersonalData {
	t.Helper()
	w := NewWorker()
	t.Cleanup(w.Close)
	return w.New(notebookOf(cells...), Env{}).Personal()
}

// confirmed lists "column@context" of the confirmed columns.
func confirmed(pd *PersonalData) []string {
	var out []string
	for _, c := range pd.Columns {
		if c.Confirmed {
			out = append(out, c.Column+"@"+c.Context)
		}
	}
	sort.Strings(out)
	return out
}

func TestPersonalColumnContexts(t *testing.T) {
	cases := []struct {
		name  string
		cells []string
		want  string // sorted confirmed column@context, comma-joined
	}{
		{"subscript", []string{"import pandas as pd\ndf = pd.read_csv('x.csv')\ndf['email']"}, "email@subscript"},
		{"list subscript", []string{"import pandas as pd\ndf = pd.read_csv('x.csv')\ndf[['email', 'plan']]"}, "email@subscript"},
		{"feature list", []string{"import pandas as pd\ndf = pd.read_csv('x.csv')\ncols = ['phone', 'plan']", "df[cols]"}, "phone@subscript"},
		{"loc", []string{"import pandas as pd\ndf = pd.read_csv('x.csv')\ndf.loc[:, ['gender', 'plan']]\ndf.loc['email']"}, "gender@subscript"},
		{"attribute", []string{"import pandas as pd\ndf = pd.read_csv('x.csv')\ndf.gender.value_counts()\ncfg = {}\ncfg.email"}, "gender@attribute"},
		{"usecols", []string{"import pandas as pd\ndf = pd.read_csv('x.csv', usecols=['dob', 'plan'])"}, "dob@usecols"},
		{"names", []string{"import pandas as pd\ndf = pd.read_csv('x.csv', names=['ssn', 'x'])"}, "ssn@names"},
		{"constructor", []string{"import pandas as pd\ndf = pd.DataFrame({'first_name': [], 'score': []})"}, "first_name@dict-key"},
		{"constructor columns", []string{"import pandas as pd\ndf = pd.DataFrame(rows, columns=['iban', 'amount'])"}, "iban@columns"},
		{"columns assignment", []string{"import pandas as pd\ndf = pd.read_csv('x.csv', header=None)\ndf.columns = ['passport_no', 'amount']"}, "passport_no@columns"},
		{"rename", []string{"import pandas as pd\ndf = pd.read_csv('x.csv')\ndf = df.rename(columns={'mail': 'email_address'})"}, "email_address@rename"},
		{"groupby merge", []string{"import pandas as pd\ndf = pd.read_csv('x.csv')\no = pd.read_csv('o.csv')\ndf.groupby('gender').size()\ndf.merge(o, on='customer_id')"}, "customer_id@merge,gender@groupby"},
		{"sort drop_duplicates", []string{"import pandas as pd\ndf = pd.read_csv('x.csv')\ndf.sort_values('birth_date')\ndf.drop_duplicates(subset=['email'])"}, "birth_date@sort,email@subset"},
		{"seaborn", []string{"import pandas as pd\nimport seaborn as sns\ndf = pd.read_csv('x.csv')\nsns.barplot(x='gender', y='spend', data=df)"}, "gender@plot"},
		{"sql", []string{"import pandas as pd\nq = '''SELECT c.first_name, c.email AS mail, LOWER(city) FROM crm.customers c'''\nrows = pd.read_sql(q, con)"}, "email@sql,first_name@sql,mail@sql"},
		{"sql read_sql", []string{"import pandas as pd\ndf = pd.read_sql('SELECT phone, plan FROM accounts', con)"}, "phone@sql"},
		// Generic words need a person context.
		{"name without context", []string{"import pandas as pd\nproducts = pd.read_csv('products.csv')\nproducts['name']\nproducts['address']"}, ""},
		{"name in customers", []string{"import pandas as pd\ncustomers = pd.read_csv('data/customers.csv')\ncustomers['name']\ncustomers['age']"}, "age@subscript,name@subscript"},
		{"name with two strong", []string{"import pandas as pd\ndf = pd.read_csv('x.csv')\ndf[['name', 'email', 'phone']]"}, "email@subscript,name@subscript,phone@subscript"},
		{"name with person id", []string{"import pandas as pd\ndf = pd.read_csv('x.csv')\ndf[['user_id', 'name', 'age']]"}, "age@subscript,name@subscript,user_id@subscript"},
		{"city needs another location", []string{"import pandas as pd\nusers = pd.read_csv('users.csv')\nusers['city']"}, ""},
		{"city and zip", []string{"import pandas as pd\nusers = pd.read_csv('users.csv')\nusers[['city', 'zip']]"}, "city@subscript,zip@subscript"},
		// Not DataFrames.
		{"settings", []string{"import os\nos.environ['EMAIL']\nconfig = load()\nconfig['email']"}, ""},
		{"json result", []string{"results = r.json()\nresults['full_name']"}, ""},
		{"json user", []string{"user = r.json()\nuser['email']\nuser['phone']"}, "email@subscript,phone@subscript"},
		// Animals.
		{"penguins", []string{"import seaborn as sns\npenguins = sns.load_dataset('penguins')\npenguins['sex']\npenguins['species']"}, ""},
		// Special categories: strict context.
		{"race in sports", []string{"import pandas as pd\nresults = pd.read_csv('race_results.csv')\nresults['race']\nresults['raceId']\nresults['driver_name']"}, ""},
		{"race in census", []string{"import pandas as pd\nadult = pd.read_csv('adult.csv')\nadult[['race', 'sex', 'age']]"}, "race@subscript,sex@subscript"},
		{"condition generic", []string{"import pandas as pd\nhouses = pd.read_csv('houses.csv')\ncondition = houses['price'] > 10\nhouses['condition']"}, ""},
		{"condition in patients", []string{"import pandas as pd\npatients = pd.read_csv('patients.csv')\npatients['condition']"}, "condition@subscript"},
		{"insurance", []string{"import pandas as pd\nins = pd.read_csv('insurance.csv')\nins[['sex', 'bmi', 'smoker']]"}, "bmi@subscript,sex@subscript,smoker@subscript"},
		{"treatment in ab test", []string{"import pandas as pd\nab = pd.read_csv('ab.csv')\nab[['user_id', 'treatment', 'converted']]"}, "user_id@subscript"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := strings.Join(confirmed(personalOf(t, c.cells...)), ",")
			if got != c.want {
				t.Errorf("confirmed = %q, want %q", got, c.want)
			}
		})
	}
}

func TestPersonalColumnPositions(t *testing.T) {
	pd := personalOf(t, "import pandas as pd\ndf = pd.read_csv('x.csv')\nx = df[\"email\"]",
		"q = \"SELECT id, phone FROM users\"")
	var got []string
	for _, c := range pd.Columns {
		got = append(got, fmt.Sprintf("%s %d:%d:%d-%d:%d", c.Column, c.Cell, c.Pos.Line, c.Pos.Col, c.End.Line, c.End.Col))
	}
	want := []string{"email 0:3:8-3:15", "phone 1:1:17-1:22"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("positions = %v, want %v", got, want)
	}
	if len(pd.Frames) != 2 || pd.Frames[0].Name() != "df" || pd.Frames[1].Name() != "users" || !pd.Frames[1].PersonContext {
		t.Errorf("frames = %+v", pd.Frames)
	}
}

func TestPersonalOutputHeaders(t *testing.T) {
	nb := notebookOf("import pandas as pd\ncustomers = pd.read_csv('customers.csv')", "customers.head()", "print(customers.head())")
	nb.Cells[1].Outputs = []notebook.Output{{Type: "execute_result", Data: []notebook.MimeData{
		{MIME: "text/html", Kept: true, Text: "<div>\n<table border=\"1\" class=\"dataframe\">\n  <thead>\n    <tr style=\"text-align: right;\">\n      <th></th>\n      <th>Name</th>\n      <th>E-Mail</th>\n      <th>plan</th>\n    </tr>\n  </thead>\n<tbody><tr><th>0</th><td>x</td><td>y</td><td>z</td></tr></tbody></table></div>"},
		{MIME: "text/plain", Kept: true, Text: "   Name E-Mail plan\n0  x  y  z"},
	}}}
	nb.Cells[2].Outputs = []notebook.Output{{Type: "stream", StreamName: "stdout", Data: []notebook.MimeData{
		{MIME: "stream", Kept: true, Text: "    first_name  phone_number  plan\n0         Ann        n/a    basic\n"},
	}}}
	w := NewWorker()
	defer w.Close()
	pd := w.New(nb, Env{}).Personal()
	var got []string
	for _, c := range pd.Columns {
		if c.Output == nil {
			continue
		}
		got = append(got, fmt.Sprintf("%s %v cell%d %s:%d", c.Column, c.Confirmed, c.Cell, c.Output.MIME, c.Output.Line))
	}
	want := []string{"Name true cell1 text/html:6", "E-Mail true cell1 text/html:7", "first_name true cell2 stream:1", "phone_number true cell2 stream:1"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("header columns = %v\nwant %v", got, want)
	}
	// A classification report is not a table header.
	if h := piiTextHeader("              precision    recall\n\n           0       0.80      0.90\n"); len(h) != 0 {
		t.Errorf("text header of a report = %v", h)
	}
}

func flowsOf(pd *PersonalData) []string {
	var out []string
	for _, f := range pd.Flows {
		cols := append([]string(nil), f.Columns...)
		sort.Strings(cols)
		s := fmt.Sprintf("%s:%s@%d:%s", f.Kind, f.Sink, f.Cell, strings.Join(cols, "+"))
		if f.Inferred {
			s += "(inferred)"
		}
		out = append(out, s)
	}
	return out
}

func TestPersonalFlows(t *testing.T) {
	head := "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.model_selection import train_test_split\ndf = pd.read_csv('customers.csv')"
	cases := []struct {
		name  string
		cells []string
		want  string
	}{
		{"feature list", []string{head, "features = ['age', 'email', 'tenure']\nX = df[features]\nm = LogisticRegression().fit(X, df['churn'])"},
			"feature:fit@1:age+email"},
		{"drop target keeps referenced pii", []string{head, "df['email'].str.len()\nX = df.drop(columns=['churn'])\nm = LogisticRegression().fit(X, df['churn'])"},
			"feature:fit@1:email(inferred)"},
		{"dropped before fit", []string{head, "df['email'].str.len()\nX = df.drop(columns=['churn', 'email'])\nm = LogisticRegression().fit(X, df['churn'])"},
			""},
		{"drop axis=1 and inplace", []string{head, "df[['email', 'phone']].head()\ndf.drop('phone', axis=1, inplace=True)\nX = df.drop(['churn', 'email'], axis=1)\nLogisticRegression().fit(X, y)"},
			""},
		{"del column", []string{head, "df[['email', 'gender']].head()\ndel df['email']\nLogisticRegression().fit(df, y)"},
			"feature:fit@1:gender(inferred)"},
		{"hashed", []string{head, "import hashlib\ndf['email'] = df['email'].map(lambda e: hashlib.sha256(e.encode()).hexdigest())\nX = df[['email', 'tenure']]\nLogisticRegression().fit(X, y)"},
			""},
		{"unknown set without references", []string{head, "X = df\nLogisticRegression().fit(X, y)"}, ""},
		{"usecols then whole frame", []string{"import pandas as pd\nd = pd.read_csv('c.csv', usecols=['dob', 'spend', 'churn'])\nX_train, X_test, y_train, y_test = train_test_split(d.drop(columns=['churn']), d['churn'])\nclf.fit(X_train, y_train)\nclf.predict(X_test)"},
			"feature:fit@0:dob(inferred),feature:predict@0:dob(inferred)"},
		{"scaler and get_dummies", []string{head, "X = pd.get_dummies(df[['gender', 'plan']])\nXs = scaler.fit_transform(X)\nmodel.fit(Xs, y)"},
			"feature:fit_transform@1:gender,feature:fit@1:gender"},
		{"encoder of one column is not a model", []string{head, "le.fit_transform(df['gender'])"}, ""},
		{"pseudonymous ids alone", []string{head, "model.fit(df[['customer_id', 'spend']], y)"}, ""},
		{"to_csv", []string{head, "df[['email', 'spend']].to_csv('out/export.csv')"}, "export:to_csv@1:email"},
		{"to_csv after drop", []string{head, "df['email']\ndf.drop(columns=['email']).to_csv('out/export.csv')"}, ""},
		{"to_csv without path returns text", []string{head, "s = df[['email']].to_csv()"}, ""},
		{"to_excel and clipboard", []string{head, "sub = df[['phone', 'spend']]\nsub.to_excel('x.xlsx')\nsub.to_clipboard()"}, "export:to_excel@1:phone,export:to_clipboard@1:phone"},
		{"requests", []string{head, "import requests\nrequests.post(url, json=df[['email', 'spend']].to_dict(orient='records'))"}, "export:requests.post@1:email"},
		{"wandb", []string{head, "import wandb\nwandb.log({'t': wandb.Table(dataframe=df[['first_name', 'spend']])})"}, "export:wandb.Table@1:first_name"},
		{"mlflow", []string{head, "import mlflow\nmlflow.log_table(data=df[['dob', 'spend']], artifact_file='t.json')"}, "export:mlflow.log_table@1:dob"},
		{"llm prompt", []string{head, "from openai import OpenAI\nclient = OpenAI()\nrows = df[['email', 'complaint']].head(20)\nprompt = f'Summarise these complaints: {rows.to_markdown()}'",
			"client.chat.completions.create(model='gpt-4o', messages=[{'role': 'user', 'content': prompt}])"}, "export:llm-prompt@2:email"},
		{"aggregate is not exported", []string{head, "df['email']\ndf.groupby('plan').mean().to_csv('agg.csv')"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := strings.Join(flowsOf(personalOf(t, c.cells...)), ",")
			if got != c.want {
				t.Errorf("flows = %q, want %q", got, c.want)
			}
		})
	}
}

func TestPersonalValuesInNotebook(t *testing.T) {
	nb := notebookOf("owner = 'maria.lopez@kundenpost.de'  # +49 30 9017 2345", "df.head()", "from faker import Faker")
	nb.Cells[1].Outputs = []notebook.Output{
		{Type: "stream", StreamName: "stdout", Data: []notebook.MimeData{{MIME: "stream", Kept: true, Text: "x\nt.becker@fastmail.fm\n"}}},
		{Type: "display_data", Data: []notebook.MimeData{{MIME: "image/png", Size: 100}}},
		{Type: "error", Traceback: []string{"\x1b[0;31mFile \x1b[0m/home/mlopez/x.py:3"}},
	}
	w := NewWorker()
	defer w.Close()
	fx := w.New(nb, Env{})
	pd := fx.Personal()
	var got []string
	for _, v := range pd.Values {
		where := "code"
		if v.Output != nil {
			where = fmt.Sprintf("out%d:%s:%d", v.Output.Index, v.Output.MIME, v.Output.Line)
		}
		got = append(got, fmt.Sprintf("%s %d %s %d:%d", v.Kind, v.Cell, where, v.Pos.Line, v.Pos.Col))
	}
	want := "email 0 code 1:10|phone 0 code 1:40|email 1 out0:stream:2 2:1|user-name 1 out2:error:1 1:12"
	if strings.Join(got, "|") != want {
		t.Errorf("values = %v\nwant %s", got, want)
	}
	if !pd.Synthetic {
		t.Error("a notebook importing faker is synthetic")
	}
	// Spans redact the code line whatever rule shows it.
	line := fx.RedactLine(0, 1, nb.Cells[0].Source)
	if strings.Contains(line, "maria") || strings.Contains(line, "9017") ||
		line != "owner = '<redacted email, 25 chars>'  # <redacted phone, 16 chars>" {
		t.Errorf("RedactLine = %q", line)
	}
}

func TestPersonalOddInput(t *testing.T) {
	// Non-Python cells, unparsable code, empty outputs, huge and binary-ish
	// text: no panic.
	nb := notebookOf("%%bash\necho $EMAIL", "def (:\n  df['email'", "%%sql\nSELECT email, phone FROM users", "")
	nb.Cells[3].Outputs = []notebook.Output{{Type: "execute_result", Data: []notebook.MimeData{
		{MIME: "text/html", Kept: true, Text: "<table><tr><th>" + strings.Repeat("<", 5000)},
		{MIME: "text/plain", Kept: true, Text: strings.Repeat("@.", 10000) + strings.Repeat("1-", 5000)},
	}}}
	w := NewWorker()
	defer w.Close()
	pd := w.New(nb, Env{}).Personal()
	if got := strings.Join(confirmed(pd), ","); got != "email@sql,phone@sql" {
		t.Errorf("%%%%sql cell columns = %q", got)
	}
}
