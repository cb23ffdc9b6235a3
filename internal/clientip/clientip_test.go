package clientip

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestClient(t *testing.T) {
	r, err := Parse([]string{"10.0.0.0/8", " 192.0.2.7 ", "fd00::/8"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy", "203.0.113.5:4000", nil, "203.0.113.5"},
		{"spoofed header from an untrusted peer", "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"one trusted proxy", "10.1.2.3:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"client's own header is left of the real hop", "10.1.2.3:80", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"chain of trusted proxies", "10.1.2.3:80", []string{"198.51.100.1, 192.0.2.7", "10.9.9.9"}, "198.51.100.1"},
		{"hop with a port", "10.1.2.3:80", []string{"198.51.100.1:5555"}, "198.51.100.1"},
		{"IPv6 hop with a port", "[fd00::1]:80", []string{"[2001:db8::1]:443"}, "2001:db8::1"},
		{"IPv4-mapped peer", "[::ffff:10.1.2.3]:80", []string{"198.51.100.1"}, "198.51.100.1"},
		{"trusted proxy without header", "10.1.2.3:80", nil, "10.1.2.3"},
		{"garbage at the right: the proxy itself", "10.1.2.3:80", []string{"198.51.100.1, nonsense"}, "10.1.2.3"},
		{"only trusted hops: the leftmost", "10.1.2.3:80", []string{"10.4.4.4, 10.5.5.5"}, "10.4.4.4"},
		{"untrusted peer next to a trusted range", "11.0.0.1:80", []string{"198.51.100.1"}, "11.0.0.1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = tc.peer
			for _, v := range tc.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			if got := r.Client(req); got != tc.want {
				t.Errorf("Client = %q, want %q", got, tc.want)
			}
		})
	}
	// The zero resolver never reads the header.
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = "10.1.2.3:80"
	req.Header.Set("X-Forwarded-For", "198.51.100.1")
	if got := (Resolver{}).Client(req); got != "10.1.2.3" {
		t.Errorf("zero resolver: %q", got)
	}
}

func TestParse_Refuses(t *testing.T) {
	for _, bad := range []string{"", "10.0.0.0/33", "example.com", "10.0.0.0/8/8", "300.1.1.1"} {
		if _, err := Parse([]string{bad}); err == nil || !strings.Contains(err.Error(), "CIDR") {
			t.Errorf("Parse(%q) = %v, want an error naming CIDR", bad, err)
		}
	}
}
