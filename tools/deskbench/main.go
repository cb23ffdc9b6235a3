// Command deskbench measures a served Tierdesk the way its users meet it:
// it starts the real binary on a desk (or uses one already running),
// drives it over HTTP with N closed-loop clients, and prints throughput,
// latency percentiles and the server's CPU time a request.
//
//	go build -o /tmp/td ./cmd/tierdesk
//	go run ./tools/deskbench -bin /tmp/td -data /tmp/desk -clients 8 -duration 20s            # ticket creation
//	go run ./tools/deskbench -bin /tmp/td -database postgres://… -clients 1 -duration 20s
//	go run ./tools/deskbench -bin /tmp/td -data /tmp/desk -get '/api/v1/tickets?state=open' -clients 8
//	go run ./tools/deskbench -base http://127.0.0.1:8080 -token $T -pid $(pgrep -f 'tierdesk serve')
//	go run ./tools/deskbench -bin /tmp/td -data /tmp/desk -web -clients 1 \
//	  -get '/console /console/queues/unassigned /tickets?state=open&sort=priority /console/dashboard /tickets/INC-000100'
//
// -get takes one path or several separated by spaces, measured one after
// another (each with its own warm-up) and printed a line each. -web signs
// in through the login form as the bench agent (made with a password when
// starting the binary) and sends its session cookie instead of the token,
// for the web pages. When it starts the binary it also prints the
// footprint: the time from start to /readyz answering 200 (and the
// server's CPU time until then, which a busy machine disturbs less), the
// resident memory once ready (idle) and the peak resident memory after
// the load.
//
// Creation posts a new ticket a request (a distinct title each, so nothing
// is deduplicated), which is what an integration does. -via picks the
// channel a ticket arrives by: api (POST /api/v1/tickets with the bench
// agent's token), portal (a requester signed in through the login form
// posts the portal's report form, /report, with its CSRF token; the 303 to
// the new ticket counts as done and is not followed) or mail (each client
// keeps one SMTP connection to serve's listener, --smtp-addr, as a relaying
// MTA does, and sends a new message a transaction from one of 500
// senders; 250 after DATA is done — the desk answers it once the ticket
// is stored). With -via mail the binary is started with --smtp-addr and
// --smtp-tickets-per-hour 0 (the per-sender limit would refuse the load). The
// server's CPU is read from /proc/PID/stat (user + system) before and
// after the run: unlike latency, another process's load on the machine
// disturbs it little, so it is the figure to compare two builds by on a
// busy machine. Exit status 1 when a request failed.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/smtp"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tierdesk/tierdesk/tools/internal/procstat"
)

