package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// Notification records of a security case through the API (issue 14):
// `tierdesk security notice list|show|add|edit|send|version|document`.
// Tierdesk does not send anything to a regulator: it keeps the notice,
// produces its document, and records when and how it was sent.

type noticeOut struct {
	ID           int64    `json:"id"`
	Ticket       string   `json:"ticket"`
	Kind         string   `json:"kind"`
	Recipient    string   `json:"recipient"`
	Lang         string   `json:"lang"`
	Series       int64    `json:"series"`
	Version      int      `json:"version"`
	Supplements  *int64   `json:"supplements"`
	State        string   `json:"state"`
	Rev          int      `json:"rev"`
	SentAt       *string  `json:"sent_at"`
	Via          string   `json:"via"`
	Reference    string   `json:"reference"`
	DelayReasons string   `json:"delay_reasons"`
	Missing      []string `json:"missing"`
}

var noticeNames = map[string]string{
	"gdpr_authority": "GDPR Art. 33 notice to the supervisory authority",
	"gdpr_subjects":  "GDPR Art. 34 communication to the data subjects",
	"152fz_first":    "152-FZ first notice to Roskomnadzor (24 h)",
	"152fz_results":  "152-FZ investigation results to Roskomnadzor (72 h)",
	"partners":       "notice to partners",
}

func printNotice(w io.Writer, n noticeOut) {
	name := noticeNames[n.Kind]
	if name == "" {
		name = n.Kind
	}
	fmt.Fprintf(w, "%d  %s  %s v%d (%s)  %s", n.ID, n.Ticket, name, n.Version, n.Lang, n.State)
	if n.SentAt != nil {
		fmt.Fprintf(w, " %s via %s", *n.SentAt, n.Via)
		if n.Reference != "" {
			fmt.Fprintf(w, " ref %s", n.Reference)
		}
	}
	if n.Supplements != nil {
		fmt.Fprintf(w, "  follows %d", *n.Supplements)
	}
	if len(n.Missing) > 0 {
		fmt.Fprintf(w, "  missing: %s", strings.Join(n.Missing, ", "))
	}
	fmt.Fprintln(w)
}

// noticeRequest sends one notice call and prints the notice.
func noticeRequest(cmd *cobra.Command, f *clientFlags, method, path string, body any) error {
	cl, err := f.client()
	if err != nil {
		return err
	}
	var n noticeOut
	raw, err := cl.do(cmd.Context(), method, path, body, &n, nil)
	if err != nil {
		return err
	}
	if f.json {
		return printJSON(cmd.OutOrStdout(), raw)
	}
	printNotice(cmd.OutOrStdout(), n)
	return nil
}

func noticePath(id string) (string, error) {
	if n, err := strconv.ParseInt(id, 10, 64); err != nil || n <= 0 {
		return "", usagef("NOTICE_ID must be a notice's number, not %q", id)
	}
	return "/breach/notices/" + id, nil
}

func newSecurityNoticeCmd(f *clientFlags) *cobra.Command {
	c := &cobra.Command{Use: "notice", Short: "Notification records of a security case: prepare, record as sent, version, print"}
	c.AddCommand(newNoticeListCmd(f), newNoticeShowCmd(f), newNoticeAddCmd(f), newNoticeEditCmd(f), newNoticeSendCmd(f),
		newNoticeVersionCmd(f), newNoticeDocumentCmd(f))
	return c
}

func newNoticeListCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{
		Use: "list CASE", Short: "List a case's notices, every version", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			var out struct{ Notices []noticeOut }
			raw, err := cl.do(cmd.Context(), http.MethodGet, ticketPath(args[0])+"/breach/notices", nil, &out, nil)
			if err != nil {
				return err
			}
			if f.json {
				return printJSON(cmd.OutOrStdout(), raw)
			}
			if len(out.Notices) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "no notices")
			}
			for _, n := range out.Notices {
				printNotice(cmd.OutOrStdout(), n)
			}
			return nil
		},
	}
}

func newNoticeShowCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{
		Use: "show NOTICE_ID", Short: "Show one notice", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := noticePath(args[0])
			if err != nil {
				return err
			}
			return noticeRequest(cmd, f, http.MethodGet, p, nil)
		},
	}
}

