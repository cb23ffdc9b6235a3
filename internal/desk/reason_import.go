package desk

import "regexp"

// ReasonImportReopened is the reason of a reopen found in an imported
// history (internal/servicenow): the other system's reopen count rose. As
// a code, the reader's language words it, like the desk's own reasons.
const ReasonImportReopened ReasonCode = "import_reopened"

func init() {
	reasonTexts = append(reasonTexts, struct {
		code   ReasonCode
		text   string
		params []string
		re     *regexp.Regexp
	}{ReasonImportReopened, "reopened before the import", nil, regexp.MustCompile(`^reopened before the import$`)})
}
