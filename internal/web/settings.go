package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// My settings: every signed-in user chooses their language, time zone and
// which notifications they get, and changes their own password. Desk
// checks the values and that users change only their own.
func init() {
	registerArea("settings", func(s *server) {
		s.addNav(navItem{Path: "/settings", Key: "nav.settings", Who: signedIn, Order: 90})
		s.get("/settings", signedIn, s.settingsPage)
		s.post("/settings", signedIn, s.saveSettings)
		s.post("/settings/password", signedIn, s.changePassword)
	})
}

// requesterKinds are the notifications a requester can get; staff get
// every kind (they report problems too).
var requesterKinds = []desk.OutboxKind{desk.OutboxRegistered, desk.OutboxFirstResponse, desk.OutboxComment,
	desk.OutboxOnHold, desk.OutboxResolved, desk.OutboxClosed, desk.OutboxMerged, desk.OutboxCallScheduled, desk.OutboxCallCanceled}

type settingsView struct {
	Languages   []string
	Zones       []string
	Kinds       []notifyKind
	MinPassword int
}

// notifyKind is one notification checkbox.
type notifyKind struct {
	Kind      string
	On        bool
	Mandatory bool // always sent: shown checked and disabled
}

// settingsKinds are the kinds the user sees: their role's.
func settingsKinds(u *desk.User) []desk.OutboxKind {
	if u.Role.IsStaff() {
		return desk.NotificationKinds
	}
	return requesterKinds
}

func (s *server) settingsPage(rq *request) error {
	form, err := s.prefsForm(rq, url.Values{"form": {"prefs"}})
	if err != nil {
		return err
	}
	return s.renderSettings(rq, http.StatusOK, form, nil)
}

func (s *server) renderSettings(rq *request, status int, form url.Values, errs map[string]string) error {
	v := settingsView{Languages: desk.Languages, Zones: ianaZones, MinPassword: desk.MinPasswordLen}
	on := form["notify"]
	for _, k := range settingsKinds(rq.user) {
		m := desk.MandatoryKind(k)
		v.Kinds = append(v.Kinds, notifyKind{Kind: string(k), On: m || slices.Contains(on, string(k)), Mandatory: m})
	}
	return rq.renderForm(status, "settings", v, form, errs)
}

// saveSettings stores the language, zone and notification choices. An
// unchecked box turns its kind off; the mandatory kinds are never in the
// patch (their boxes are disabled), so they stay on.
func (s *server) saveSettings(rq *request) error {
	f := rq.r.PostForm
	lang, zone := strings.TrimSpace(f.Get("language")), strings.TrimSpace(f.Get("time_zone"))
	gender := desk.Gender(f.Get("grammatical_gender"))
	patch := desk.PreferencesPatch{Language: &lang, TimeZone: &zone, Gender: &gender, Notifications: map[desk.OutboxKind]bool{}}
	for _, k := range settingsKinds(rq.user) {
		if !desk.MandatoryKind(k) {
			patch.Notifications[k] = slices.Contains(f["notify"], string(k))
		}
	}
	_, err := s.desk.SetUserPreferences(rq.ctx, rq.user.ID, patch)
	if fe := fieldErrors(rq, err); fe != nil {
		f.Set("form", "prefs")
		return s.renderSettings(rq, http.StatusUnprocessableEntity, f, fe)
	}
	if err != nil {
		return err
	}
	s.setCookie(rq, langCookie, lang, 365*24*3600) // the language stays after signing out
	return rq.redirect("/settings?done=settings")
}

// changePassword replaces the user's own password, given the current one.
// Desk ends every session of the user; this browser gets a new one, so
// the user stays signed in here and only here.
func (s *server) changePassword(rq *request) error {
	f := rq.r.PostForm
	current, next := f.Get("current_password"), f.Get("password")
	form := url.Values{"form": {"password"}} // passwords never come back into the page
	again := func(errs map[string]string) error {
		form, err := s.prefsForm(rq, form)
		if err != nil {
			return err
		}
		return s.renderSettings(rq, http.StatusUnprocessableEntity, form, errs)
	}
	if next != f.Get("password_again") {
		return again(map[string]string{"password_again": rq.lang.T("settings.password.mismatch")})
	}
	token, err := s.desk.ChangePassword(rq.ctx, current, next)
	if te, ok := errors.AsType[*desk.ThrottleError](err); ok { // too many wrong current passwords
		return again(map[string]string{"current_password": rq.lang.N("login.throttled", int(te.RetryAfter.Minutes()))})
	}
	if fe := fieldErrors(rq, err); fe != nil {
		return again(fe)
	}
	if err != nil {
		return err
	}
	s.setCookie(rq, sessionCookie, token, int(desk.SessionMaxAge.Seconds()))
	return rq.redirect("/settings?done=password")
}

// prefsForm adds the stored preferences to form: what the preferences
// part of the page shows.
func (s *server) prefsForm(rq *request, form url.Values) (url.Values, error) {
	p, err := s.desk.UserPreferences(rq.ctx, rq.user.ID)
	if err != nil {
		return nil, err
	}
	form.Set("language", rq.lang.code)
	form.Set("time_zone", p.ChosenZone)
	form.Set("grammatical_gender", string(p.Gender))
	for _, k := range settingsKinds(rq.user) {
		if p.Notifications[k] {
			form.Add("notify", string(k))
		}
	}
	return form, nil
}
