package statuspage

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// Page is the page's identity in the JSON documents.
type Page struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	URL       string    `json:"url"`
	TimeZone  string    `json:"time_zone"`
	UpdatedAt time.Time `json:"updated_at"`
}

// State is everything the public page shows, read from the store.
type State struct {
	Page         Page
	Components   []Component // live ones, by group then position
	Changes      map[int64][]Change
	Incidents    []Incident // newest first, with their updates
	Maintenances []Maintenance
	Now          time.Time
}

type jsonComponent struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	Status             string   `json:"status"`
	CreatedAt          string   `json:"created_at"`
	UpdatedAt          string   `json:"updated_at"`
	Position           int      `json:"position"`
	Description        *string  `json:"description"`
	Showcase           bool     `json:"showcase"`
	StartDate          *string  `json:"start_date"`
	GroupID            *string  `json:"group_id"`
	PageID             string   `json:"page_id"`
	Group              bool     `json:"group"`
	OnlyShowIfDegraded bool     `json:"only_show_if_degraded"`
	Components         []string `json:"components,omitempty"`
}

type jsonUpdate struct {
	ID                 string         `json:"id"`
	Status             string         `json:"status"`
	Body               string         `json:"body"`
	IncidentID         string         `json:"incident_id"`
	CreatedAt          string         `json:"created_at"`
	UpdatedAt          string         `json:"updated_at"`
	DisplayAt          string         `json:"display_at"`
	AffectedComponents []jsonAffected `json:"affected_components"`
	DeliverNotice      bool           `json:"deliver_notifications"`
}

type jsonAffected struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	NewStatus string `json:"new_status"`
}

type jsonIncident struct {
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	Status          string          `json:"status"`
	CreatedAt       string          `json:"created_at"`
	UpdatedAt       string          `json:"updated_at"`
	MonitoringAt    *string         `json:"monitoring_at"`
	ResolvedAt      *string         `json:"resolved_at"`
	Impact          string          `json:"impact"`
	Shortlink       string          `json:"shortlink"`
	StartedAt       string          `json:"started_at"`
	PageID          string          `json:"page_id"`
	IncidentUpdates []jsonUpdate    `json:"incident_updates"`
	Components      []jsonComponent `json:"components"`
	ScheduledFor    *string         `json:"scheduled_for,omitempty"`
	ScheduledUntil  *string         `json:"scheduled_until,omitempty"`
}

type jsonStatus struct {
	Indicator   string `json:"indicator"`
	Description string `json:"description"`
}

// Descriptions of the overall indicator, in English as Statuspage words
// them (the HTML page words them per language).
var indicatorText = map[Impact]string{
	ImpactNone: "All Systems Operational", ImpactMinor: "Minor Service Outage",
	ImpactMajor: "Partial System Outage", ImpactCritical: "Major System Outage",
}

func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func tsPtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := ts(*t)
	return &s
}

// ComponentKey is a component's public id.
func ComponentKey(id int64) string { return "c" + strconv.FormatInt(id, 10) }

// GroupKey is a component group's public id.
func GroupKey(name string) string {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		h = (h ^ uint32(name[i])) * 16777619
	}
	return "g" + strconv.FormatUint(uint64(h), 36)
}

func (st *State) components() []jsonComponent {
	var out []jsonComponent
	groups := map[string]int{}
	for _, c := range st.Components {
		jc := jsonComponent{ID: ComponentKey(c.ID), Name: c.Name, Status: string(c.Status), CreatedAt: ts(c.CreatedAt),
			UpdatedAt: ts(c.UpdatedAt), Position: c.Position, PageID: st.Page.ID}
		if c.Description != "" {
			d := c.Description
			jc.Description = &d
		}
		if c.Group != "" {
			g := GroupKey(c.Group)
			jc.GroupID = &g
			i, ok := groups[c.Group]
			if !ok {
				out = append(out, jsonComponent{ID: g, Name: c.Group, Status: string(Operational), CreatedAt: ts(c.CreatedAt),
					UpdatedAt: ts(c.UpdatedAt), Position: c.Position, PageID: st.Page.ID, Group: true})
				i = len(out) - 1
				groups[c.Group] = i
			}
			grp := &out[i]
			grp.Components = append(grp.Components, jc.ID)
			if c.Status.severity() > ComponentStatus(grp.Status).severity() {
				grp.Status = string(c.Status)
			}
		}
		out = append(out, jc)
	}
	return out
}

func (st *State) component(id int64) (Component, bool) {
	i := slices.IndexFunc(st.Components, func(c Component) bool { return c.ID == id })
	if i < 0 {
		return Component{}, false
	}
	return st.Components[i], true
}

