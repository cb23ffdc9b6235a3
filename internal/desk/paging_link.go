package desk

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"time"
)

// Signed links in pages: /api/v1/page-links/<token>?action=acknowledge|resolve. The
// token names the page, the paged user and an expiry, and carries an
// HMAC-SHA256 over them with the paging key (Config.PageSecret, or a
// random key stored in the database on first use so that every instance
// signs alike). Anyone holding the link acts as that user on that page
// only, until it expires; a GET only shows what a POST would do.

// DefaultPageLinkTTL is how long a page's links work.
const DefaultPageLinkTTL = 24 * time.Hour

func (c Config) pageLinkTTL() time.Duration {
	if c.PageLinkTTL > 0 {
		return c.PageLinkTTL
	}
	return DefaultPageLinkTTL
}

type pageLink struct {
	PageID, UserID int64
	Expires        int64 // Unix seconds
}

const pageLinkLen = 24

func signPageLink(key []byte, l pageLink) string {
	b := make([]byte, pageLinkLen, pageLinkLen+sha256.Size)
	binary.BigEndian.PutUint64(b[0:], uint64(l.PageID))
	binary.BigEndian.PutUint64(b[8:], uint64(l.UserID))
	binary.BigEndian.PutUint64(b[16:], uint64(l.Expires))
	m := hmac.New(sha256.New, key)
	m.Write(b)
	return base64.RawURLEncoding.EncodeToString(m.Sum(b))
}

// parsePageLink checks a token's signature and expiry at now.
func parsePageLink(key []byte, token string, now time.Time) (pageLink, error) {
	bad := Errorf(EUNAUTHENTICATED, "this page link is not valid")
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(token))
	if err != nil || len(b) != pageLinkLen+sha256.Size {
		return pageLink{}, bad
	}
	m := hmac.New(sha256.New, key)
	m.Write(b[:pageLinkLen])
	if !hmac.Equal(m.Sum(nil), b[pageLinkLen:]) {
		return pageLink{}, bad
	}
	l := pageLink{PageID: int64(binary.BigEndian.Uint64(b[0:])), UserID: int64(binary.BigEndian.Uint64(b[8:])),
		Expires: int64(binary.BigEndian.Uint64(b[16:]))}
	if now.Unix() >= l.Expires {
		return pageLink{}, Errorf(EUNAUTHENTICATED, "this page link has expired; acknowledge in Tierdesk instead")
	}
	return l, nil
}

// pagingKey is Config.PageSecret or the key stored in the database.
func (s *Desk) pagingKey(ctx context.Context) ([]byte, error) {
	if len(s.cfg.PageSecret) > 0 {
		return s.cfg.PageSecret, nil
	}
	candidate := make([]byte, 32)
	_, _ = rand.Read(candidate)
	return s.store.PagingSecret(ctx, candidate)
}
