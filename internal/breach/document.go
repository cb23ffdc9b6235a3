package breach

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
	"time"
)

// The document of a notice, in its own language (en or ru): a title, the
// facts of the case and one section per item the law lists, as plain text
// and as printable HTML (no PDF). The wording of the 152-FZ notices
// follows Art. 21 part 3.1 as in force since 1 September 2022.

// Section is one heading of a document and what the notice says under it.
type Section struct {
	Heading string
	Body    string
}

// Document is a notice as it is sent.
type Document struct {
	Lang     string
	Title    string
	Subtitle string
	Sections []Section
}

// CaseFacts are the case's facts a document names.
type CaseFacts struct {
	Number  string     // the case's number
	AwareAt *time.Time // when the organisation became aware
	Zone    *time.Location
}

var docWords = map[string]map[string]string{
	"en": {
		"title.gdpr_authority":       "Notification of a personal data breach to the supervisory authority (GDPR Art. 33)",
		"title.gdpr_authority.phase": "Further information on a notified personal data breach (GDPR Art. 33(4))",
		"title.gdpr_subjects":        "Communication of a personal data breach to the data subjects (GDPR Art. 34)",
		"title.gdpr_subjects.none":   "Decision not to communicate a personal data breach to the data subjects (GDPR Art. 34(3))",
		"title.152fz_first":          "Notice to Roskomnadzor of an incident involving personal data (152-FZ Art. 21 part 3.1 (1), 24 hours)",
		"title.152fz_results":        "Notice to Roskomnadzor of the results of the internal investigation (152-FZ Art. 21 part 3.1 (2), 72 hours)",
		"title.partners":             "Notice of a personal data breach to partners",
		"case":                       "Case %s, version %s",
		"aware":                      "The organisation became aware of the breach on",
		"supplements":                "This notice follows notice no. %s of",
		"nature":                     "Nature of the breach",
		"nature.152fz":               "The incident",
		"subjects":                   "Categories and approximate number of data subjects concerned",
		"records":                    "Categories and approximate number of personal data records concerned",
		"contact":                    "Name and contact details of the data protection officer or other contact point",
		"contact.152fz":              "The person authorised by the operator to interact with Roskomnadzor on the incident",
		"consequences":               "Likely consequences of the breach",
		"consequences.152fz":         "Presumed harm caused to the rights of data subjects",
		"measures":                   "Measures taken or proposed to address the breach, including to mitigate its possible adverse effects",
		"measures.152fz":             "Measures taken to remove the consequences of the incident",
		"causes":                     "Presumed causes that led to the violation of the rights of data subjects",
		"results":                    "Results of the internal investigation of the incident",
		"culprits":                   "Persons whose actions caused the incident",
		"culprits.unknown":           "Not known.",
		"delay":                      "Reasons for the delay",
		"sent":                       "Sent on %s (%s)",
		"reference":                  "Reference",
		"not_notify":                 "Ground (GDPR Art. 34(3))",
		"not_notify.reason":          "Reason",
		"ground.protected":           "(a) the personal data were unintelligible to any person not authorised to access them",
		"ground.risk_removed":        "(b) subsequent measures ensure the high risk to the data subjects is no longer likely to materialise",
		"ground.public_statement":    "(c) communication would involve disproportionate effort: a public communication is made instead",
		"approx":                     "about %s",
		"draft":                      "DRAFT, not sent",
		"via.portal":                 "the authority's portal",
		"via.email":                  "e-mail",
		"via.post":                   "post",
		"via.fax":                    "fax",
		"via.phone":                  "telephone",
		"via.in_person":              "in person",
		"via.other":                  "other means",
	},
	"ru": {
		"title.gdpr_authority":       "Уведомление надзорного органа о нарушении безопасности персональных данных (GDPR, ст. 33)",
		"title.gdpr_authority.phase": "Дополнительные сведения о нарушении, о котором направлено уведомление (GDPR, ст. 33(4))",
		"title.gdpr_subjects":        "Сообщение субъектам персональных данных о нарушении безопасности их данных (GDPR, ст. 34)",
		"title.gdpr_subjects.none":   "Решение не сообщать субъектам персональных данных о нарушении (GDPR, ст. 34(3))",
		"title.152fz_first":          "Уведомление Роскомнадзора об инциденте с персональными данными (152-ФЗ, ч. 3.1 ст. 21, п. 1, 24 часа)",
		"title.152fz_results":        "Уведомление Роскомнадзора о результатах внутреннего расследования (152-ФЗ, ч. 3.1 ст. 21, п. 2, 72 часа)",
		"title.partners":             "Уведомление партнёров о нарушении безопасности персональных данных",
		"case":                       "Дело %s, версия %s",
		"aware":                      "Организации стало известно о нарушении",
		"supplements":                "Дополняет уведомление № %s от",
		"nature":                     "Характер нарушения",
		"nature.152fz":               "Произошедший инцидент",
		"subjects":                   "Категории и примерное число затронутых субъектов персональных данных",
		"records":                    "Категории и примерное число затронутых записей персональных данных",
		"contact":                    "Имя и контактные данные ответственного за защиту данных или иного контактного лица",
		"contact.152fz":              "Лицо, уполномоченное оператором на взаимодействие с Роскомнадзором по вопросам, связанным с инцидентом",
		"consequences":               "Вероятные последствия нарушения",
		"consequences.152fz":         "Предполагаемый вред, нанесённый правам субъектов персональных данных",
		"measures":                   "Принятые или предлагаемые меры, в том числе для смягчения возможных неблагоприятных последствий",
		"measures.152fz":             "Принятые меры по устранению последствий инцидента",
		"causes":                     "Предполагаемые причины, повлёкшие нарушение прав субъектов персональных данных",
		"results":                    "Результаты внутреннего расследования инцидента",
		"culprits":                   "Лица, действия которых стали причиной инцидента",
		"culprits.unknown":           "Не установлены.",
		"delay":                      "Причины задержки",
		"sent":                       "Направлено %s (%s)",
		"reference":                  "Номер или квитанция",
		"not_notify":                 "Основание (GDPR, ст. 34(3))",
		"not_notify.reason":          "Обоснование",
		"ground.protected":           "(a) персональные данные были непонятны любому лицу, не имеющему права доступа к ним",
		"ground.risk_removed":        "(b) последующие меры исключают вероятность высокого риска для субъектов",
		"ground.public_statement":    "(c) сообщение потребовало бы несоразмерных усилий: вместо него сделано публичное сообщение",
		"approx":                     "около %s",
		"draft":                      "ПРОЕКТ, не направлен",
		"via.portal":                 "портал уполномоченного органа",
		"via.email":                  "электронная почта",
		"via.post":                   "почта",
		"via.fax":                    "факс",
		"via.phone":                  "телефон",
		"via.in_person":              "лично",
		"via.other":                  "иной способ",
	},
}

