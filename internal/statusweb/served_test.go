package statusweb_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestStatusPage_LanguageETagAndNotModified: the page is served in the
// visitor's best language (any case, any region, by q), each language with
// an ETag of its own; a visitor holding it gets 304 and no body, one
// holding the other language's gets the page; a change gives new ETags;
// HEAD has the headers and no body.
func TestStatusPage_LanguageETagAndNotModified(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	_, err := f.page.SaveComponent(f.admin, statuspage.Component{Name: "Mail delivery"})
	f.must(err)
	f.refresh()
	for _, c := range []struct{ accept, want string }{
		{"", "en"}, {"RU-ru", "ru"}, {"en;q=0.5, ru;q=0.8", "ru"}, {"ru;q=0.2,EN-us", "en"}, {"de, ru;q=0.1", "ru"}, {"de", "en"}, {"ru, en", "ru"},
	} {
		res, body := f.get("/status", "Accept-Language", c.accept)
		if res.StatusCode != 200 || res.Header.Get("Content-Language") != c.want || !strings.Contains(body, `<html lang="`+c.want+`"`) {
			t.Errorf("Accept-Language %q: %d %s, want %s", c.accept, res.StatusCode, res.Header.Get("Content-Language"), c.want)
		}
	}
	en, _ := f.get("/status")
	ru, _ := f.get("/status", "Accept-Language", "ru")
	enTag, ruTag := en.Header.Get("ETag"), ru.Header.Get("ETag")
	if enTag == "" || enTag == ruTag || ru.Header.Get("Vary") != "Accept-Language" || en.Header.Get("Cache-Control") == "" {
		t.Fatalf("ETags en %q, ru %q; headers %v", enTag, ruTag, ru.Header)
	}
	if res, body := f.get("/status", "Accept-Language", "ru", "If-None-Match", `"x", W/`+ruTag); res.StatusCode != 304 || body != "" {
		t.Errorf("revalidating the Russian page: %d, %d bytes", res.StatusCode, len(body))
	}
	if res, body := f.get("/status", "Accept-Language", "ru", "If-None-Match", enTag); res.StatusCode != 200 || body == "" {
		t.Errorf("the English ETag for the Russian page: %d", res.StatusCode)
	}
	_, err = f.page.SaveComponent(f.admin, statuspage.Component{Name: "Printing"})
	f.must(err)
	f.refresh()
	if res, body := f.get("/status", "If-None-Match", enTag); res.StatusCode != 200 || !strings.Contains(body, "Printing") {
		t.Errorf("an old ETag after a change: %d", res.StatusCode)
	}
	req, _ := http.NewRequest("HEAD", f.http.URL+"/status", nil)
	res, err := http.DefaultClient.Do(req)
	f.must(err)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" || res.ContentLength <= 0 {
		t.Errorf("HEAD: %d %v", res.StatusCode, res.Header)
	}
}
