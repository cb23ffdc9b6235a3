package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/evidence"
)

var _ evidence.Store = (*Store)(nil)

const evidenceColumns = `e.id, e.ticket_id, e.kind, e.title, e.description, e.file_name, e.content_type, e.size, e.sha256,
	e.location, e.collected_by, e.collected_at, e.collected_from, e.custodian_id, cu.name, e.custodian_name, e.has_file,
	e.created_by, cr.name, e.created_at, e.version`

const evidenceFrom = ` FROM evidence e LEFT JOIN users cu ON cu.id = e.custodian_id JOIN users cr ON cr.id = e.created_by`

func scanEvidence(row scanner) (*evidence.Item, error) {
	it := &evidence.Item{CreatedBy: &desk.Ref{}}
	var custodian nullRef
	var collected, created int64
	err := row.Scan(&it.ID, &it.TicketID, &it.Kind, &it.Title, &it.Description, &it.FileName, &it.ContentType, &it.Size,
		&it.SHA256, &it.Location, &it.CollectedBy, &collected, &it.CollectedFrom, &custodian.id, &custodian.name,
		&it.CustodianName, &it.HasFile, &it.CreatedBy.ID, &it.CreatedBy.Name, &created, &it.Version)
	if err != nil {
		return nil, err
	}
	it.CollectedAt, it.CreatedAt, it.Custodian = fromMicros(collected), fromMicros(created), custodian.ref()
	return it, nil
}

// AddEvidence implements evidence.Store.
func (s *Store) AddEvidence(ctx context.Context, it *evidence.Item, file []byte, c *evidence.Custody) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO evidence (ticket_id, kind, title, description, file_name, content_type,
			size, sha256, location, collected_by, collected_at, collected_from, custodian_id, custodian_name, has_file,
			created_by, created_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
			it.TicketID, string(it.Kind), it.Title, it.Description, it.FileName, it.ContentType, it.Size, it.SHA256,
			it.Location, it.CollectedBy, micros(it.CollectedAt), it.CollectedFrom, refID(it.Custodian), it.CustodianName,
			it.HasFile, it.CreatedBy.ID, micros(it.CreatedAt), it.Version).Scan(&it.ID)
		if err != nil {
			return fmt.Errorf("insert evidence: %w", err)
		}
		if file != nil {
			if _, err := tx.ExecContext(ctx, "INSERT INTO evidence_files (evidence_id, content) VALUES ($1, $2)", it.ID, file); err != nil {
				return fmt.Errorf("store evidence file: %w", err)
			}
		}
		c.EvidenceID = it.ID
		return s.insertCustody(ctx, tx, it, c)
	})
}

// insertCustody appends c and its audit entry.
func (s *Store) insertCustody(ctx context.Context, tx *sql.Tx, it *evidence.Item, c *evidence.Custody) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO evidence_custody (evidence_id, at, actor_id, action, from_text, to_text,
		note, sha256, address) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		c.EvidenceID, micros(c.At), c.Actor.ID, string(c.Action), c.From, c.To, c.Note, c.SHA256, c.Address).Scan(&c.ID)
	if err != nil {
		return fmt.Errorf("record custody: %w", err)
	}
	return s.Audit(ctx, tx, audit.Entry{ActorID: c.Actor.ID, At: c.At, Kind: "evidence." + string(c.Action),
		Subject: audit.Subject("evidence", it.ID), Detail: audit.Detail("ticket", it.TicketID, "custody", c.ID,
			"sha256", c.SHA256, "from", c.From, "to", c.To, "address", c.Address)})
}

// Evidence implements evidence.Store.
func (s *Store) Evidence(ctx context.Context, id int64) (*evidence.Item, error) {
	it, err := scanEvidence(s.rdb.QueryRowContext(ctx, "SELECT "+evidenceColumns+evidenceFrom+" WHERE e.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, desk.Errorf(desk.ENOTFOUND, "no evidence %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("get evidence %d: %w", id, err)
	}
	return it, nil
}

// ListEvidence implements evidence.Store.
func (s *Store) ListEvidence(ctx context.Context, ticketID int64) ([]*evidence.Item, error) {
	rows, err := s.rdb.QueryContext(ctx, "SELECT "+evidenceColumns+evidenceFrom+" WHERE e.ticket_id = $1 ORDER BY e.id", ticketID)
	if err != nil {
		return nil, fmt.Errorf("list evidence of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	out := []*evidence.Item{}
	for rows.Next() {
		it, err := scanEvidence(rows)
		if err != nil {
			return nil, fmt.Errorf("list evidence of ticket %d: %w", ticketID, err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// EvidenceFile implements evidence.Store.
func (s *Store) EvidenceFile(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	err := s.rdb.QueryRowContext(ctx, "SELECT content FROM evidence_files WHERE evidence_id = $1", id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, desk.Errorf(desk.ENOTFOUND, "evidence %d has no file", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read evidence file %d: %w", id, err)
	}
	return b, nil
}

// RecordCustody implements evidence.Store.
func (s *Store) RecordCustody(ctx context.Context, it *evidence.Item, c *evidence.Custody, change bool, file []byte) error {
	next := it.Version
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		next = it.Version
		if change {
			res, err := tx.ExecContext(ctx, `UPDATE evidence SET location = $1, custodian_id = $2, custodian_name = $3,
				file_name = $4, content_type = $5, size = $6, sha256 = $7, has_file = $8, version = version + 1
				WHERE id = $9 AND version = $10`, it.Location, refID(it.Custodian), it.CustodianName, it.FileName,
				it.ContentType, it.Size, it.SHA256, it.HasFile, it.ID, it.Version)
			if err != nil {
				return fmt.Errorf("update evidence: %w", err)
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				return errors.Join(err, desk.Errorf(desk.ESTALE, "evidence %d changed since it was read", it.ID))
			}
			next = it.Version + 1
		}
		if file != nil {
			if _, err := tx.ExecContext(ctx, "INSERT INTO evidence_files (evidence_id, content) VALUES ($1, $2)", it.ID, file); err != nil {
				return fmt.Errorf("store evidence file: %w", err)
			}
		}
		return s.insertCustody(ctx, tx, it, c)
	})
	if err == nil {
		it.Version = next
	}
	return err
}

// CustodyChain implements evidence.Store.
func (s *Store) CustodyChain(ctx context.Context, id int64) ([]*evidence.Custody, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT c.id, c.evidence_id, c.at, c.actor_id, u.name, c.action, c.from_text,
		c.to_text, c.note, c.sha256, c.address FROM evidence_custody c JOIN users u ON u.id = c.actor_id
		WHERE c.evidence_id = $1 ORDER BY c.id`, id)
	if err != nil {
		return nil, fmt.Errorf("read custody of evidence %d: %w", id, err)
	}
	defer rows.Close()
	out := []*evidence.Custody{}
	for rows.Next() {
		c := &evidence.Custody{Actor: &desk.Ref{}}
		var at int64
		if err := rows.Scan(&c.ID, &c.EvidenceID, &at, &c.Actor.ID, &c.Actor.Name, &c.Action, &c.From, &c.To,
			&c.Note, &c.SHA256, &c.Address); err != nil {
			return nil, fmt.Errorf("read custody of evidence %d: %w", id, err)
		}
		c.At = fromMicros(at)
		out = append(out, c)
	}
	return out, rows.Err()
}
