package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// PoolStater reports the database connection pools by role.
type PoolStater interface {
	PoolStats() map[string]sql.DBStats
}

// scrapeTimeout bounds the database reads of one scrape.
const scrapeTimeout = 5 * time.Second

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(prometheus.BuildFQName(ns, "", name), help, labels, nil)
}

var (
	descUp      = desc("database_up", "1 when the last scrape read the database, else 0")
	descBacklog = desc("open_tickets", "Open tickets by line and priority (desk-wide, from the database)", "line", "priority")
	descLag     = desc("job_runner_lag_seconds",
		"Age of the oldest due SLA or auto-close timer not handled yet; 0 when none is due (desk-wide)")
	descDue    = desc("timers_due", "Timers due and not handled yet (desk-wide)")
	descOutbox = desc("outbox_messages", "Outbox messages not sent, by kind and state: queued or failed for good (desk-wide)",
		"kind", "state")
	descAlertsReceived = desc("alerts_received_total", "Alerts received by integrations of a kind (desk-wide, from the database)",
		"integration_kind")
	descAlertsDedup = desc("alerts_deduplicated_total",
		"Alerts counted as repeats of a firing group (desk-wide, from the database)", "integration_kind")
	descAlertsOverflow = desc("alerts_overflowed_total",
		"Alerts refused over an integration's rate limit (desk-wide, from the database)", "integration_kind")
	descAlertIncidents = desc("alert_incidents_opened_total", "Incidents opened from alerts (desk-wide, from the database)",
		"integration_kind")
	descPagesStarted = desc("pages_started_total", "Pages started (desk-wide, from the database)")
	descPagesAcked   = desc("pages_acknowledged_total", "Pages acknowledged (desk-wide, from the database)")
	descPagesActive  = desc("pages_active", "Pages running now (desk-wide)")
	descPageAck      = desc("page_acknowledge_seconds", "Time from a page's start to its acknowledgement (desk-wide)")
	descPoolOpen     = desc("db_connections", "Database connections by pool and state (this instance)", "pool", "state")
	descPoolMax      = desc("db_connections_max", "Most connections a pool opens (this instance)", "pool")
	descPoolWaits    = desc("db_connection_waits_total", "Waits for a free connection (this instance)", "pool")
	descPoolWaitSecs = desc("db_connection_wait_seconds_total", "Time spent waiting for a connection (this instance)", "pool")
	descBackupOK     = desc("backup_last_success_timestamp_seconds", "When the latest successful backup finished (Unix time; desk-wide)")
	descBackupFailed = desc("backup_last_failure_timestamp_seconds", "When the latest failed backup ended (Unix time; 0: none failed; desk-wide)")
	descMailRefused  = desc("mail_refused_total",
		"Polled messages refused for good and left in their mailbox, by reason (this instance, since it started)", "reason")
	descMailboxFailures = desc("mailbox_poll_failures",
		"Polls of the mailbox that failed in a row, 0 when the latest worked (this instance)", "mailbox")
	descMailboxSuccess = desc("mailbox_last_success_timestamp_seconds",
		"When a poll of the mailbox last worked (Unix time; 0: never since this instance started)", "mailbox")
	descMailboxLeft = desc("mailbox_messages_waiting",
		"Messages left in the mailbox after the latest poll (this instance)", "mailbox")
)

// deskCollector reads the database (and this instance's pools and
// mailboxes) at scrape time.
type deskCollector struct {
	src       Sources
	log       *slog.Logger
	mailboxes atomic.Pointer[func() []desk.MailboxHealth]
}

// WatchMailboxes tells the metrics where to read the health of the
// mailboxes this instance polls (their refusals, failing polls, last
// success and messages waiting).
func (m *Metrics) WatchMailboxes(fn func() []desk.MailboxHealth) { m.desk.mailboxes.Store(&fn) }

func (c *deskCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUp, descBacklog, descLag, descDue, descOutbox, descAlertsReceived,
		descAlertsDedup, descAlertsOverflow, descAlertIncidents, descPagesStarted, descPagesAcked, descPagesActive,
		descPageAck, descPoolOpen, descPoolMax, descPoolWaits, descPoolWaitSecs, descMailRefused, descMailboxFailures,
		descMailboxSuccess, descMailboxLeft, descBackupOK, descBackupFailed} {
		ch <- d
	}
}

