package api

import (
	"net/http"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// authed requires a valid bearer token and puts its user into the request
// context as the desk actor. The token itself is never logged or echoed.
func (s *server) authed(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		token, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok {
			return desk.Errorf(desk.EUNAUTHENTICATED, "send an API token as Authorization: Bearer <token>")
		}
		u, err := s.desk.Authenticate(r.Context(), token)
		if err != nil {
			return err
		}
		return h(w, r.WithContext(desk.WithActor(r.Context(), u)))
	}
}

// bearerToken extracts the credentials of an RFC 6750 Authorization header.
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