func (st *State) incident(in Incident) jsonIncident {
	id := "i" + strconv.FormatInt(in.ID, 10)
	j := jsonIncident{ID: id, Name: in.Name, Status: string(in.Status), CreatedAt: ts(in.CreatedAt), UpdatedAt: ts(in.UpdatedAt),
		MonitoringAt: tsPtr(in.MonitoringAt), ResolvedAt: tsPtr(in.ResolvedAt), Impact: string(in.Impact),
		Shortlink: st.Page.URL + "/incidents/" + strconv.FormatInt(in.ID, 10), StartedAt: ts(in.CreatedAt), PageID: st.Page.ID,
		IncidentUpdates: []jsonUpdate{}, Components: []jsonComponent{}}
	var affected []jsonAffected
	for _, cid := range in.ComponentIDs {
		if c, ok := st.component(cid); ok { // a deleted component leaves the page
			j.Components = append(j.Components, jsonComponent{ID: ComponentKey(c.ID), Name: c.Name, Status: string(c.Status),
				CreatedAt: ts(c.CreatedAt), UpdatedAt: ts(c.UpdatedAt), Position: c.Position, PageID: st.Page.ID})
			affected = append(affected, jsonAffected{Code: ComponentKey(c.ID), Name: c.Name, NewStatus: string(c.Status)})
		}
	}
	for _, u := range in.Updates {
		j.IncidentUpdates = append(j.IncidentUpdates, jsonUpdate{ID: "u" + strconv.FormatInt(u.ID, 10), Status: string(u.Status),
			Body: u.Body, IncidentID: id, CreatedAt: ts(u.At), UpdatedAt: ts(u.At), DisplayAt: ts(u.At),
			AffectedComponents: affected, DeliverNotice: true})
	}
	return j
}

func (st *State) maintenance(m Maintenance) jsonIncident {
	in := Incident{ID: m.ID, Name: m.Name, Status: IncidentStatus(m.MaintenanceStatus(st.Now)), Impact: ImpactMaintenance,
		ComponentIDs: m.ComponentIDs, CreatedAt: m.CreatedAt, UpdatedAt: m.CreatedAt}
	if m.Body != "" {
		in.Updates = []IncidentUpdate{{ID: m.ID, Status: in.Status, Body: m.Body, At: m.CreatedAt}}
	}
	j := st.incident(in)
	j.ID = "m" + strconv.FormatInt(m.ID, 10)
	j.Shortlink = st.Page.URL + "/maintenance/" + strconv.FormatInt(m.ID, 10)
	j.ScheduledFor, j.ScheduledUntil = tsPtr(&m.StartsAt), tsPtr(&m.EndsAt)
	return j
}

// ImpactMaintenance is the impact Statuspage gives maintenance windows.
const ImpactMaintenance Impact = "maintenance"

// Open reports the incidents still going on.
func (st *State) Open() []Incident {
	var out []Incident
	for _, in := range st.Incidents {
		if in.Status.Open() {
			out = append(out, in)
		}
	}
	return out
}

// Upcoming reports the windows not yet completed, soonest first.
func (st *State) Upcoming() []Maintenance {
	var out []Maintenance
	for _, m := range st.Maintenances {
		if m.CanceledAt == nil && st.Now.Before(m.EndsAt) {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Maintenance) int { return a.StartsAt.Compare(b.StartsAt) })
	return out
}

// Summary renders summary.json.
func (st *State) Summary() []byte {
	ind := Indicator(st.Components, st.Incidents)
	incidents := []jsonIncident{}
	for _, in := range st.Open() {
		incidents = append(incidents, st.incident(in))
	}
	maint := []jsonIncident{}
	for _, m := range st.Upcoming() {
		maint = append(maint, st.maintenance(m))
	}
	return mustJSON(map[string]any{"page": st.Page, "components": nonNil(st.components()), "incidents": incidents,
		"scheduled_maintenances": maint, "status": jsonStatus{Indicator: string(ind), Description: indicatorText[ind]}})
}

// ComponentsJSON renders components.json.
func (st *State) ComponentsJSON() []byte {
	return mustJSON(map[string]any{"page": st.Page, "components": nonNil(st.components())})
}

// MaxListed is how many incidents incidents.json and the feed list.
const MaxListed = 50

// IncidentsJSON renders incidents.json: the newest MaxListed incidents.
func (st *State) IncidentsJSON() []byte {
	out := []jsonIncident{}
	for i, in := range st.Incidents {
		if i == MaxListed {
			break
		}
		out = append(out, st.incident(in))
	}
	return mustJSON(map[string]any{"page": st.Page, "incidents": out})
}

func nonNil(c []jsonComponent) []jsonComponent {
	if c == nil {
		return []jsonComponent{}
	}
	return c
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain values: cannot fail
	}
	return b
}
