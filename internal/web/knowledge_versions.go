package web

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// An article's versions (staff): the list, one old version as it read
// then, and the line diff between two.

type kbVersionsView struct {
	A        *knowledge.Article
	Title    string
	Versions []kbVersionRow
}

// kbVersionRow is a version with its note in the reader's language.
type kbVersionRow struct {
	*knowledge.Version
	Said string
}

func (s *server) kbVersions(rq *request) error {
	kb := s.opts.Knowledge
	a, err := kb.Article(rq.ctx, kbID(rq))
	if err != nil {
		return err
	}
	vs, err := kb.Versions(rq.ctx, a.ID)
	if err != nil {
		return err
	}
	v := kbVersionsView{A: a, Title: a.Translation(rq.lang.code).Title}
	for _, ver := range vs {
		v.Versions = append(v.Versions, kbVersionRow{Version: ver, Said: kbNote(rq.lang, ver.Note)})
	}
	return rq.ok("kb_versions", v)
}

type kbVersionView struct {
	A    *knowledge.Article // as it is now
	V    *knowledge.Version
	Said string
	Tr   knowledge.Translation
	Body template.HTML
}

// kbVersion shows an old version rendered as it read then, with its
// fields; ?lang= picks the translation.
func (s *server) kbVersion(rq *request) error {
	kb := s.opts.Knowledge
	a, err := kb.Article(rq.ctx, kbID(rq))
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(rq.r.PathValue("n"))
	v, err := kb.Version(rq.ctx, a.ID, n)
	if err != nil {
		return err
	}
	old := &knowledge.Article{Content: v.Content}
	lang := rq.r.URL.Query().Get("lang")
	if !old.Has(lang) {
		lang = rq.lang.code
	}
	tr := old.Translation(lang)
	return rq.ok("kb_version", kbVersionView{A: a, V: v, Said: kbNote(rq.lang, v.Note), Tr: tr, Body: template.HTML(knowledge.Render(tr.Body))})
}

type kbDiffView struct {
	A        *knowledge.Article
	Title    string
	From, To int
	Lines    []kbDiffLine
	Added    int
	Removed  int
	Versions []*knowledge.Version
}

// kbDiffLine is one line of a diff as the page shows it: a field line's
// name and values in the reader's language.
type kbDiffLine struct {
	Op   knowledge.Op
	Text string
}

// kbDiff shows the line diff between ?from= and ?to= (by default the
// previous version and the newest).
func (s *server) kbDiff(rq *request) error {
	kb := s.opts.Knowledge
	a, err := kb.Article(rq.ctx, kbID(rq))
	if err != nil {
		return err
	}
	q := rq.r.URL.Query()
	to, err := strconv.Atoi(q.Get("to"))
	if err != nil {
		to = a.Version
	}
	from, err := strconv.Atoi(q.Get("from"))
	if err != nil {
		from = max(1, to-1)
	}
	d, err := kb.Diff(rq.ctx, a.ID, from, to)
	if err != nil {
		return err
	}
	vs, err := kb.Versions(rq.ctx, a.ID)
	if err != nil {
		return err
	}
	v := kbDiffView{A: a, Title: a.Translation(rq.lang.code).Title, From: from, To: to, Lines: kbDiffLines(rq, d, false), Versions: vs}
	v.Added, v.Removed = knowledge.DiffStats(d)
	return rq.ok("kb_diff", v)
}

// kbFieldNames are the field lines of knowledge.Content.Lines.
var kbFieldNames = []string{"state", "audience", "category", "services", "keywords", "owner", "review", "key"}

// kbDiffLines words a diff for the reader: the field lines with their
// names (and state and audience values) translated, the translations'
// heads with the language's name. changedOnly keeps the changed lines.
func kbDiffLines(rq *request, d []knowledge.DiffLine, changedOnly bool) []kbDiffLine {
	out := make([]kbDiffLine, 0, len(d))
	for _, l := range d {
		if changedOnly && l.Op == knowledge.Same {
			continue
		}
		out = append(out, kbDiffLine{Op: l.Op, Text: kbLineText(rq.lang, l.Text)})
	}
	return out
}

func kbLineText(l *lang, text string) string {
	for _, f := range kbFieldNames {
		v, ok := strings.CutPrefix(text, f+": ")
		if !ok && text == f+":" {
			v, ok = "", true
		}
		if !ok {
			continue
		}
		switch f {
		case "state", "audience":
			v = l.enum("kb."+f, v)
		}
		return l.T("kb.field."+f) + ": " + v
	}
	if len(text) > 4 && text[0] == '[' && text[3] == ']' {
		if code := text[1:3]; l.Has("lang." + code) {
			return "[" + l.T("lang."+code) + "]" + text[4:]
		}
	}
	return text
}

// kbNote words a version's note: the notes the knowledge base writes
// itself in the reader's language, a writer's own as written.
func kbNote(l *lang, note string) string {
	if l.Has("kb.note." + note) {
		return l.T("kb.note." + note)
	}
	if num, ok := strings.CutPrefix(note, "from the resolution of "); ok {
		return l.T("kb.note.from_ticket", num)
	}
	return note
}