// DocWords returns the document vocabulary of lang, for tests that check
// both languages have every key.
func DocWords(lang string) map[string]string { return docWords[lang] }

// Render builds the document of n (in n.Lang) for the case c; first is
// the notice n supplements (nil: none).
func Render(n *Notice, c CaseFacts, first *Notice) Document {
	lang := n.Lang
	if _, ok := docWords[lang]; !ok {
		lang = "en"
	}
	w := func(k string) string { return docWords[lang][k] }
	zone := c.Zone
	if zone == nil {
		zone = time.UTC
	}
	when := func(t time.Time) string { return Stamp(t, zone) }
	d := Document{Lang: lang, Title: w("title." + string(n.Kind))}
	if n.Kind == NoticeGDPRAuthority && n.Supplements != 0 {
		d.Title = w("title.gdpr_authority.phase")
	}
	if n.State == NoticeDecided {
		d.Title = w("title.gdpr_subjects.none")
	}
	d.Subtitle = strings.Replace(strings.Replace(w("case"), "%s", c.Number, 1), "%s", strconv.Itoa(n.Version), 1)
	add := func(heading, body string) {
		if strings.TrimSpace(body) != "" {
			d.Sections = append(d.Sections, Section{Heading: heading, Body: body})
		}
	}
	if c.AwareAt != nil {
		add(w("aware"), when(*c.AwareAt))
	}
	if first != nil && first.SentAt != nil {
		add(strings.Replace(w("supplements"), "%s", strconv.FormatInt(first.ID, 10), 1), when(*first.SentAt))
	}
	if n.State == NoticeDecided {
		add(w("nature"), n.Nature)
		add(w("not_notify"), w("ground."+n.NotNotifyGround))
		add(w("not_notify.reason"), n.NotNotifyReason)
	} else {
		d.Sections = append(d.Sections, n.sections(w)...)
	}
	add(w("delay"), n.DelayReasons)
	switch {
	case n.State == NoticeSent && n.SentAt != nil:
		add(strings.Replace(strings.Replace(w("sent"), "%s", when(*n.SentAt), 1), "%s", w("via."+n.Via), 1), n.Reference)
	case n.State == NoticeDraft:
		d.Subtitle += " · " + w("draft")
	}
	return d
}