// noticeFlags are a notice's content and sending as flags.
type noticeFlags struct {
	kind, lang                       string
	supplements                      int64
	text                             map[string]*string
	subjects, records                int64
	sentAt, via, reference, delay    string
	notNotifyGround, notNotifyReason string
}

var noticeTextFlags = []struct{ flag, field, help string }{
	{"nature", "nature", "the nature of the breach (152-FZ: the incident)"},
	{"subject-categories", "subject_categories", "categories of data subjects concerned"},
	{"record-categories", "record_categories", "categories of personal-data records concerned"},
	{"contact-name", "contact_name", "the DPO or contact point (152-FZ: the person authorised to deal with Roskomnadzor)"},
	{"contact-details", "contact_details", "their contact details"},
	{"consequences", "consequences", "likely consequences (152-FZ: presumed harm to the data subjects' rights)"},
	{"measures", "measures", "measures taken or proposed (152-FZ: to remove the consequences)"},
	{"causes", "causes", "152-FZ: presumed causes"},
	{"results", "results", "152-FZ 72 h: results of the internal investigation"},
	{"culprits", "culprits", "152-FZ 72 h: persons whose actions caused it, where known"},
}

func (nf *noticeFlags) register(c *cobra.Command, content bool) {
	fl := c.Flags()
	if content {
		nf.text = map[string]*string{}
		for _, t := range noticeTextFlags {
			nf.text[t.field] = fl.String(t.flag, "", t.help)
		}
		fl.Int64Var(&nf.subjects, "subjects", 0, "approximate number of data subjects concerned")
		fl.Int64Var(&nf.records, "records", 0, "approximate number of records concerned")
		fl.StringVar(&nf.lang, "lang", "", "the document's language: en or ru")
		fl.Int64Var(&nf.supplements, "supplements", 0, "the sent first notice this one follows (GDPR phases; 152fz_results)")
	}
	fl.StringVar(&nf.sentAt, "sent-at", "", "when it was sent (RFC 3339; not before awareness, not in the future)")
	fl.StringVar(&nf.via, "via", "", "how: portal, email, post, fax, phone, in_person, other")
	fl.StringVar(&nf.reference, "reference", "", "the regulator's receipt or the letter's number")
	fl.StringVar(&nf.delay, "delay-reasons", "", "reasons for the delay (required when sent after the deadline)")
	fl.StringVar(&nf.notNotifyGround, "not-notify", "", "gdpr_subjects: decide not to notify on ground protected, risk_removed or public_statement")
	fl.StringVar(&nf.notNotifyReason, "not-notify-reason", "", "why the ground applies (with --not-notify)")
}

func (nf *noticeFlags) content(c *cobra.Command, body map[string]any) {
	for _, t := range noticeTextFlags {
		if c.Flags().Changed(t.flag) {
			body[t.field] = *nf.text[t.field]
		}
	}
	if nf.subjects != 0 {
		body["subjects_approx"] = nf.subjects
	}
	if nf.records != 0 {
		body["records_approx"] = nf.records
	}
	if nf.lang != "" {
		body["lang"] = nf.lang
	}
	if nf.supplements != 0 {
		body["supplements"] = nf.supplements
	}
}

// sending is the sending flags as a body, nil when none was given.
func (nf *noticeFlags) sending() (map[string]any, error) {
	if nf.sentAt == "" && nf.via == "" && nf.notNotifyGround == "" {
		return nil, nil
	}
	if _, err := time.Parse(time.RFC3339, nf.sentAt); err != nil {
		return nil, usagef("--sent-at must be a time with its offset, such as 2026-12-07T09:30:00+01:00")
	}
	s := map[string]any{"sent_at": nf.sentAt}
	for k, v := range map[string]string{"via": nf.via, "reference": nf.reference, "delay_reasons": nf.delay,
		"not_notify_ground": nf.notNotifyGround, "not_notify_reason": nf.notNotifyReason} {
		if v != "" {
			s[k] = v
		}
	}
	return s, nil
}

