package api

import (
	"net/http"
	"slices"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// preferencesJSON is a user's effective notification preferences: the
// desk's defaults filled in, every kind listed with whether it is sent.
type preferencesJSON struct {
	UserID        int64                    `json:"user_id"`
	Language      string                   `json:"language"`
	TimeZone      string                   `json:"time_zone"`
	Gender        desk.Gender              `json:"grammatical_gender"`
	Notifications map[desk.OutboxKind]bool `json:"notifications"`
	Mandatory     []desk.OutboxKind        `json:"mandatory"`
}

func preferencesView(p *desk.EffectivePreferences) preferencesJSON {
	return preferencesJSON{UserID: p.UserID, Language: p.Language, TimeZone: p.TimeZone, Gender: p.Gender, Notifications: p.Notifications,
		Mandatory: slices.DeleteFunc(slices.Clone(desk.NotificationKinds), func(k desk.OutboxKind) bool { return !desk.MandatoryKind(k) })}
}

// preferencesUser is the {id} of a preferences path: a user id, or "me".
func preferencesUser(r *http.Request) (int64, error) {
	if r.PathValue("id") == "me" {
		return desk.ActorFrom(r.Context()).ID, nil
	}
	return pathID(r, "id", "user")
}

func (s *server) getPreferences(w http.ResponseWriter, r *http.Request) error {
	id, err := preferencesUser(r)
	if err != nil {
		return err
	}
	p, err := s.desk.UserPreferences(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, preferencesView(p))
	return nil
}

type preferencesBody struct {
	Language      optional[string]         `json:"language"`
	TimeZone      optional[string]         `json:"time_zone"`
	Gender        optional[string]         `json:"grammatical_gender"`
	Notifications map[desk.OutboxKind]bool `json:"notifications"`
}

// patchPreferences changes some preferences; null language or time_zone
// returns it to the desk's default.
func (s *server) patchPreferences(w http.ResponseWriter, r *http.Request) error {
	id, err := preferencesUser(r)
	if err != nil {
		return err
	}
	var b preferencesBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	p := desk.PreferencesPatch{Language: orDefault(b.Language), TimeZone: orDefault(b.TimeZone), Notifications: b.Notifications}
	if g := orDefault(b.Gender); g != nil {
		p.Gender = (*desk.Gender)(g)
	}
	got, err := s.desk.SetUserPreferences(r.Context(), id, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, preferencesView(got))
	return nil
}

// orDefault maps an optional string to a patch field: absent leaves it,
// null (or "") resets it.
func orDefault(o optional[string]) *string {
	switch {
	case !o.Set:
		return nil
	case o.Null:
		return new(string)
	}
	return &o.Value
}
