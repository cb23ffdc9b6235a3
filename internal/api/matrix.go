package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// matrixJSON is the priority matrix keyed impact → urgency → priority:
// {"high":{"high":"P1","medium":"P2","low":"P3"},"medium":{…},"low":{…}}.
type matrixJSON struct {
	High   *matrixRow `json:"high"`
	Medium *matrixRow `json:"medium"`
	Low    *matrixRow `json:"low"`
}

// matrixRow is one impact's priorities by urgency.
type matrixRow struct {
	High   *desk.Priority `json:"high"`
	Medium *desk.Priority `json:"medium"`
	Low    *desk.Priority `json:"low"`
}

// rows and cells list the fields in desk.Levels order.
func (m *matrixJSON) rows() []**matrixRow { return []**matrixRow{&m.High, &m.Medium, &m.Low} }

func (r *matrixRow) cells() []**desk.Priority { return []**desk.Priority{&r.High, &r.Medium, &r.Low} }

func matrixView(m desk.Matrix) matrixJSON {
	var out matrixJSON
	for i, row := range out.rows() {
		*row = &matrixRow{}
		for j, cell := range (*row).cells() {
			*cell = &m[i][j]
		}
	}
	return out
}

// toMatrix requires all nine cells, naming each missing one as impact.urgency.
func (m *matrixJSON) toMatrix() (desk.Matrix, error) {
	var out desk.Matrix
	var missing fieldProblems
	for i, row := range m.rows() {
		for j := range desk.Levels {
			var cell *desk.Priority
			if *row != nil {
				cell = *(*row).cells()[j]
			}
			if cell == nil {
				missing.fail(string(desk.Levels[i])+"."+string(desk.Levels[j]), desk.RuleRequired, nil, "is required: give all nine cells")
				continue
			}
			out[i][j] = *cell
		}
	}
	return out, missing.err()
}

func (s *server) getMatrix(w http.ResponseWriter, r *http.Request) error {
	m, err := s.desk.Matrix(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, matrixView(m))
	return nil
}

// putMatrix replaces the whole matrix (admins only).
func (s *server) putMatrix(w http.ResponseWriter, r *http.Request) error {
	var b matrixJSON
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	m, err := b.toMatrix()
	if err != nil {
		return err
	}
	if err := s.desk.SetMatrix(r.Context(), m); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, matrixView(m))
	return nil
}