func (c *deskCollector) Collect(ch chan<- prometheus.Metric) {
	c.collectPools(ch)
	c.collectMailboxes(ch)
	if c.src.Ops == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	now := c.src.Clock.Now()
	snap, err := c.src.Ops.OpsSnapshot(ctx, now)
	if err != nil {
		c.log.Warn("metrics: read the database", "err", err)
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 1)
	collectSnapshot(ch, snap, now)
	c.collectBackups(ctx, ch)
}

// collectBackups exports the last backups' outcome, when backups run.
func (c *deskCollector) collectBackups(ctx context.Context, ch chan<- prometheus.Metric) {
	if c.src.Backups == nil {
		return
	}
	st, err := c.src.Backups(ctx)
	if err != nil {
		c.log.Warn("metrics: read the backups' state", "err", err)
		return
	}
	if !st.LastSuccess.IsZero() {
		ch <- prometheus.MustNewConstMetric(descBackupOK, prometheus.GaugeValue, unixSeconds(st.LastSuccess))
	}
	ch <- prometheus.MustNewConstMetric(descBackupFailed, prometheus.GaugeValue, unixSeconds(st.LastFailure))
}

// unixSeconds is t in Unix seconds, 0 for the zero time.
func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}

func collectSnapshot(ch chan<- prometheus.Metric, s *desk.OpsSnapshot, now time.Time) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v int64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	for _, b := range s.Backlog {
		gauge(descBacklog, float64(b.N), strconv.Itoa(int(b.Line)), string(b.Priority))
	}
	lag := 0.0
	if s.OldestDueTimer != nil {
		lag = max(0, now.Sub(*s.OldestDueTimer).Seconds())
	}
	gauge(descLag, lag)
	gauge(descDue, float64(s.DueTimers))
	for _, o := range s.Outbox {
		gauge(descOutbox, float64(o.N), string(o.Kind), o.State)
	}
	for _, a := range s.Alerts {
		k := string(a.Kind)
		counter(descAlertsReceived, a.Received, k)
		counter(descAlertsDedup, a.Deduplicated, k)
		counter(descAlertsOverflow, a.Overflowed, k)
		counter(descAlertIncidents, a.IncidentsOpened, k)
	}
	p := s.Pages
	counter(descPagesStarted, p.Started)
	counter(descPagesAcked, p.Acknowledged)
	gauge(descPagesActive, float64(p.Active))
	buckets := make(map[float64]uint64, len(desk.AckBuckets))
	for i, b := range desk.AckBuckets {
		buckets[b] = uint64(p.AckWithin[i])
	}
	ch <- prometheus.MustNewConstHistogram(descPageAck, uint64(p.Acknowledged), p.AckSeconds, buckets)
}

func (c *deskCollector) collectPools(ch chan<- prometheus.Metric) {
	if c.src.Pools == nil {
		return
	}
	for pool, st := range c.src.Pools.PoolStats() {
		ch <- prometheus.MustNewConstMetric(descPoolOpen, prometheus.GaugeValue, float64(st.InUse), pool, "in_use")
		ch <- prometheus.MustNewConstMetric(descPoolOpen, prometheus.GaugeValue, float64(st.Idle), pool, "idle")
		ch <- prometheus.MustNewConstMetric(descPoolMax, prometheus.GaugeValue, float64(st.MaxOpenConnections), pool)
		ch <- prometheus.MustNewConstMetric(descPoolWaits, prometheus.CounterValue, float64(st.WaitCount), pool)
		ch <- prometheus.MustNewConstMetric(descPoolWaitSecs, prometheus.CounterValue, st.WaitDuration.Seconds(), pool)
	}
}

func (c *deskCollector) collectMailboxes(ch chan<- prometheus.Metric) {
	fn := c.mailboxes.Load()
	if fn == nil {
		return
	}
	refused := map[string]int64{}
	for _, reason := range desk.MailRefusalReasons {
		refused[reason] = 0
	}
	for _, h := range (*fn)() {
		for reason, n := range h.Refused {
			refused[reason] += n
		}
		ch <- prometheus.MustNewConstMetric(descMailboxFailures, prometheus.GaugeValue, float64(h.Failures), h.Mailbox)
		ch <- prometheus.MustNewConstMetric(descMailboxSuccess, prometheus.GaugeValue, unixSeconds(h.LastSuccess), h.Mailbox)
		ch <- prometheus.MustNewConstMetric(descMailboxLeft, prometheus.GaugeValue, float64(h.Left), h.Mailbox)
	}
	for reason, n := range refused {
		ch <- prometheus.MustNewConstMetric(descMailRefused, prometheus.CounterValue, float64(n), reason)
	}
}
