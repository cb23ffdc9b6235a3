// Package clientip finds the address of the client that sent a request,
// also behind reverse proxies, for sign-in throttling and access logs.
//
// X-Forwarded-For can be written by anyone, so it is read only when the
// direct peer is a trusted proxy, and then from the right: each trusted
// proxy appends the address it received the request from, so the rightmost
// address that is not a trusted proxy is the client. What stands left of it
// came from the client itself and is never believed.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Resolver knows which peers are trusted proxies. The zero value trusts
// none: the client is always the direct peer.
type Resolver struct {
	trusted []netip.Prefix
}

// Parse returns a resolver trusting the given ranges: CIDR prefixes
// ("10.0.0.0/8", "fd00::/8") or single addresses ("192.0.2.7").
func Parse(ranges []string) (Resolver, error) {
	var r Resolver
	for _, s := range ranges {
		s = strings.TrimSpace(s)
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return Resolver{}, fmt.Errorf("%q is not an IP range in CIDR notation (such as 10.0.0.0/8) nor an IP address", s)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		r.trusted = append(r.trusted, p.Masked())
	}
	return r, nil
}

// Trusts reports whether a is in one of the trusted ranges.
func (r Resolver) Trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Client returns the client's address for req: the direct peer, unless
// that is a trusted proxy; then the rightmost X-Forwarded-For hop that is
// not trusted (or, when every hop is trusted, the leftmost valid one).
func (r Resolver) Client(req *http.Request) string {
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		host = strings.TrimSpace(req.RemoteAddr)
	}
	peer, err := netip.ParseAddr(host)
	if err != nil {
		return host // not an IP address (a test's or a unix socket's peer)
	}
	client := peer.Unmap()
	if !r.Trusts(client) {
		return client.String()
	}
	hops := strings.Split(strings.Join(req.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			break // garbage: what lies left of it cannot be believed either
		}
		client = a
		if !r.Trusts(a) {
			break
		}
	}
	return client.String()
}

// parseHop reads one X-Forwarded-For entry: an address, some proxies add
// a port ("192.0.2.1:1234", "[2001:db8::1]:80").
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}
