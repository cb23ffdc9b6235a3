package sqlstore

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// dfCache remembers how many documents hold a term (up to similarDFCap,
// see Dialect.DocumentFrequency) for similar tickets: counting a common term reads up to
// 20,000 matches (about 2 ms on a 1M desk under load), and a text's terms
// are mostly common ones, so counting every term of every request was
// most of a request's time. A count is used again while it is younger
// than dfFresh and the desk has grown by less than a tenth since; the
// weights it gives only need to be about right.
type dfCache struct {
	mu sync.Mutex
	m  map[string]dfEntry
}

type dfEntry struct {
	df, tickets int // the count, and the highest ticket id when counted
	at          time.Time
}

const (
	dfFresh   = 10 * time.Minute
	dfEntries = 100000 // forgotten all at once when full
)

// documentFrequency returns how many documents hold term, up to
// similarDFCap, on a desk whose highest ticket id is tickets.
func (s *Store) documentFrequency(ctx context.Context, term string, tickets int) (int, error) {
	now := s.clock.Now()
	c := &s.dfs
	c.mu.Lock()
	e, ok := c.m[term]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < dfFresh && now.Sub(e.at) >= 0 && tickets*10 < e.tickets*11 {
		return e.df, nil
	}
	df, err := s.dialect.DocumentFrequency(ctx, s.rdb, term, similarDFCap)
	if err != nil {
		return 0, fmt.Errorf("similar: %w", err)
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= dfEntries {
		c.m = map[string]dfEntry{}
	}
	c.m[term] = dfEntry{df: df, tickets: tickets, at: now}
	c.mu.Unlock()
	return df, nil
}
