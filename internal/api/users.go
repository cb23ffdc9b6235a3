package api

import (
	"net/http"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

type userBody struct {
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Phone        string    `json:"phone"`
	Organization string    `json:"organization"`
	VIP          bool      `json:"vip"`
	Role         desk.Role `json:"role"`
	Groups       []int64   `json:"groups"`
}

func (s *server) createUser(w http.ResponseWriter, r *http.Request) error {
	var b userBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	u, err := s.desk.CreateUser(r.Context(), desk.UserInput{Email: b.Email, Name: b.Name, Phone: b.Phone,
		Organization: b.Organization, VIP: b.VIP, Role: b.Role, Groups: b.Groups})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	writeJSON(w, http.StatusCreated, userView(u))
	return nil
}

type userListJSON struct {
	Users      []userJSON `json:"users"`
	NextCursor *string    `json:"next_cursor"`
}

func (s *server) listUsers(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "role", "q", "cursor", "limit")
	f := desk.UserFilter{Roles: asStrings[desk.Role](q.list("role")), Query: q.str("q"),
		Cursor: q.str("cursor"), Limit: q.limit()}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.desk.ListUsers(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userListJSON{Users: views(page.Users, userView), NextCursor: cursorJSON(page.NextCursor)})
	return nil
}

type requesterMatchesJSON struct {
	Users []userJSON `json:"users"`
	More  bool       `json:"more"`
}

// lookupRequesters answers the lookup as you type of the register form.
func (s *server) lookupRequesters(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "q", "limit")
	in := desk.RequesterLookup{Query: q.str("q")}
	if v := q.str("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			n = -1 // the desk words the refusal
		}
		in.Limit = n
	}
	if err := q.err(); err != nil {
		return err
	}
	m, err := s.desk.LookupRequesters(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, requesterMatchesJSON{Users: views(m.Users, userView), More: m.More})
	return nil
}

// getMe returns the authenticated user, fresh from the store.
func (s *server) getMe(w http.ResponseWriter, r *http.Request) error {
	u, err := s.desk.User(r.Context(), desk.ActorFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userView(u))
	return nil
}

func (s *server) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	u, err := s.desk.User(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userView(u))
	return nil
}

type userPatchBody struct {
	Email        optional[string]    `json:"email"`
	Name         optional[string]    `json:"name"`
	Phone        optional[string]    `json:"phone"`
	Organization optional[string]    `json:"organization"`
	VIP          optional[bool]      `json:"vip"`
	Role         optional[desk.Role] `json:"role"`
	Active       optional[bool]      `json:"active"`
	Groups       optional[[]int64]   `json:"groups"`
}

func (s *server) patchUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	var b userPatchBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	var nn fieldProblems
	p := desk.UserPatch{Email: nonNull(&nn, "email", b.Email), Name: nonNull(&nn, "name", b.Name),
		Phone: nonNull(&nn, "phone", b.Phone), Organization: nonNull(&nn, "organization", b.Organization),
		VIP: nonNull(&nn, "vip", b.VIP), Role: nonNull(&nn, "role", b.Role), Active: nonNull(&nn, "active", b.Active),
		Groups: nonNull(&nn, "groups", b.Groups)}
	if err := nn.err(); err != nil {
		return err
	}
	u, err := s.desk.UpdateUser(r.Context(), id, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, userView(u))
	return nil
}

// deleteUser deactivates a user: history keeps referring to them.
func (s *server) deleteUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	if _, err := s.desk.UpdateUser(r.Context(), id, desk.UserPatch{Active: new(bool)}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type tokenJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
	Token     string `json:"token"`
}

// createToken issues an API token; its secret is in this response only.
func (s *server) createToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	var b struct {
		Name string `json:"name"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	secret, tok, err := s.desk.IssueToken(r.Context(), id, b.Name)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, tokenJSON{ID: tok.ID, Name: tok.Name, CreatedAt: rfc3339(tok.CreatedAt), Token: secret})
	return nil
}

// tokenInfoJSON describes a token without its secret.
type tokenInfoJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

func (s *server) listTokens(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	toks, err := s.desk.Tokens(r.Context(), id)
	if err != nil {
		return err
	}
	out := make([]tokenInfoJSON, len(toks))
	for i, t := range toks {
		out[i] = tokenInfoJSON{ID: t.ID, Name: t.Name, CreatedAt: rfc3339(t.CreatedAt)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
	return nil
}

func (s *server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
	}
	tokenID, err := pathID(r, "token_id", "token")
	if err != nil {
		return err
	}
	if err := s.desk.RevokeToken(r.Context(), id, tokenID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
