package knowledge

import (
	"context"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Store keeps articles, their versions and search terms, their links to
// tickets, deflected contacts and the knowledge_editor permission.
type Store interface {
	// CreateArticle stores a new article (setting a.ID) with its first
	// version and its search terms.
	CreateArticle(ctx context.Context, a *Article, v *Version, terms map[string]int) error
	// SaveArticle stores a's new content as version a.Version, which must
	// follow the stored one (else ESTALE), with the version and the new
	// search terms.
	SaveArticle(ctx context.Context, a *Article, v *Version, terms map[string]int) error
	// Article returns one article, ENOTFOUND when there is none.
	Article(ctx context.Context, id int64) (*Article, error)
	// ArticleByKey returns the article with the file key, ENOTFOUND when
	// there is none.
	ArticleByKey(ctx context.Context, key string) (*Article, error)
	// ListArticles returns a page of articles, newest first.
	ListArticles(ctx context.Context, f Filter) (*Page, error)
	// SearchArticles ranks the articles matching the terms.
	SearchArticles(ctx context.Context, q StoreQuery) ([]Scored, error)
	// ArticleVersions returns every version of an article, newest first.
	ArticleVersions(ctx context.Context, id int64) ([]*Version, error)
	// ArticleVersion returns one version, ENOTFOUND when there is none.
	ArticleVersion(ctx context.Context, id int64, number int) (*Version, error)

	// LinkArticle links an article to a ticket, or changes the kind of
	// their link.
	LinkArticle(ctx context.Context, l Link) error
	// UnlinkArticle removes the link, ENOTFOUND when there is none.
	UnlinkArticle(ctx context.Context, articleID, ticketID int64) error
	// TicketArticleLinks returns a ticket's links, oldest first.
	TicketArticleLinks(ctx context.Context, ticketID int64) ([]Link, error)
	// RecordDeflection keeps a contact the knowledge base answered.
	RecordDeflection(ctx context.Context, d Deflection) error
	// KnowledgeReport counts the use of articles in [from, to).
	KnowledgeReport(ctx context.Context, from, to time.Time) (*Report, error)

	// HasPermission reports whether the user holds the permission.
	HasPermission(ctx context.Context, userID int64, perm string) (bool, error)
	// SetPermission grants (on) or withdraws a permission.
	SetPermission(ctx context.Context, userID int64, perm string, on bool) error
	// PermissionHolders returns the ids of the users holding perm.
	PermissionHolders(ctx context.Context, perm string) ([]int64, error)
}

// Filter selects articles to list. Empty fields select everything.
type Filter struct {
	States     []State
	Audiences  []Audience
	CategoryID int64
	IDs        []int64 // only these (search results)
	Cursor     string  // from Page.Next
	Limit      int     // 0: 50; at most desk.MaxPageSize
}

// Page is one page of articles.
type Page struct {
	Articles []*Article
	Next     string // "" on the last page
}

// StoreQuery is a search as the store runs it.
type StoreQuery struct {
	Terms []string
	// Any matches articles holding any of the terms (suggestions); else
	// every term must be there.
	Any        bool
	States     []State
	Audiences  []Audience
	CategoryID int64
	Limit      int
}

// Scored is one search match.
type Scored struct {
	ID    int64
	Score int64
}

// ArticleUse counts how one article was used.
type ArticleUse struct {
	ID          int64
	Titles      map[string]string // by language
	SolvedBy    int
	Relevant    int
	Shown       int
	Deflections int
}

// Title is the use's article title in lang, else another.
func (u *ArticleUse) Title(lang string) string {
	if t := u.Titles[lang]; t != "" {
		return t
	}
	for _, l := range Languages {
		if t := u.Titles[l]; t != "" {
			return t
		}
	}
	return ""
}

// Report is the knowledge base's use in a period.
type Report struct {
	From, To time.Time
	// Articles are the most used articles (solved plus deflected, then
	// linked), at most 20.
	Articles                  []ArticleUse
	SolvedBy, Relevant, Shown int // links made in the period, by kind
	Deflections               int // contacts answered without a ticket
	TicketsCreated            int // tickets reported in the period
	// ReuseRate is the share of contacts the knowledge base answered:
	// (tickets solved by an article + deflections) / (tickets created +
	// deflections); 0 when there were no contacts.
	ReuseRate float64
	// Uncovered are the categories in use with no published article.
	Uncovered []desk.Ref
	Published int // published articles now
}

// Rate computes ReuseRate from the counts.
func (r *Report) Rate() float64 {
	if r.TicketsCreated+r.Deflections == 0 {
		return 0
	}
	return float64(r.SolvedBy+r.Deflections) / float64(r.TicketsCreated+r.Deflections)
}
