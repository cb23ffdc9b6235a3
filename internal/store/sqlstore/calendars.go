package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Calendars are stored in words (desk.CalendarDoc): the zone by its IANA
// name, the week and holidays as JSON.

func scanCalendar(sc scanner) (*desk.CalendarSpec, error) {
	var doc desk.CalendarDoc
	var week, holidays string
	if err := sc.Scan(&doc.Name, &doc.Zone, &week, &holidays); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(week), &doc.Week); err != nil {
		return nil, fmt.Errorf("calendar %s week: %w", doc.Name, err)
	}
	if err := json.Unmarshal([]byte(holidays), &doc.Holidays); err != nil {
		return nil, fmt.Errorf("calendar %s holidays: %w", doc.Name, err)
	}
	spec, err := doc.Spec()
	if err != nil {
		return nil, fmt.Errorf("calendar %s as stored: %w", doc.Name, err)
	}
	return &spec, nil
}

// ListCalendars implements desk.SLAStore.
func (s *Store) ListCalendars(ctx context.Context) ([]*desk.CalendarSpec, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT name, zone, week, holidays FROM calendars ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list calendars: %w", err)
	}
	defer rows.Close()
	var out []*desk.CalendarSpec
	for rows.Next() {
		c, err := scanCalendar(rows)
		if err != nil {
			return nil, fmt.Errorf("list calendars: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// GetCalendar implements desk.SLAStore.
func (s *Store) GetCalendar(ctx context.Context, name string) (*desk.CalendarSpec, error) {
	c, err := scanCalendar(s.rdb.QueryRowContext(ctx, "SELECT name, zone, week, holidays FROM calendars WHERE name = $1", name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("calendar", name)
	}
	if err != nil {
		return nil, fmt.Errorf("read calendar %s: %w", name, err)
	}
	return c, nil
}

// PutCalendar implements desk.SLAStore.
func (s *Store) PutCalendar(ctx context.Context, spec *desk.CalendarSpec) error {
	return s.saveCalendar(ctx, spec, `INSERT INTO calendars (name, zone, week, holidays) VALUES ($1, $2, $3, $4)
		ON CONFLICT (name) DO UPDATE SET zone = excluded.zone, week = excluded.week, holidays = excluded.holidays`)
}

// CreateCalendar implements desk.SLAStore: a taken name is ECONFLICT on
// "name", decided by the primary key, so of two creating one name at once
// the second is refused rather than replacing the first.
func (s *Store) CreateCalendar(ctx context.Context, spec *desk.CalendarSpec) error {
	err := s.saveCalendar(ctx, spec, `INSERT INTO calendars (name, zone, week, holidays) VALUES ($1, $2, $3, $4)`)
	return s.uniqueError("create calendar", err, "name")
}

func (s *Store) saveCalendar(ctx context.Context, spec *desk.CalendarSpec, query string) error {
	doc := desk.CalendarDocOf(*spec)
	week, err := json.Marshal(doc.Week)
	if err != nil {
		return err
	}
	holidays, err := json.Marshal(doc.Holidays)
	if err != nil {
		return err
	}
	err = s.inAuditedTx(ctx, entry("calendar.save", named("calendar", doc.Name), "zone", doc.Zone), func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, query, doc.Name, doc.Zone, string(week), string(holidays))
		return err
	})
	if err != nil {
		return fmt.Errorf("save calendar %s: %w", doc.Name, err)
	}
	return nil
}

// DeleteCalendar implements desk.SLAStore.
func (s *Store) DeleteCalendar(ctx context.Context, name string) error {
	return s.inAuditedTx(ctx, entry("calendar.delete", named("calendar", name)), func(tx *sql.Tx) error {
		var users int
		err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM sla_policies WHERE calendar = $1", name).Scan(&users)
		if err != nil {
			return fmt.Errorf("delete calendar %s: %w", name, err)
		}
		if users > 0 {
			return desk.Errorf(desk.ECONFLICT, "calendar %s is used by %d SLA policies", name, users)
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM calendars WHERE name = $1", name)
		if err != nil {
			return fmt.Errorf("delete calendar %s: %w", name, err)
		}
		return oneRow(res, "calendar", name)
	})
}