func main() {
	bin := flag.String("bin", "", "tierdesk binary to start (with -data or -database); empty: use -base")
	data := flag.String("data", "", "SQLite data directory of the desk to serve")
	database := flag.String("database", "", "postgres:// URL of the desk to serve")
	extra := flag.String("serve-args", "", "more arguments for `serve`, space-separated (e.g. --metrics-addr 127.0.0.1:9100)")
	addr := flag.String("addr", "127.0.0.1:18590", "address to serve on when starting the binary")
	base := flag.String("base", "", "URL of a desk already running (instead of -bin)")
	token := flag.String("token", os.Getenv("TIERDESK_TOKEN"), "API token (made with `user add --token` when starting the binary)")
	pid := flag.Int("pid", 0, "server process id for its CPU time (known when starting the binary)")
	clients := flag.Int("clients", 8, "concurrent clients, each waiting for its answer before the next request")
	duration := flag.Duration("duration", 20*time.Second, "how long to load")
	warmup := flag.Duration("warmup", 2*time.Second, "load before measuring")
	get := flag.String("get", "", "GET these paths (space-separated, one series each) instead of creating tickets")
	web := flag.Bool("web", false, "sign in through the web login form and send the session cookie (for web pages)")
	via := flag.String("via", "api", "channel new tickets arrive by: api, portal or mail")
	smtpAddr := flag.String("smtp-addr", "127.0.0.1:18525", "with -via mail: the SMTP listener to start the binary with (or of the desk at -base)")
	flag.Parse()
	if *via != "api" && *via != "portal" && *via != "mail" {
		fail("-via is api, portal or mail, not " + *via)
	}
	if *via != "api" && *get != "" {
		fail("-via creates tickets; it does not go with -get")
	}
	if *via == "mail" && *bin != "" {
		*extra = strings.TrimSpace(*extra + " --smtp-addr " + *smtpAddr + " --smtp-tickets-per-hour 0")
	}

	if *bin != "" {
		if (*data == "") == (*database == "") {
			fail("with -bin give exactly one of -data and -database")
		}
		stop, p, t, err := serve(*bin, *data, *database, *addr, strings.Fields(*extra))
		if err != nil {
			fail(err.Error())
		}
		defer stop()
		*base, *pid, *token = "http://"+*addr, p, t
		defer func() { fmt.Printf("footprint: peak RSS %s after the load\n", memKiB(*pid, "VmHWM")) }()
	}
	if *base == "" || *token == "" {
		fail("give -bin with -data or -database, or -base with -token")
	}
	work := request{base: strings.TrimRight(*base, "/"), token: *token, via: *via, smtpAddr: *smtpAddr}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients}, Timeout: time.Minute}
	switch {
	case *via == "portal":
		if err := signIn(client, work.base, benchRequester, benchPassword, "/report"); err != nil {
			fail(err.Error())
		}
		// The portal answers a report with 303 to the new ticket: the
		// ticket is stored then, and the page after it is another request.
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		csrf, err := formCSRF(client, work.base+"/report")
		if err != nil {
			fail(err.Error())
		}
		work.token, work.csrf = "", csrf
	case *web:
		if err := signIn(client, work.base, benchEmail, benchPassword, "/console"); err != nil {
			fail(err.Error())
		}
		work.token = ""
	}
	paths := strings.Fields(*get)
	if len(paths) == 0 {
		paths = []string{""}
	}
	failed := false
	for _, path := range paths {
		work.get = path
		failed = measure(client, work, *clients, *warmup, *duration, *pid, procstat.Database(*database)) || failed
	}
	if failed {
		os.Exit(1)
	}
}

// measure loads one request kind and prints its line; true when a request
// failed. With a PostgreSQL desk on this machine (db), the CPU of its
// backends a request is printed too: the database's share of the work.
func measure(client *http.Client, work request, clients int, warmup, duration time.Duration, pid int, db string) bool {
	get := &work.get
	if warmup > 0 {
		run(client, work, clients, warmup)
	}
	load0 := procstat.LoadAvg()
	cpu0, db0 := procstat.CPU(pid), procstat.BackendsCPU(db)
	res := run(client, work, clients, duration)
	cpu1, db1 := procstat.CPU(pid), procstat.BackendsCPU(db)

	lat := res.latencies
	slices.Sort(lat)
	what := map[string]string{"api": "POST /api/v1/tickets", "portal": "POST /report (portal)",
		"mail": "SMTP message (new ticket)"}[work.via]
	if *get != "" {
		what = "GET " + *get
	}
	fmt.Printf("%s, %d clients, %s: %d requests, %.1f/s, failed %d, load %s → %s\n", what, clients, duration, len(lat),
		float64(len(lat))/res.elapsed.Seconds(), res.failed, load0, procstat.LoadAvg())
	if len(lat) > 0 {
		fmt.Printf("latency p50 %s p95 %s p99 %s max %s\n", pct(lat, 50), pct(lat, 95), pct(lat, 99), lat[len(lat)-1])
	}
	if pid > 0 && cpu1 >= cpu0 && len(lat) > 0 {
		cpu := cpu1 - cpu0
		fmt.Printf("server CPU %s in all, %.3f ms a request, %.2f cores busy\n", cpu,
			float64(cpu)/float64(time.Millisecond)/float64(len(lat)), cpu.Seconds()/res.elapsed.Seconds())
	}
	if db != "" && db1 >= db0 && len(lat) > 0 {
		cpu := db1 - db0
		fmt.Printf("database backends' CPU (%s) %s in all, %.3f ms a request, %.2f cores busy\n", db, cpu,
			float64(cpu)/float64(time.Millisecond)/float64(len(lat)), cpu.Seconds()/res.elapsed.Seconds())
	}
	if res.failed > 0 {
		fmt.Fprintf(os.Stderr, "first failure: %s\n", res.firstErr)
	}
	return res.failed > 0
}

