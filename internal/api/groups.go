package api

import (
	"net/http"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

type groupBody struct {
	Name      string    `json:"name"`
	Line      desk.Line `json:"line"`
	ManagerID int64     `json:"manager_id"`
	Default   bool      `json:"default"`
	Security  bool      `json:"security"`
}

func (s *server) createGroup(w http.ResponseWriter, r *http.Request) error {
	var b groupBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	g, err := s.desk.CreateGroup(r.Context(), desk.GroupInput{Name: b.Name, Line: b.Line, ManagerID: b.ManagerID, Default: b.Default, Security: b.Security})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/groups/"+strconv.FormatInt(g.ID, 10))
	writeJSON(w, http.StatusCreated, groupView(g))
	return nil
}

func (s *server) listGroups(w http.ResponseWriter, r *http.Request) error {
	gs, err := s.desk.Groups(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"groups": views(gs, groupView)})
	return nil
}

func (s *server) getGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "group")
	if err != nil {
		return err
	}
	g, err := s.desk.Group(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, groupView(g))
	return nil
}

type groupPatchBody struct {
	Name      optional[string]    `json:"name"`
	Line      optional[desk.Line] `json:"line"`
	ManagerID optional[int64]     `json:"manager_id"`
	Default   optional[bool]      `json:"default"`
	Active    optional[bool]      `json:"active"`
	Security  optional[bool]      `json:"security"`
}

func (s *server) patchGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "group")
	if err != nil {
		return err
	}
	var b groupPatchBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	var nn fieldProblems
	p := desk.GroupPatch{Name: nonNull(&nn, "name", b.Name), Line: nonNull(&nn, "line", b.Line),
		ManagerID: clearable(b.ManagerID), Default: nonNull(&nn, "default", b.Default), Active: nonNull(&nn, "active", b.Active),
		Security: nonNull(&nn, "security", b.Security)}
	if err := nn.err(); err != nil {
		return err
	}
	g, err := s.desk.UpdateGroup(r.Context(), id, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, groupView(g))
	return nil
}

// deleteGroup deactivates a group; groups are never deleted.
func (s *server) deleteGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "group")
	if err != nil {
		return err
	}
	if _, err := s.desk.UpdateGroup(r.Context(), id, desk.GroupPatch{Active: new(bool)}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) listMembers(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "group")
	if err != nil {
		return err
	}
	us, err := s.desk.GroupMembers(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"members": views(us, userView)})
	return nil
}

func (s *server) addMember(w http.ResponseWriter, r *http.Request) error {
	return s.setMember(w, r, true)
}

func (s *server) removeMember(w http.ResponseWriter, r *http.Request) error {
	return s.setMember(w, r, false)
}

// setMember adds or removes a group member; both are idempotent: 204.
func (s *server) setMember(w http.ResponseWriter, r *http.Request, member bool) error {
	groupID, err := pathID(r, "id", "group")
	if err != nil {
		return err
	}
	userID, err := pathID(r, "user_id", "user")
	if err != nil {
		return err
	}
	if err := s.desk.SetGroupMember(r.Context(), groupID, userID, member); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
