package sqlstore

// WithoutAudit lets a test write through a schema migrated only up to a
// release before the audit log (migration 00040), as a desk of that
// release was written; Migrate then brings the log in.
func (s *Store) WithoutAudit() { s.auditLog.off = true }
