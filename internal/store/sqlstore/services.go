package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

const serviceSelect = `SELECT s.id, s.name, s.description, s.owner_group_id, g.name, s.retired
FROM services s LEFT JOIN support_groups g ON g.id = s.owner_group_id`

func scanService(sc scanner) (*desk.Service, error) {
	var sv desk.Service
	var owner nullRef
	if err := sc.Scan(&sv.ID, &sv.Name, &sv.Description, &owner.id, &owner.name, &sv.Retired); err != nil {
		return nil, err
	}
	sv.OwnerGroup = owner.ref()
	return &sv, nil
}

// CreateService implements desk.DirectoryStore; names are unique.
func (s *Store) CreateService(ctx context.Context, sv *desk.Service) error {
	err := s.inAuditedTx(ctx, entry("service.create", about("service", &sv.ID), "name", sv.Name), func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO services (name, description, owner_group_id, retired)
			VALUES ($1, $2, $3, $4) RETURNING id`, sv.Name, sv.Description, refID(sv.OwnerGroup), sv.Retired).Scan(&sv.ID)
	})
	return s.serviceError(ctx, "create service", err, sv)
}

// UpdateService implements desk.DirectoryStore.
func (s *Store) UpdateService(ctx context.Context, sv *desk.Service) error {
	var res sql.Result
	err := s.inAuditedTx(ctx, entry("service.update", about("service", &sv.ID), "name", sv.Name, "retired", sv.Retired), func(tx *sql.Tx) error {
		var err error
		if res, err = tx.ExecContext(ctx, `UPDATE services SET name = $1, description = $2, owner_group_id = $3,
			retired = $4 WHERE id = $5`, sv.Name, sv.Description, refID(sv.OwnerGroup), sv.Retired, sv.ID); err != nil {
			return err
		}
		return oneRow(res, "service", sv.ID)
	})
	if _, ok := errors.AsType[*desk.Error](err); err != nil && !ok {
		return s.serviceError(ctx, fmt.Sprintf("update service %d", sv.ID), err, sv)
	}
	return err
}

func (s *Store) serviceError(ctx context.Context, op string, err error, sv *desk.Service) error {
	if err != nil && s.dialect.IsUniqueViolation(err) {
		return s.uniqueError(op, err, "name")
	}
	return s.refError(ctx, op, err, ref{"owner_group", "support_groups", refID(sv.OwnerGroup)})
}

// GetService implements desk.DirectoryStore.
func (s *Store) GetService(ctx context.Context, id int64) (*desk.Service, error) {
	sv, err := scanService(s.rdb.QueryRowContext(ctx, serviceSelect+" WHERE s.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("service", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read service %d: %w", id, err)
	}
	return sv, nil
}

// ListServices implements desk.DirectoryStore, ordered by name.
func (s *Store) ListServices(ctx context.Context) ([]*desk.Service, error) {
	rows, err := s.rdb.QueryContext(ctx, serviceSelect+" ORDER BY s.name, s.id")
	if err != nil {
		return nil, fmt.Errorf("list services: %w", err)
	}
	defer rows.Close()
	var svcs []*desk.Service
	for rows.Next() {
		sv, err := scanService(rows)
		if err != nil {
			return nil, fmt.Errorf("list services: %w", err)
		}
		svcs = append(svcs, sv)
	}
	return svcs, rows.Err()
}

// DeleteService implements desk.DirectoryStore. An SLA policy naming the
// service also keeps it: deleting it would silently widen or empty what
// the policy matches.
func (s *Store) DeleteService(ctx context.Context, id int64) error {
	return s.deleteUnused(ctx, "service", id, "DELETE FROM services WHERE id = $1", []usage{
		{"SELECT 1 FROM tickets WHERE service_id = $1", "tickets", "tickets use the service"},
		{policyNamesService, "sla_policies", "an SLA policy names the service"},
	})
}

// policyNamesService finds a policy whose service_ids (a JSON array of
// numbers as policyArgs writes it: "[3,12]", no spaces) holds $1; the
// same text test on both databases.
const policyNamesService = `SELECT 1 FROM sla_policies
	WHERE ',' || substr(service_ids, 2, length(service_ids) - 2) || ',' LIKE '%,' || CAST(CAST($1 AS BIGINT) AS TEXT) || ',%'`
