package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestWeb_KnowledgeDraftRefusedForSecurityCase: a knowledge editor in the
// security group is offered "article from the resolution" (w) on an
// ordinary resolved ticket but not on a resolved security case, whose
// page says why, and a post made anyway is refused (409) with no article.
func TestWeb_KnowledgeDraftRefusedForSecurityCase(t *testing.T) {
	e := newKBEnv(t)
	ctx := context.Background()
	g, err := e.d.CreateGroup(desk.AsSystem(ctx), desk.GroupInput{Name: "Security", Line: desk.Line2, Security: true})
	if err != nil {
		t.Fatal(err)
	}
	sid := e.bootstrap("sid@example.com", "Sid", desk.RoleAgent, g.ID)
	if err := e.kb.SetEditor(desk.WithActor(ctx, e.admin), sid.ID, true); err != nil {
		t.Fatal(err)
	}
	sidCtx := desk.WithActor(ctx, sid)
	plain := e.ticket(t, "Printer jams", false, e.resolved()...)
	sec := e.ticket(t, "My account sends spam", false)
	if _, err := e.d.MarkSecurity(desk.WithActor(ctx, e.lena), sec.Number, desk.SecurityInput{Reason: "compromised account"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Take(sidCtx, sec.Number, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Transition(sidCtx, sec.Number, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0],
		ResolutionNotes: "Password reset, sessions revoked."}); err != nil {
		t.Fatal(err)
	}
	c := e.signedIn("sid@example.com")
	if !strings.Contains(c.get("/tickets/"+plain.Number).body, `id="kb-draft"`) {
		t.Fatal("a knowledge editor is offered no draft on an ordinary resolved ticket")
	}
	page := c.get("/tickets/" + sec.Number).body
	if strings.Contains(page, `id="kb-draft"`) || !strings.Contains(page, `id="kb-security"`) {
		t.Errorf("a security case offers a draft from its resolution, or does not say why not")
	}
	p := c.post("/tickets/"+sec.Number+"/kb/draft", url.Values{"csrf": {c.csrf("/tickets/" + sec.Number)}})
	if p.status != 409 || !strings.Contains(p.body, "not allowed for a security case") || strings.Contains(p.body, "restricted ticket") {
		t.Errorf("a security case's resolution made into an article: %d", p.status)
	}
	if arts, err := e.kb.TicketArticles(sidCtx, sec.Number); err != nil || len(arts) != 0 {
		t.Errorf("articles linked to the security case: %v %v", arts, err)
	}
}
