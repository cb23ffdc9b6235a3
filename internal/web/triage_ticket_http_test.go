package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/triage"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// On the agent's ticket page: the fields the desk set by itself are shown
// as unconfirmed and confirmed with one button; a suggested category is
// shown with the words behind it and accepted with one button.
func TestWeb_TriageTicketPanel(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := context.Background()
	printers, _, svc := trainTriage(t, e)
	e.d.SetAutoTriager(svc)
	portal, _, err := e.d.CreateTicket(desk.WithActor(ctx, e.sam), desk.NewTicket{Type: desk.TypeIncident, Title: "Принтер не печатает",
		Description: "замятие бумаги", Channel: desk.ChannelPortal}, "")
	if err != nil || portal.Category == nil {
		t.Fatalf("portal ticket: %v, %v", portal, err)
	}
	lena := e.client()
	lena.signIn("lena@example.com")
	p := lena.get("/tickets/"+portal.Number, "Accept-Language", "ru")
	if text := pageText(p.body); !strings.Contains(text, "ещё не подтверждено сотрудником") || !strings.Contains(text, "Категория: Printers") {
		t.Fatalf("pending decisions not shown:\n%s", text)
	}
	token := lena.csrf("/tickets/" + portal.Number)
	form := url.Values{"csrf": {token}, "version": {fmt.Sprint(portal.Version)}}
	if p := lena.post("/tickets/"+portal.Number+"/triage/confirm", form); p.status != 303 {
		t.Fatalf("confirm: %d\n%s", p.status, pageText(p.body))
	}
	if p := lena.get("/tickets/" + portal.Number); strings.Contains(p.body, `id="triage-confirm"`) {
		t.Error("still asks to confirm after confirming")
	}
	phone, _, err := e.d.CreateTicket(desk.WithActor(ctx, e.lena), desk.NewTicket{Type: desk.TypeIncident, Title: "Принтер снова не печатает",
		Requester: desk.PersonInput{Email: "sam@example.com"}, Channel: desk.ChannelPhone}, "")
	if err != nil {
		t.Fatal(err)
	}
	if text := pageText(lena.get("/tickets/"+phone.Number, "Accept-Language", "ru").body); !strings.Contains(text, "Категория: Printers") || !strings.Contains(text, "по словам") {
		t.Fatalf("suggestion not shown with its words:\n%s", text)
	}
	form = url.Values{"csrf": {token}, "version": {fmt.Sprint(phone.Version)}, "field": {"category"}}
	if p := lena.post("/tickets/"+phone.Number+"/triage/accept", form); p.status != 303 {
		t.Fatalf("accept: %d\n%s", p.status, pageText(p.body))
	}
	if got, _ := e.d.Ticket(desk.WithActor(ctx, e.lena), phone.Number); got.Category == nil || got.Category.ID != printers.ID {
		t.Errorf("accepted category: %v", got.Category)
	}
	form["field"] = []string{"colour"}
	if p := lena.post("/tickets/"+phone.Number+"/triage/accept", form); p.status >= 500 || p.status == 303 {
		t.Errorf("accepting an unknown field: %d", p.status)
	}
}

// trainTriage files 150 resolved tickets about printers (category
// Printers, service Printing, incidents) and passwords (category Access,
// service Directory, requests) and trains the desk's triage
// model on them.
func trainTriage(t *testing.T, e *httpEnv) (printers, access *desk.Category, svc *triagedesk.Service) {
	t.Helper()
	ctx := context.Background()
	admin := desk.AsSystem(ctx)
	printers, err := e.d.CreateCategory(admin, desk.CategoryInput{Name: "Printers"})
	if err != nil {
		t.Fatal(err)
	}
	access, err = e.d.CreateCategory(admin, desk.CategoryInput{Name: "Access"})
	if err != nil {
		t.Fatal(err)
	}
	var svcs [2]*desk.Service
	for i, name := range []string{"Printing", "Directory"} {
		if svcs[i], err = e.d.CreateService(admin, desk.ServiceInput{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Now().Add(-48 * time.Hour).UTC()
	titles := [][]string{{"Printer jams", "Принтер не печатает", "Замятие бумаги в принтере"}, {"Reset my password", "Не могу войти, пароль не подходит", "Учетная запись заблокирована"}}
	for i := range 150 {
		cat := []*desk.Category{printers, access}[i%2]
		resolved := at.Add(time.Hour)
		tk := &desk.Ticket{Type: []desk.TicketType{desk.TypeIncident, desk.TypeRequest}[i%2], Title: titles[i%2][(i/2)%3], Description: fmt.Sprintf("case %d", i),
			State: desk.StateResolved, Impact: []desk.Level{desk.LevelLow, desk.LevelHigh}[i%2], Urgency: []desk.Level{desk.LevelLow, desk.LevelHigh}[i%2], Priority: desk.P3,
			Group: desk.GroupRef{ID: 1}, Requester: desk.Person{ID: e.sam.ID}, Channel: desk.ChannelPortal,
			Category: &desk.Ref{ID: cat.ID}, Service: &desk.Ref{ID: svcs[i%2].ID}, ReportedAt: at, CreatedAt: at, UpdatedAt: at, ResolvedAt: &resolved,
			ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "done"}
		if _, err := e.st.CreateTicket(ctx, tk, []desk.Event{{At: at, Kind: desk.EventCreated}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	cfg := triage.DefaultConfig()
	cfg.Bits = 16
	svc = triagedesk.New(e.st, e.d, desk.SystemClock{}, triagedesk.Options{Config: cfg})
	if ok, err := svc.Sweep(ctx); !ok || err != nil {
		t.Fatalf("Sweep: %v, %v", ok, err)
	}
	return printers, access, svc
}