type request struct {
	base, token, get string
	via              string // api, portal or mail
	csrf             string // the portal session's CSRF token
	smtpAddr         string
}

var seq atomic.Int64

func (r request) do(c *http.Client, conn **smtp.Client) error {
	switch r.via {
	case "mail":
		return r.mail(conn)
	case "portal":
		return r.portal(c)
	}
	var req *http.Request
	var err error
	if r.get != "" {
		req, err = http.NewRequest(http.MethodGet, r.base+r.get, nil)
	} else {
		n := seq.Add(1)
		body := fmt.Sprintf(`{"type":"incident","title":"Printer %d on floor 3 jams","description":"Paper jams on every job since the toner change","channel":"api","requester":{"email":"user%d@example.com"},"impact":"medium","urgency":"medium"}`, n, n%500)
		req, err = http.NewRequest(http.MethodPost, r.base+"/api/v1/tickets", bytes.NewBufferString(body))
		req.Header.Set("Content-Type", "application/json")
	}
	if err != nil {
		return err
	}
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: %d %s", req.URL.Path, resp.StatusCode, bytes.TrimSpace(b))
	}
	return nil
}

// portal posts the report form as a signed-in requester would.
func (r request) portal(c *http.Client) error {
	n := seq.Add(1)
	form := url.Values{"csrf": {r.csrf}, "kind": {"broken"}, "people": {"some"}, "soon": {"today"},
		"title": {fmt.Sprintf("Printer %d on floor 3 jams", n)}, "description": {"Paper jams on every job since the toner change"},
		"key": {fmt.Sprintf("deskbench-%d-%d", os.Getpid(), n)}}
	resp, err := c.PostForm(r.base+"/report", form)
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/tickets/") {
		return fmt.Errorf("POST /report: %d %s %.200s", resp.StatusCode, resp.Header.Get("Location"), bytes.TrimSpace(b))
	}
	return nil
}

// mail sends one new message over the client's SMTP connection, dialling
// it first when there is none (or the last one failed).
func (r request) mail(conn **smtp.Client) error {
	if *conn == nil {
		c, err := smtp.Dial(r.smtpAddr)
		if err != nil {
			return err
		}
		if err := c.Hello("deskbench.example.com"); err != nil {
			c.Close()
			return err
		}
		*conn = c
	}
	err := r.sendOne(*conn)
	if err != nil {
		(*conn).Close()
		*conn = nil
	}
	return err
}

func (r request) sendOne(c *smtp.Client) error {
	n := seq.Add(1)
	from := fmt.Sprintf("user%d@example.com", n%500)
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt("help@desk.example.com"); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "From: User %d <%s>\r\nTo: help@desk.example.com\r\nSubject: Printer %d on floor 3 jams\r\n"+
		"Message-ID: <deskbench-%d-%d@example.com>\r\nDate: %s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
		"Paper jams on every job since the toner change.\r\n", n%500, from, n, os.Getpid(), n,
		time.Now().Format(time.RFC1123Z))
	return w.Close() // the 250 (or the refusal) after DATA
}

type result struct {
	latencies []time.Duration
	failed    int
	firstErr  error
	elapsed   time.Duration
}

