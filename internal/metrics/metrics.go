// Package metrics exports the desk to Prometheus (GET /metrics, names
// prefixed tierdesk_, no per-ticket or per-user labels).
//
// Two kinds of figures, chosen by what stays right with several instances:
//   - Counters of things that happen (tickets created, state changes, SLA
//     warnings, HTTP requests, mail, outbox deliveries) are counted by the
//     instance that does them, in process, and say "this instance" in their
//     help. Each such effect is stored by exactly one instance, so sum()
//     over instances is the desk's figure and rate() absorbs restarts;
//     counting them from the database at scrape time would read history
//     that grows without end.
//   - Levels and the counters the database already keeps (open backlog,
//     due timers, unsent outbox, pages, the integrations' alert counters)
//     are read from the database at scrape time (deskCollector): every
//     instance reports the same desk-wide value, so use max(), not sum().
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tierdesk/tierdesk/internal/desk"
)

const ns = "tierdesk"

// Metrics holds the registry and the in-process counters of one instance.
type Metrics struct {
	reg  *prometheus.Registry
	log  *slog.Logger
	desk *deskCollector

	ticketsCreated *prometheus.CounterVec
	stateChanges   *prometheus.CounterVec
	escalations    *prometheus.CounterVec
	slaWarnings    *prometheus.CounterVec
	slaBreaches    *prometheus.CounterVec
	firstResponse  *prometheus.HistogramVec
	resolution     *prometheus.HistogramVec
	outboxSent     *prometheus.CounterVec
	outboxFailed   *prometheus.CounterVec
	mailReceived   *prometheus.CounterVec
	mailDropped    *prometheus.CounterVec
	httpDuration   *prometheus.HistogramVec
}

// Sources are what the scrape-time collectors read; nil fields are left out.
type Sources struct {
	Ops   desk.OpsStore
	Pools PoolStater
	// Clock is the time the lag is measured at; nil: the system's.
	Clock desk.Clock
	// Backups reads when the latest backups succeeded and failed (nil:
	// backups are not scheduled, nothing is exported).
	Backups func(ctx context.Context) (BackupState, error)
}

// BackupState is the outcome of the latest scheduled backups; zero times
// mean none.
type BackupState struct {
	LastSuccess time.Time
	LastFailure time.Time
}

// Durations of a ticket's life, in seconds: a minute to a month.
var lifeBuckets = []float64{60, 300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 24 * 3600,
	3 * 24 * 3600, 7 * 24 * 3600, 30 * 24 * 3600}

// New registers every metric; log receives scrape failures.
func New(src Sources, log *slog.Logger) *Metrics {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if src.Clock == nil {
		src.Clock = desk.SystemClock{}
	}
	m := &Metrics{reg: prometheus.NewRegistry(), log: log, desk: &deskCollector{src: src, log: log}}
	perInstance := func(help string) string { return help + " (counted by this instance: sum over instances)" }
	m.ticketsCreated = m.counter("tickets_created_total", perInstance("Tickets created"), "channel", "priority")
	m.stateChanges = m.counter("ticket_state_changes_total", perInstance("Ticket state changes"), "from", "to")
	m.escalations = m.counter("escalations_total",
		perInstance("Escalations: functional (to a higher line) or hierarchical (a manager flagged)"), "kind")
	m.slaWarnings = m.counter("sla_warnings_total", perInstance("SLA warnings recorded"), "clock", "priority")
	m.slaBreaches = m.counter("sla_breaches_total", perInstance("SLA breaches recorded"), "clock", "priority")
	m.firstResponse = m.histogram("first_response_seconds",
		perInstance("Time from a ticket's creation to its first response"), lifeBuckets, "priority")
	m.resolution = m.histogram("resolution_seconds",
		perInstance("Time from a ticket's creation to its resolution"), lifeBuckets, "priority")
	m.outboxSent = m.counter("outbox_sent_total", perInstance("Outbox messages delivered"), "kind")
	m.outboxFailed = m.counter("outbox_failed_total",
		perInstance("Outbox delivery attempts that failed (final: the message failed for good)"), "kind", "final")
	m.mailReceived = m.counter("mail_received_total",
		perInstance("Inbound e-mail handed to the desk, by what became of it"), "outcome")
	m.mailDropped = m.counter("mail_dropped_total", perInstance("Inbound e-mail dropped or refused"), "reason")
	m.httpDuration = m.histogram("http_request_duration_seconds",
		perInstance("HTTP requests by route pattern and status code"), prometheus.DefBuckets, "route", "code")
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		buildInfo(), m.desk)
	return m
}

func (m *Metrics) counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: name, Help: help}, labels)
	m.reg.MustRegister(c)
	return c
}

func (m *Metrics) histogram(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Name: name, Help: help, Buckets: buckets}, labels)
	m.reg.MustRegister(h)
	return h
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(m.log.Handler(), slog.LevelWarn)})
}

// Registry is the registry, for tests and for adding collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// buildInfo is tierdesk_build_info{version, revision, goversion} 1.
func buildInfo() prometheus.Collector {
	version, revision, goVersion := "(devel)", "", ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		version, goVersion = bi.Main.Version, bi.GoVersion
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				revision = s.Value
			}
		}
	}
	g := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "build_info",
		Help:        "The running binary's version, VCS revision and Go version (always 1)",
		ConstLabels: prometheus.Labels{"version": version, "revision": revision, "goversion": goVersion}})
	g.Set(1)
	return g
}
