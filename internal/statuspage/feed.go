package statuspage

import (
	"encoding/xml"
	"fmt"
	"html"
	"strconv"
	"time"
)

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Content atomText `xml:"content"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

// Atom renders the feed of the newest MaxListed incidents, one entry per
// incident with its updates as content (escaped HTML).
func (st *State) Atom() []byte {
	f := atomFeed{ID: st.Page.URL + "/", Title: st.Page.Name + " status", Updated: st.Page.UpdatedAt.UTC().Format(time.RFC3339),
		Links: []atomLink{{Href: st.Page.URL + "/history.atom", Rel: "self", Type: "application/atom+xml"},
			{Href: st.Page.URL + "/", Rel: "alternate", Type: "text/html"}}}
	for i, in := range st.Incidents {
		if i == MaxListed {
			break
		}
		var body string
		for _, u := range in.Updates {
			body += fmt.Sprintf("<p><small>%s</small><br><strong>%s</strong> - %s</p>",
				u.At.UTC().Format("Jan 2, 15:04 UTC"), html.EscapeString(string(u.Status)), html.EscapeString(u.Body))
		}
		link := st.Page.URL + "/incidents/" + strconv.FormatInt(in.ID, 10)
		f.Entries = append(f.Entries, atomEntry{ID: link, Title: in.Name, Updated: in.UpdatedAt.UTC().Format(time.RFC3339),
			Link: atomLink{Href: link, Rel: "alternate", Type: "text/html"}, Content: atomText{Type: "html", Body: body}})
	}
	b, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		panic(err)
	}
	return append([]byte(xml.Header), b...)
}

// badgeColours are the badge's colours per overall indicator.
var badgeColours = map[Impact]string{ImpactNone: "#2e7d32", ImpactMinor: "#f9a825", ImpactMajor: "#ef6c00", ImpactCritical: "#c62828"}

// Badge renders a small SVG badge: "status" and the overall state's words
// (label and text given in the visitor's language).
func Badge(label, text string, ind Impact) []byte {
	lw := 8 + 7*len([]rune(label))
	tw := 8 + 7*len([]rune(text))
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" role="img" aria-label="%s: %s">`+
		`<rect width="%d" height="20" fill="#555"/><rect x="%d" width="%d" height="20" fill="%s"/>`+
		`<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">`+
		`<text x="4" y="14">%s</text><text x="%d" y="14">%s</text></g></svg>`,
		lw+tw, xmlEsc(label), xmlEsc(text), lw, lw, tw, badgeColours[ind], xmlEsc(label), lw+4, xmlEsc(text))
}

func xmlEsc(s string) string { return html.EscapeString(s) }