// Stamp is an instant as a document states it: the local time in zone
// with its offset from UTC ("2026-10-24 09:00 UTC+03:00"; "… UTC" in
// UTC), never a zone abbreviation such as MSK or CET, which a regulator
// abroad need not know and some zones lack (Go prints "+04" for them).
func Stamp(t time.Time, zone *time.Location) string {
	t = t.In(zone)
	if _, off := t.Zone(); off == 0 {
		return t.Format("2006-01-02 15:04") + " UTC"
	}
	return t.Format("2006-01-02 15:04") + " UTC" + t.Format("-07:00")
}

// sections are the items the law lists for n's kind.
func (n *Notice) sections(w func(string) string) []Section {
	var out []Section
	add := func(heading, body string) {
		if strings.TrimSpace(body) != "" {
			out = append(out, Section{Heading: heading, Body: body})
		}
	}
	count := func(cat string, num int64) string {
		parts := []string{}
		if cat != "" {
			parts = append(parts, cat)
		}
		if num > 0 {
			parts = append(parts, strings.Replace(w("approx"), "%s", strconv.FormatInt(num, 10), 1))
		}
		return strings.Join(parts, "; ")
	}
	contact := strings.TrimSpace(strings.Join([]string{n.ContactName, n.ContactDetails}, "\n"))
	if n.Kind.Regime() == FZ152 {
		if n.Kind == Notice152Results {
			add(w("results"), n.Results)
			culprits := n.Culprits
			if culprits == "" {
				culprits = w("culprits.unknown")
			}
			add(w("culprits"), culprits)
		}
		add(w("nature.152fz"), n.Nature)
		add(w("causes"), n.Causes)
		add(w("consequences.152fz"), n.Consequences)
		add(w("measures.152fz"), n.Measures)
		add(w("contact.152fz"), contact)
		return out
	}
	add(w("nature"), n.Nature)
	add(w("subjects"), count(n.SubjectCategories, n.SubjectsApprox))
	add(w("records"), count(n.RecordCategories, n.RecordsApprox))
	add(w("contact"), contact)
	add(w("consequences"), n.Consequences)
	add(w("measures"), n.Measures)
	return out
}

// Text is the document as plain text.
func (d Document) Text() string {
	var b strings.Builder
	b.WriteString(d.Title + "\n" + d.Subtitle + "\n")
	for _, s := range d.Sections {
		b.WriteString("\n" + s.Heading + ":\n" + s.Body + "\n")
	}
	return b.String()
}

var docHTML = template.Must(template.New("doc").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>body{font:12pt/1.5 serif;max-width:42em;margin:2em auto;padding:0 1em}h1{font-size:15pt}
h2{font-size:12pt;margin:1.2em 0 .2em}p{white-space:pre-wrap;margin:0}@media print{body{margin:0}}</style></head>
<body><main><h1>{{.Title}}</h1><p>{{.Subtitle}}</p>
{{range .Sections}}<h2>{{.Heading}}</h2><p>{{.Body}}</p>
{{end}}</main></body></html>
`))

// HTML is the document as a printable page of its own (escaped).
func (d Document) HTML() []byte {
	var b bytes.Buffer
	if err := docHTML.Execute(&b, d); err != nil {
		return nil
	}
	return b.Bytes()
}
