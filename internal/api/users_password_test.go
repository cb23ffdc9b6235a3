package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestAPI_SetPassword(t *testing.T) {
	e := newEnv(t)
	path := "/api/v1/users/" + itoa(e.alice.userID) + "/password"
	e.alice.do("PUT", path, map[string]any{"password": "alice's long password"}).want(t, http.StatusForbidden)
	p := problemOf(t, e.admin.do("PUT", path, map[string]any{"password": "short"}).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Field != "password" {
		t.Errorf("errors %+v, want one on password", p.Errors)
	}
	e.admin.do("PUT", "/api/v1/users/987654/password", map[string]any{"password": "alice's long password"}).
		want(t, http.StatusNotFound)
	e.admin.do("PUT", path, map[string]any{"password": "alice's long password"}).want(t, http.StatusNoContent)
	if _, _, err := e.desk.SignIn(context.Background(), "alice@example.com", "alice's long password", ""); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
	if strings.Contains(e.logs.String(), "alice's long password") {
		t.Error("the password is in the log")
	}
}
