package web

import "github.com/tierdesk/tierdesk/internal/desk"

// Administration: the scheduled backups this instance makes (serve
// --backup-every) — the last verified archive, and the failures, which
// must not go unseen.

func init() {
	registerArea("admin_backups", func(s *server) {
		s.get("/admin/backups", staffOnly, s.adminBackups)
		s.addNav(navItem{Path: "/admin/backups", Key: "nav.admin_backups", Who: staffOnly, Order: 59, Admin: true})
	})
}

func (s *server) adminBackups(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	h, on, err := s.desk.Backups(rq.ctx)
	if err != nil {
		return err
	}
	return rq.ok("admin_backups", struct {
		On     bool
		Health desk.BackupHealth
	}{on, h})
}
