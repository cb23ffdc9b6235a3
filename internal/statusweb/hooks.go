package statusweb

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
	"github.com/tierdesk/tierdesk/internal/pager"
	"github.com/tierdesk/tierdesk/internal/statuspage"
)

// HookWorker delivers the status page's webhook notices, signed as the
// pager signs its webhooks (pager.Sign: X-Tierdesk-Signature over the
// timestamp and the body). Deliveries are claimed with a lease, so with
// several instances each is posted once unless a receiver fails.
type HookWorker struct {
	st     statuspage.Store
	clock  desk.Clock
	log    *slog.Logger
	client *http.Client
	loop   jobs.Periodic
	// MaxAttempts before a delivery fails for good; Backoff after the
	// first failure, doubling.
	MaxAttempts int
	Backoff     time.Duration
}

// NewHookWorker returns a worker over st.
func NewHookWorker(st statuspage.Store, clock desk.Clock, log *slog.Logger) *HookWorker {
	return &HookWorker{st: st, clock: clock, log: log, client: &http.Client{Timeout: 10 * time.Second}, MaxAttempts: 8, Backoff: 30 * time.Second}
}

// RunDue posts every due delivery once and returns how many were sent.
func (w *HookWorker) RunDue(ctx context.Context) (int, error) {
	now := w.clock.Now()
	ds, err := w.st.ClaimHooks(ctx, now, time.Minute, 50)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range ds {
		err := w.post(ctx, d, now)
		var next *time.Time
		msg := ""
		if err != nil {
			msg = err.Error()
			if _, perm := err.(permanent); !perm && d.Attempts < w.MaxAttempts {
				at := now.Add(w.Backoff << min(d.Attempts-1, 10))
				next = &at
			}
			w.log.Warn("status webhook failed", "delivery", d.ID, "attempts", d.Attempts, "final", next == nil, "err", msg)
		} else {
			sent++
		}
		if err := w.st.HookDone(ctx, d, msg, next, w.clock.Now()); err != nil && desk.ErrorCode(err) != desk.ECONFLICT {
			return sent, err
		}
	}
	return sent, nil
}

type permanent struct{ error }

func (w *HookWorker) post(ctx context.Context, d statuspage.HookDelivery, now time.Time) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
	if err != nil {
		return permanent{err}
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Tierdesk-Status/1")
	req.Header.Set(pager.HeaderTimestamp, ts)
	req.Header.Set(pager.HeaderSignature, pager.Sign([]byte(d.Secret), ts, d.Body))
	req.Header.Set(pager.HeaderDelivery, "status-"+strconv.FormatInt(d.ID, 10))
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != 408 && resp.StatusCode != 429:
		return permanent{fmt.Errorf("webhook answered %s", resp.Status)}
	}
	return fmt.Errorf("webhook answered %s", resp.Status)
}

// Start runs RunDue every interval until Stop.
func (w *HookWorker) Start(ctx context.Context, interval time.Duration) {
	w.loop.Start(ctx, interval, func(ctx context.Context) {
		if _, err := w.RunDue(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("status webhooks", "err", err)
		}
	})
}

// Stop ends the loop.
func (w *HookWorker) Stop() { w.loop.Stop() }
