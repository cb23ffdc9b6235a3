package knowledge

import (
	"strings"
	"testing"
)

func TestIndexTerms_FindsStemsAndVerbs(t *testing.T) {
	c := &Content{Translations: []Translation{
		{Lang: "en", Title: "Printer shows offline", Body: "Restart the print spooler."},
		{Lang: "ru", Title: "Принтер не печатает", Body: "Перезапустите службу печати."},
	}, Keywords: []string{"spooler"}}
	w := IndexTerms(c)
	for _, q := range []string{"printing", "printers", "принтеры", "принтера", "spoolers", "offline"} {
		for _, term := range QueryTerms(q) {
			if w[term] == 0 {
				t.Errorf("query %q: term %q is not indexed (%v)", q, term, w)
			}
		}
	}
	if w[QueryTerms("printer")[0]] <= w[QueryTerms("print")[0]]-weightBody {
		t.Errorf("the title word printer weighs less than the derived print: %v", w)
	}
	if w["the"] != 0 {
		t.Error("stop words are indexed")
	}
}

func TestIndexTerms_Capped(t *testing.T) {
	c := &Content{Translations: []Translation{{Lang: "en", Title: "x", Body: strings.Repeat("vpn ", 500)}}}
	if got := IndexTerms(c)["vpn"]; got != maxWeight {
		t.Errorf("weight of a repeated word = %d, want the cap %d", got, maxWeight)
	}
}

func TestIDFWeight_RareOutweighsCommon(t *testing.T) {
	if IDFWeight(1000, 5) <= IDFWeight(1000, 500) {
		t.Error("a rare term weighs no more than a common one")
	}
	if IDFWeight(1000, 0) != 0 {
		t.Error("a term in no article has a weight")
	}
}

func TestSnippet_HighlightsAndEscapes(t *testing.T) {
	body := "# Intro\n\nSome words before. " + strings.Repeat("filler ", 40) +
		"Then the <b>printer</b> & [its queue](https://example.com/q) stop **printing**; restart it. " + strings.Repeat("tail ", 40)
	frags := Snippet(body, QueryTerms("printing"))
	got := FragmentsHTML(frags)
	for _, want := range []string{"&lt;b&gt;<mark>printer</mark>&lt;/b&gt; &amp; its queue stop <mark>printing</mark>", "… "} {
		if !strings.Contains(got, want) {
			t.Errorf("snippet lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "example.com") || strings.Contains(got, "<b>") {
		t.Errorf("snippet keeps a link target or raw HTML: %s", got)
	}
}

func TestSnippet_Russian(t *testing.T) {
	got := FragmentsHTML(Snippet("Если принтер не печатает, проверьте очередь принтеров.", QueryTerms("принтеры")))
	if want := "Если <mark>принтер</mark> не печатает, проверьте очередь <mark>принтеров</mark>"; !strings.Contains(got, want) {
		t.Errorf("snippet = %s, want %s", got, want)
	}
}

func TestHighlight_Title(t *testing.T) {
	got := FragmentsHTML(Highlight("VPN <drops> on Wi-Fi", QueryTerms("vpn")))
	if got != "<mark>VPN</mark> &lt;drops&gt; on Wi-Fi" {
		t.Errorf("Highlight = %s", got)
	}
}