func newNoticeAddCmd(f *clientFlags) *cobra.Command {
	var nf noticeFlags
	c := &cobra.Command{
		Use:   "add CASE --kind KIND --lang en|ru [content flags] [--sent-at TIME --via HOW]",
		Short: "Prepare a notice (kinds: gdpr_authority, gdpr_subjects, 152fz_first, 152fz_results, partners); with --sent-at it is recorded as sent",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if nf.kind == "" {
				return usagef("--kind is required")
			}
			body := map[string]any{"kind": nf.kind}
			nf.content(cmd, body)
			sent, err := nf.sending()
			if err != nil {
				return err
			}
			if sent != nil {
				body["sent"] = sent
			}
			return noticeRequest(cmd, f, http.MethodPost, ticketPath(args[0])+"/breach/notices", body)
		},
	}
	c.Flags().StringVar(&nf.kind, "kind", "", "gdpr_authority, gdpr_subjects, 152fz_first, 152fz_results or partners")
	nf.register(c, true)
	return c
}

func newNoticeEditCmd(f *clientFlags) *cobra.Command {
	var nf noticeFlags
	c := &cobra.Command{
		Use: "edit NOTICE_ID [content flags]", Short: "Change a draft (a sent notice is refused: make a new version)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := noticePath(args[0])
			if err != nil {
				return err
			}
			body := map[string]any{}
			nf.content(cmd, body)
			return noticeRequest(cmd, f, http.MethodPut, p, body)
		},
	}
	nf.register(c, true)
	return c
}

func newNoticeSendCmd(f *clientFlags) *cobra.Command {
	var nf noticeFlags
	c := &cobra.Command{
		Use:   "send NOTICE_ID --sent-at TIME --via HOW [--reference R] [--delay-reasons TEXT] | --not-notify GROUND --not-notify-reason TEXT",
		Short: "Record when and how a draft was sent, or the decision not to notify the data subjects",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := noticePath(args[0])
			if err != nil {
				return err
			}
			if nf.sentAt == "" {
				return usagef("--sent-at is required")
			}
			body, err := nf.sending()
			if err != nil {
				return err
			}
			return noticeRequest(cmd, f, http.MethodPost, p+"/sending", body)
		},
	}
	nf.register(c, false)
	return c
}

func newNoticeVersionCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{
		Use: "version NOTICE_ID", Short: "Start a new draft version of a sent notice, to correct it", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := noticePath(args[0])
			if err != nil {
				return err
			}
			return noticeRequest(cmd, f, http.MethodPost, p+"/versions", nil)
		},
	}
}

func newNoticeDocumentCmd(f *clientFlags) *cobra.Command {
	var html bool
	var zone string
	c := &cobra.Command{
		Use: "document NOTICE_ID [--html] [--zone ZONE]", Short: "Print a notice's document in its language (text, or printable HTML)",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := noticePath(args[0])
			if err != nil {
				return err
			}
			p += "/document"
			q := url.Values{}
			if html {
				q.Set("format", "html")
			}
			if zone != "" {
				q.Set("zone", zone)
			}
			if len(q) > 0 {
				p += "?" + q.Encode()
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			raw, err := cl.send(cmd.Context(), http.MethodGet, p, "", nil, nil, http.Header{"Accept": {"text/plain, text/html"}})
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(raw)
			return err
		},
	}
	c.Flags().BoolVar(&html, "html", false, "printable HTML instead of text")
	c.Flags().StringVar(&zone, "zone", "", "time zone of the document's times (IANA name; default UTC)")
	return c
}

func newSecurityRegisterCmd(f *clientFlags) *cobra.Command {
	var format, output string
	c := &cobra.Command{
		Use:   "register [--format json|csv] [--output PATH]",
		Short: "Export the breach register (GDPR Art. 33(5)) of the security cases you see, as JSON or CSV",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "json" && format != "csv" {
				return usagef("--format must be json or csv")
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			raw, err := cl.send(cmd.Context(), http.MethodGet, "/breach/register?format="+format, "", nil, nil,
				http.Header{"Accept": {"application/json, text/csv"}})
			if err != nil {
				return err
			}
			if output == "" {
				_, err = cmd.OutOrStdout().Write(raw)
				return err
			}
			return os.WriteFile(output, raw, 0o600)
		},
	}
	c.Flags().StringVar(&format, "format", "json", "json or csv")
	c.Flags().StringVar(&output, "output", "", "write to this file (mode 0600) instead of standard output")
	return c
}
