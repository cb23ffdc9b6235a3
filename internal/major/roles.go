package major

import (
	"context"
	"slices"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// AssignRole gives userID role on the major incident (commander and comms
// lead replace the holder; responders are added), or with remove takes a
// responder or the comms lead off. Every change is on the timeline.
func (s *Service) AssignRole(ctx context.Context, id int64, role Role, userID int64, remove bool) (*Incident, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(Roles, role) {
		return nil, desk.InvalidFields(desk.Invalid("role", desk.RuleOneOf, desk.Params{"allowed": []string{"commander", "comms_lead", "responder"}}, "must be commander, comms_lead or responder"))
	}
	m, err := s.activeMajor(ctx, id)
	if err != nil {
		return nil, err
	}
	who, err := s.staffMember(ctx, "user_id", userID)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if remove {
		if err := unassign(m, role, who.ID); err != nil {
			return nil, err
		}
	} else {
		assign(m, role, who)
	}
	e := roleEntry(now, u.ID, role, who, !remove)
	return m, s.ms.SaveMajor(ctx, Save{Incident: m, Entries: []Entry{e}})
}

func assign(m *Incident, role Role, who *desk.User) {
	switch role {
	case RoleCommander:
		m.CommanderID = who.ID
		if len(who.Groups) > 0 && !slices.ContainsFunc(who.Groups, func(g desk.GroupRef) bool { return g.ID == m.CommanderGroupID }) {
			m.CommanderGroupID = who.Groups[0].ID
		}
	case RoleCommsLead:
		m.CommsLeadID = who.ID
	default:
		if !slices.Contains(m.Responders, who.ID) {
			m.Responders = append(m.Responders, who.ID)
		}
	}
}

func unassign(m *Incident, role Role, id int64) error {
	switch {
	case role == RoleCommander:
		return desk.Refusef(desk.ECONFLICT, desk.RuleRequired, nil, "a major incident always has a commander: assign another one instead")
	case role == RoleCommsLead && m.CommsLeadID == id:
		m.CommsLeadID = 0
	case role == RoleResponder && slices.Contains(m.Responders, id):
		m.Responders = slices.DeleteFunc(m.Responders, func(r int64) bool { return r == id })
	default:
		return desk.Errorf(desk.ENOTFOUND, "the user does not hold that role")
	}
	return nil
}

func (s *Service) activeMajor(ctx context.Context, id int64) (*Incident, error) {
	m, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.State != StateActive {
		return nil, desk.Refusef(desk.ECONFLICT, desk.RuleNotOpen, desk.Params{"state": string(m.State)}, "the major incident is %s", m.State)
	}
	return m, nil
}

// Settings changes the cadence (due from the last update, or from now if
// that has passed) and the bridge link; nil leaves a setting alone.
func (s *Service) Settings(ctx context.Context, id int64, cadence *time.Duration, bridge *string) (*Incident, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.activeMajor(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	var entries []Entry
	if cadence != nil {
		if *cadence < MinCadence || *cadence > MaxCadence {
			return nil, desk.InvalidFields(desk.Invalid("cadence_minutes", desk.RuleOutOfRange, desk.Params{"min": 5, "max": 1440}, "must be between 5 and 1440 minutes"))
		}
		last := m.NextUpdateDue.Add(-m.Cadence)
		m.Cadence = *cadence
		m.NextUpdateDue = last.Add(m.Cadence)
		if m.NextUpdateDue.Before(now) {
			m.NextUpdateDue = now
		}
		entries = append(entries, said(Entry{At: now, ActorID: u.ID, Kind: EntryCadenceSet}, desk.ReasonMajorCadenceSet,
			"cadence", m.Cadence.String(), "due", hhmm(m.NextUpdateDue)))
	}
	if bridge != nil {
		if !checkBridge(*bridge) {
			return nil, desk.InvalidFields(desk.Invalid("bridge_url", desk.RuleInvalidFmt, desk.Params{"format": "url"}, "must be an http(s), tel or sip link"))
		}
		m.BridgeURL = *bridge
		entries = append(entries, said(Entry{At: now, ActorID: u.ID, Kind: EntryBridgeSet}, desk.ReasonMajorBridgeSet))
	}
	if len(entries) == 0 {
		return m, nil
	}
	return m, s.ms.SaveMajor(ctx, Save{Incident: m, Entries: entries})
}
