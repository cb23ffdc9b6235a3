package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Security cases (desk/security.go, migration 00028): tickets.security and
// the people named on each case in security_members.

// securityCond is the deny-by-default rule on tickets t: a security case is
// visible with AllSecurity, or to the user named on it; "" when no
// condition applies.
func securityCond(v desk.Visibility, a *args) string {
	switch {
	case v.AllSecurity:
		return ""
	case v.SecurityMember > 0:
		return "(NOT t.security OR EXISTS (SELECT 1 FROM security_members sm WHERE sm.ticket_id = t.id AND sm.user_id = " +
			a.add(v.SecurityMember) + "))"
	default:
		return "NOT t.security"
	}
}

// securityGroupCond is the rule for rows that carry a group but no ticket
// id (the dashboard's counters): without AllSecurity, nothing of a
// security group counts. Security cases stay in security groups, and the
// named members of a case see it in lists, not in aggregates.
func securityGroupCond(v desk.Visibility) string {
	if v.AllSecurity {
		return ""
	}
	return "t.group_id NOT IN (SELECT sg.id FROM support_groups sg WHERE sg.security)"
}

// readSecurityMembers reads the people named on a case, in the order named.
func readSecurityMembers(ctx context.Context, q queryer, ticketID int64) ([]desk.SecurityMember, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.user_id, u.name, m.kind, m.reason, m.added_by, m.added_at
		FROM security_members m JOIN users u ON u.id = m.user_id WHERE m.ticket_id = $1 ORDER BY m.added_at, m.user_id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("read security members: %w", err)
	}
	defer rows.Close()
	var out []desk.SecurityMember
	for rows.Next() {
		var m desk.SecurityMember
		var by sql.NullInt64
		var at int64
		if err := rows.Scan(&m.UserID, &m.Name, &m.Kind, &m.Reason, &by, &at); err != nil {
			return nil, fmt.Errorf("read security members: %w", err)
		}
		m.AddedBy, m.AddedAt = by.Int64, fromMicros(at)
		out = append(out, m)
	}
	return out, rows.Err()
}

// writeSecurityMembers adds the case's members that its table lacks; rows
// are never removed here.
func writeSecurityMembers(ctx context.Context, tx *sql.Tx, ticketID int64, t *desk.Ticket) error {
	for _, m := range t.SecurityMembers {
		_, err := tx.ExecContext(ctx, `INSERT INTO security_members (ticket_id, user_id, kind, reason, added_by, added_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (ticket_id, user_id) DO NOTHING`,
			ticketID, m.UserID, string(m.Kind), m.Reason, nullID(m.AddedBy), micros(m.AddedAt))
		if err != nil {
			return fmt.Errorf("name security member %d: %w", m.UserID, err)
		}
	}
	return nil
}
