package rules

import (
	"fmt"

	"github.com/nbprod/nbprod/analyze"
)

// CredentialsInURI reports passwords inside URIs, DSNs and connection
// strings: user:password@host, PWD=…, AccountKey=…, SAS signatures.
var CredentialsInURI = &analyze.Rule{
	ID:       "NB402",
	Name:     "credentials-in-uri",
	Category: analyze.CatSecurity,
	Severity: analyze.Blocker,
	Doc:      doc("NB402"),
	Run:      runCredentialsInURI,
}

func runCredentialsInURI(p *analyze.Pass) {
	fx := p.Facts
	for _, s := range fx.Secrets() {
		s := s
		if s.Rule() != "NB402" || tagged(fx, s.Cell, "nbprod-test-fixture") {
			continue
		}
		what := "password"
		switch s.Kind {
		case "azure-storage-account-key":
			what = "storage account key"
		case "sas-signature", "sas-token":
			what = "shared access signature"
		}
		msg := fmt.Sprintf("connection string or URI carries a %s (%s): the credential is in the source", what, s.Redacted)
		fix := fmt.Sprintf("keep the URI without credentials in config and read the secret from the environment (%s), e.g. sqlalchemy URL.create(..., password=os.environ[%q]); rotate the credential",
			s.EnvVar, s.EnvVar)
		p.Report(secretFinding(&s, msg, fix))
	}
}
