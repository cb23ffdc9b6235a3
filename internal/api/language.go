package api

import (
	"net/http"

	"golang.org/x/text/language"
)

// The languages the API words text in (internal/reasons has both), the
// first the default.
var (
	apiLanguages = []language.Tag{language.English, language.Russian}
	apiMatcher   = language.NewMatcher(apiLanguages)
)

// acceptLanguage is the language of r's Accept-Language that the API words
// text in: "en" or "ru"; English when the header names neither.
func acceptLanguage(r *http.Request) string {
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	_, i, conf := apiMatcher.Match(tags...)
	if conf == language.No {
		i = 0
	}
	base, _ := apiLanguages[i].Base()
	return base.String()
}
