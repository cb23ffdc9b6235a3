package pager

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/jobs"
)

// Headers of a generic webhook delivery. The signature is
// "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)), so a
// receiver checks both the body and its age (replays of old bodies).
const (
	HeaderSignature = "X-Tierdesk-Signature"
	HeaderTimestamp = "X-Tierdesk-Timestamp"
	HeaderDelivery  = "X-Tierdesk-Delivery"
)

// Sign returns the signature header value of body sent at timestamp.
func Sign(secret []byte, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is body's at timestamp, for receivers.
func Verify(secret []byte, timestamp string, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, timestamp, body)), []byte(signature))
}

// Worker delivers page messages.
type Worker struct {
	store  desk.OnCallStore
	clock  desk.Clock
	cfg    Config
	log    *slog.Logger
	client *http.Client
	loop   jobs.Periodic
}

// NewWorker returns a Worker over store. client nil: a client with
// cfg.Timeout.
func NewWorker(store desk.OnCallStore, clock desk.Clock, cfg Config, client *http.Client, log *slog.Logger) *Worker {
	cfg = cfg.withDefaults()
	if client == nil {
		client = &http.Client{Timeout: cfg.Timeout}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Worker{store: store, clock: clock, cfg: cfg, log: log, client: client}
}

// RunDue claims every delivery due at now and sends it.
func (w *Worker) RunDue(ctx context.Context, now time.Time) (Result, error) {
	var res Result
	for range maxRounds {
		ds, err := w.store.ClaimPageDeliveries(ctx, now, w.cfg.Lease, w.cfg.Batch)
		if err != nil {
			return res, err
		}
		res.Claimed += len(ds)
		for _, d := range ds {
			count(&res, w.deliver(context.WithoutCancel(ctx), d, now))
		}
		if len(ds) == 0 || ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	return res, nil
}

// deliver sends d and records the outcome under its claim.
func (w *Worker) deliver(ctx context.Context, d *desk.PageDelivery, now time.Time) error {
	if d.Kind == desk.ContactEmail {
		p := maps.Clone(d.Payload)
		p["to"] = d.Target // the method's address, which need not be the account's
		mail := &desk.OutboxMessage{Kind: desk.OutboxOnCallPage, TicketID: d.TicketID, UserID: d.UserID, Payload: p}
		return w.store.PageDelivered(ctx, d, now, mail)
	}
	err := w.send(ctx, d, now)
	if err == nil {
		return w.store.PageDelivered(ctx, d, w.clock.Now(), nil)
	}
	var next *time.Time
	if d.Attempts < w.cfg.MaxAttempts && !permanent(err) {
		at := now.Add(w.cfg.Backoff << (d.Attempts - 1))
		next = &at
	}
	w.log.Warn("page delivery failed", "delivery", d.ID, "page", d.PageID, "kind", d.Kind, "attempts", d.Attempts,
		"final", next == nil, "err", err)
	if rerr := w.store.PageDeliveryRetry(ctx, d, err.Error(), next, w.clock.Now()); rerr != nil {
		return rerr
	}
	return err
}

// permanentError is a failure that retrying cannot fix.
type permanentError struct{ error }

func permanent(err error) bool {
	_, ok := err.(permanentError)
	return ok
}

func (w *Worker) send(ctx context.Context, d *desk.PageDelivery, now time.Time) error {
	var body []byte
	var err error
	header := http.Header{"Content-Type": {"application/json"}}
	switch d.Kind {
	case desk.ContactWebhook:
		m, merr := w.store.GetContactMethod(ctx, d.MethodID)
		if merr != nil {
			return permanentError{fmt.Errorf("contact method %d: %w", d.MethodID, merr)}
		}
		if body, err = WebhookBody(d, now); err != nil {
			return permanentError{err}
		}
		ts := strconv.FormatInt(now.Unix(), 10)
		header.Set(HeaderTimestamp, ts)
		header.Set(HeaderSignature, Sign([]byte(m.Secret), ts, body))
		header.Set(HeaderDelivery, strconv.FormatInt(d.ID, 10))
	case desk.ContactSlack:
		if body, err = SlackBody(d); err != nil {
			return permanentError{err}
		}
	default:
		return permanentError{fmt.Errorf("unknown contact kind %q", d.Kind)}
	}
	return w.post(ctx, d.Target, header, body)
}

func (w *Worker) post(ctx context.Context, url string, header http.Header, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return permanentError{err}
	}
	req.Header = header
	req.Header.Set("User-Agent", "Tierdesk-Pager/1")
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
		return permanentError{fmt.Errorf("webhook answered %s", resp.Status)}
	}
	return fmt.Errorf("webhook answered %s", resp.Status)
}

// Start sweeps every poll interval until ctx ends or Stop is called.
func (w *Worker) Start(ctx context.Context) {
	w.loop.Start(ctx, w.cfg.PollInterval, func(ctx context.Context) {
		if res, err := w.RunDue(ctx, w.clock.Now()); err != nil && ctx.Err() == nil {
			w.log.Error("page delivery sweep failed", "err", err)
		} else if res.Claimed > 0 {
			w.log.Info("page deliveries", "claimed", res.Claimed, "sent", res.Done, "skipped", res.Skipped, "failed", res.Failed)
		}
	})
}

// Stop ends the loop and waits for the sweep in progress.
func (w *Worker) Stop() { w.loop.Stop() }
