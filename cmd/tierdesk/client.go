package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// client talks to a Tierdesk server's REST API.
type client struct {
	base  string
	token string
	http  *http.Client
}

// clientFlags are shared by every API client command.
type clientFlags struct {
	server string
	token  string
	json   bool
}

func (f *clientFlags) register(c *cobra.Command) {
	c.PersistentFlags().StringVar(&f.server, "server", envOr("TIERDESK_SERVER", "http://127.0.0.1:8080"),
		"Tierdesk server URL (env TIERDESK_SERVER)")
	c.PersistentFlags().StringVar(&f.token, "token", "", "API token (env TIERDESK_TOKEN; prefer the variable: flags show in ps)")
	c.PersistentFlags().BoolVar(&f.json, "json", false, "print JSON for scripts instead of tables")
}

func (f *clientFlags) client() (*client, error) {
	token := f.token
	if token == "" {
		token = os.Getenv("TIERDESK_TOKEN")
	}
	if token == "" {
		return nil, usagef("an API token is required: set TIERDESK_TOKEN or --token")
	}
	u, err := url.Parse(f.server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usagef("--server must be an http(s) URL such as http://127.0.0.1:8080")
	}
	return &client{base: strings.TrimRight(f.server, "/") + "/api/v1", token: token,
		http: &http.Client{Timeout: 30 * time.Second}}, nil
}

// problem is an RFC 9457 error answer from the server.
type problem struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
	Allowed []string `json:"allowed"`
}

func (p *problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "server answered %d", p.Status)
	if msg := p.Detail; msg != "" || p.Title != "" {
		if msg == "" {
			msg = p.Title
		}
		fmt.Fprintf(&b, ": %s", msg)
	}
	for _, e := range p.Errors {
		fmt.Fprintf(&b, "\n  %s: %s", e.Field, e.Message)
	}
	if p.Allowed != nil {
		fmt.Fprintf(&b, "\n  allowed: %s", strings.Join(p.Allowed, ", "))
	}
	return b.String()
}

// do sends body (if any) as JSON and decodes a 2xx answer into out (if any);
// it returns the raw answer too, for --json output.
func (c *client) do(ctx context.Context, method, path string, body any, out any, header http.Header) (json.RawMessage, error) {
	var rd io.Reader
	contentType := ""
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd, contentType = bytes.NewReader(b), "application/json"
	}
	return c.send(ctx, method, path, contentType, rd, out, header)
}

// send is do with a body already encoded as contentType (a multipart
// upload); nil sends none.
func (c *client) send(ctx context.Context, method, path, contentType string, rd io.Reader, out any, header http.Header) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the server: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode >= 300 {
		p := &problem{Status: resp.StatusCode}
		if json.Unmarshal(raw, p) != nil || p.Status == 0 {
			p.Status, p.Detail = resp.StatusCode, strings.TrimSpace(string(raw))
		}
		return nil, p
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return nil, fmt.Errorf("unexpected answer from the server: %w", err)
		}
	}
	return raw, nil
}

// printJSON writes the server's JSON indented.
func printJSON(w io.Writer, raw json.RawMessage) error {
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "  "); err != nil {
		return err
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}
