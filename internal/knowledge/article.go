// Package knowledge is the desk's knowledge base: articles in English and
// Russian with their versions, who may read and write them, their search
// terms and snippets, line diffs between versions, safe Markdown rendering,
// links between articles and tickets, deflected portal contacts and the
// knowledge report. It sits beside desk and above it (tickets are read and
// commented through the desk, which authorises those), and does no I/O of
// its own: the Store is passed in.
package knowledge

import (
	"slices"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Audience says who may read a published article.
type Audience string

// Audiences.
const (
	Public   Audience = "public"   // requesters in the portal, and staff
	Internal Audience = "internal" // staff only
)

// Audiences lists every audience.
var Audiences = []Audience{Public, Internal}

// State is where an article is in its life.
type State string

// States.
const (
	Draft     State = "draft"
	Published State = "published"
	Retired   State = "retired"
)

// States lists every state, in life order.
var States = []State{Draft, Published, Retired}

// Languages an article may be written in; one article holds at most one
// translation of each.
var Languages = []string{"en", "ru"}

// LinkKind says what an article did for a ticket.
type LinkKind string

// Link kinds.
const (
	SolvedBy LinkKind = "solved_by" // the article's answer resolved the ticket
	Relevant LinkKind = "relevant"  // the article helps with the ticket
	// Shown: the portal showed the article to the requester, who went on
	// and reported the ticket anyway ("still need help").
	Shown LinkKind = "shown"
)

// LinkKinds lists the kinds staff choose from; Shown is the portal's.
var LinkKinds = []LinkKind{SolvedBy, Relevant}

// Translation is an article's text in one language; Body is Markdown.
type Translation struct {
	Lang  string `json:"lang"`
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Content is everything an edit may change: what a version keeps.
type Content struct {
	// Key names the article in a folder of Markdown files (import and
	// export); optional, unique.
	Key          string        `json:"key,omitempty"`
	Translations []Translation `json:"translations"`
	Category     *desk.Ref     `json:"category,omitempty"`
	Services     []desk.Ref    `json:"services,omitempty"`
	Keywords     []string      `json:"keywords,omitempty"`
	Audience     Audience      `json:"audience"`
	State        State         `json:"state"`
	Owner        *desk.Ref     `json:"owner,omitempty"`
	ReviewAt     *time.Time    `json:"review_at,omitempty"`
}

// Article is a knowledge-base article as it is now.
type Article struct {
	ID int64
	Content
	// Version increases by one on every edit and state change; it is the
	// ETag and the optimistic-concurrency token.
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Translation returns the article's text in lang, else its first one.
func (a *Article) Translation(lang string) Translation {
	for _, t := range a.Translations {
		if t.Lang == lang {
			return t
		}
	}
	if len(a.Translations) == 0 {
		return Translation{}
	}
	return a.Translations[0]
}

// Has reports whether the article has a translation in lang.
func (a *Article) Has(lang string) bool {
	return slices.ContainsFunc(a.Translations, func(t Translation) bool { return t.Lang == lang })
}

// Version is one stored state of an article: who made it, when and why.
type Version struct {
	ArticleID int64
	Number    int
	Author    desk.Ref
	At        time.Time
	Note      string
	Content   Content
}

// Link ties an article to a ticket.
type Link struct {
	ArticleID int64
	TicketID  int64
	Kind      LinkKind
	At        time.Time
	By        int64
}

// Deflection is a portal contact that ended without a ticket: the
// requester read the article and said it solved their problem.
type Deflection struct {
	ArticleID   int64
	RequesterID int64
	At          time.Time
	Query       string // what they had typed
}