func run(c *http.Client, r request, clients int, d time.Duration) result {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var mu sync.Mutex
	var out result
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var failed int
			var first error
			var conn *smtp.Client
			defer func() {
				if conn != nil {
					conn.Quit()
				}
			}()
			for ctx.Err() == nil {
				t := time.Now()
				err := r.do(c, &conn)
				if err != nil {
					failed++
					if first == nil {
						first = err
					}
					continue
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			out.latencies = append(out.latencies, lat...)
			out.failed += failed
			if out.firstErr == nil {
				out.firstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	return out
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(i, len(sorted))-1)].Round(10 * time.Microsecond)
}

// serve starts `bin serve` on the desk with a fresh API token of a line-1
// agent, and waits until it answers /readyz.
func serve(bin, data, database, addr string, extra []string) (stop func(), pid int, token string, err error) {
	where := []string{"--data", data}
	if database != "" {
		where = []string{"--database", database}
	}
	benchEmail = fmt.Sprintf("deskbench-%d@example.com", time.Now().UnixNano())
	pwFile, err := os.CreateTemp("", "deskbench-pw-*")
	if err != nil {
		return nil, 0, "", err
	}
	defer os.Remove(pwFile.Name())
	fmt.Fprintln(pwFile, benchPassword)
	pwFile.Close()
	add := exec.Command(bin, append([]string{"user", "add", "--email", benchEmail, "--name", "Bench", "--group", "1",
		"--password-file", pwFile.Name(), "--token"}, where...)...)
	outb, err := add.Output()
	if err != nil {
		return nil, 0, "", fmt.Errorf("user add: %v", err)
	}
	lines := strings.Fields(string(outb))
	if len(lines) == 0 {
		return nil, 0, "", errors.New("user add printed no token")
	}
	token = lines[len(lines)-1]
	benchRequester = "requester-" + benchEmail
	addReq := exec.Command(bin, append([]string{"user", "add", "--email", benchRequester, "--name", "Bench Requester",
		"--role", "requester", "--password-file", pwFile.Name()}, where...)...)
	if out, err := addReq.CombinedOutput(); err != nil {
		return nil, 0, "", fmt.Errorf("user add (requester): %v: %s", err, out)
	}
	logf, err := os.CreateTemp("", "deskbench-serve-*.log")
	if err != nil {
		return nil, 0, "", err
	}
	cmd := exec.Command(bin, append(append([]string{"serve", "--addr", addr}, where...), extra...)...)
	cmd.Stdout, cmd.Stderr = logf, logf
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, "", err
	}
	stop = func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		logf.Close()
		os.Remove(logf.Name())
	}
	for deadline := time.Now().Add(2 * time.Minute); ; {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				ready := time.Since(started)
				cpu := procstat.CPU(cmd.Process.Pid)
				time.Sleep(time.Second) // settle, then read the idle footprint
				fmt.Printf("footprint: start to /readyz %s (server CPU %s), RSS idle %s\n", ready.Round(time.Millisecond), cpu,
					memKiB(cmd.Process.Pid, "VmRSS"))
				return stop, cmd.Process.Pid, token, nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return nil, 0, "", fmt.Errorf("server not ready after 2 minutes; see %s", filepath.Base(logf.Name()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The bench agent and requester that serve makes; -web signs in as the
// agent, -via portal as the requester.
var benchEmail, benchRequester string

const benchPassword = "deskbench password 1"

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn signs client in through the login form; its jar keeps the session.
func signIn(client *http.Client, base, email, password, next string) error {
	if email == "" {
		return errors.New("-web needs -bin (the bench agent is made with a password when the binary starts)")
	}
	jar, _ := cookiejar.New(nil)
	client.Jar = jar
	resp, err := client.Get(base + "/login")
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRE.FindSubmatch(b)
	if m == nil {
		return errors.New("sign in: no CSRF token on /login")
	}
	resp, err = client.PostForm(base+"/login", url.Values{"csrf": {html.UnescapeString(string(m[1]))},
		"email": {email}, "password": {password}, "next": {next}})
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 || resp.Request.URL.Path == "/login" {
		return fmt.Errorf("sign in: %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}
	return nil
}

// formCSRF reads the CSRF token of the form on page.
func formCSRF(client *http.Client, page string) (string, error) {
	resp, err := client.Get(page)
	if err != nil {
		return "", err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRE.FindSubmatch(b)
	if resp.StatusCode != http.StatusOK || m == nil {
		return "", fmt.Errorf("%s: %d, no CSRF token", page, resp.StatusCode)
	}
	return html.UnescapeString(string(m[1])), nil
}

// memKiB is a /proc/PID/status memory line (VmRSS, VmHWM) in MB.
func memKiB(pid int, field string) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			kib, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return fmt.Sprintf("%.1f MB", float64(kib)/1024)
		}
	}
	return "?"
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "deskbench:", msg)
	os.Exit(2)
}
