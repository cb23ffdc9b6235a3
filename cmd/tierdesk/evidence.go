package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

// newEvidenceCmd is `tierdesk evidence`: the evidence of security cases
// and its chain of custody, through the API (only the case's members
// find any of it; every view and download is recorded by the server).
func newEvidenceCmd() *cobra.Command {
	c := &cobra.Command{Use: "evidence", Short: "Evidence of security cases and its chain of custody (through the API)"}
	var f clientFlags
	f.register(c)
	c.AddCommand(newEvidenceListCmd(&f), newEvidenceAddCmd(&f), newEvidenceShowCmd(&f), newEvidenceDownloadCmd(&f),
		newEvidenceHandOverCmd(&f), newEvidenceTransferCmd(&f), newEvidenceVerifyCmd(&f), newEvidenceUploadCmd(&f))
	return c
}

type evidenceItem struct {
	ID            int64  `json:"id"`
	Kind          string `json:"kind"`
	Title         string `json:"title"`
	FileName      string `json:"file_name"`
	Size          int64  `json:"size"`
	SHA256        string `json:"sha256"`
	Location      string `json:"location"`
	CollectedBy   string `json:"collected_by"`
	CollectedAt   string `json:"collected_at"`
	CollectedFrom string `json:"collected_from"`
	CustodianName string `json:"custodian_name"`
	HasFile       bool   `json:"has_file"`
	Custody       []struct {
		At    string `json:"at"`
		Actor struct {
			Name string `json:"name"`
		} `json:"actor"`
		Action  string `json:"action"`
		From    string `json:"from"`
		To      string `json:"to"`
		Note    string `json:"note"`
		Address string `json:"address"`
	} `json:"custody"`
}

func evidencePath(id string) (string, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return "", usagef("EVIDENCE_ID must be an evidence item's number, not %q", id)
	}
	return "/evidence/" + id, nil
}

func newEvidenceListCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{
		Use: "list TICKET", Short: "List a security case's evidence", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := f.client()
			if err != nil {
				return err
			}
			var out struct {
				Evidence []evidenceItem `json:"evidence"`
			}
			raw, err := cl.do(cmd.Context(), http.MethodGet, ticketPath(args[0])+"/evidence", nil, &out, nil)
			if err != nil || f.json {
				return jsonOr(cmd, raw, err)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTITLE\tCUSTODIAN\tSHA-256")
			for _, it := range out.Evidence {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", it.ID, it.Title, it.CustodianName, orDash(it.SHA256))
			}
			return tw.Flush()
		},
	}
}

func jsonOr(cmd *cobra.Command, raw []byte, err error) error {
	if err != nil {
		return err
	}
	return printJSON(cmd.OutOrStdout(), raw)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func newEvidenceAddCmd(f *clientFlags) *cobra.Command {
	var file string
	fields := map[string]*string{}
	c := &cobra.Command{
		Use:   "add TICKET --title TEXT --from WHERE (--file PATH | --location WHERE)",
		Short: "Record evidence on a security case: a file (its SHA-256 is recorded), or a reference to evidence kept elsewhere",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if *fields["title"] == "" || *fields["collected_from"] == "" {
				return usagef("--title and --from are required")
			}
			if file == "" && *fields["location"] == "" {
				return usagef("give --file, or --location for evidence kept elsewhere")
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			var it evidenceItem
			var raw []byte
			path := ticketPath(args[0]) + "/evidence"
			if file == "" {
				body := map[string]string{}
				for k, v := range fields {
					if *v != "" {
						body[k] = *v
					}
				}
				raw, err = cl.do(cmd.Context(), http.MethodPost, path, body, &it, nil)
			} else {
				raw, err = uploadFile(cmd, cl, path, file, fields, &it)
			}
			if err != nil || f.json {
				return jsonOr(cmd, raw, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "evidence %d recorded: %s\nSHA-256 %s\n", it.ID, it.Title, orDash(it.SHA256))
			return nil
		},
	}
	for _, fl := range []struct{ name, field, usage string }{
		{"title", "title", "what it is (required)"},
		{"from", "collected_from", "where it was collected from: a device, a system, a mailbox (required)"},
		{"location", "location", "where it is kept outside the desk (required without --file)"},
		{"sha256", "sha256", "with --file: the SHA-256 expected (a file that differs is refused); without: the recorded one"},
		{"collected-by", "collected_by", "who collected it (default: you)"},
		{"collected-at", "collected_at", "when, as RFC 3339 (default: now)"},
		{"description", "description", "what it shows and why it matters"},
	} {
		fields[fl.field] = new(string)
		c.Flags().StringVar(fields[fl.field], fl.name, "", fl.usage)
	}
	c.Flags().StringVar(&file, "file", "", "the file to record")
	return c
}

// uploadFile sends path's file and fields as multipart/form-data.
func uploadFile(cmd *cobra.Command, cl *client, path, file string, fields map[string]*string, out any) ([]byte, error) {
	content, err := os.ReadFile(file)
	if err != nil {
		return nil, usagef("read %s: %v", file, err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if *v != "" {
			if err := mw.WriteField(k, *v); err != nil {
				return nil, err
			}
		}
	}
	w, err := mw.CreateFormFile("file", filepath.Base(file))
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(content); err != nil {
		return nil, err
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return cl.send(cmd.Context(), http.MethodPost, path, mw.FormDataContentType(), &buf, out, nil)
}

func newEvidenceShowCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{
		Use: "show EVIDENCE_ID", Short: "Show an item and its chain of custody (the view is recorded)", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := evidencePath(args[0])
			if err != nil {
				return err
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			var it evidenceItem
			raw, err := cl.do(cmd.Context(), http.MethodGet, path, nil, &it, nil)
			if err != nil || f.json {
				return jsonOr(cmd, raw, err)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%d %s (%s)\nSHA-256    %s\ncollected  %s by %s from %s\ncustodian  %s\n", it.ID, it.Title, it.Kind,
				orDash(it.SHA256), it.CollectedAt, it.CollectedBy, it.CollectedFrom, it.CustodianName)
			if it.Location != "" {
				fmt.Fprintf(w, "kept at    %s\n", it.Location)
			}
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "\nWHEN\tWHO\tWHAT\tFROM\tTO\tNOTE\tADDRESS")
			for _, c := range it.Custody {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.At, c.Actor.Name, c.Action, orDash(c.From), orDash(c.To), orDash(c.Note), orDash(c.Address))
			}
			return tw.Flush()
		},
	}
}

func newEvidenceDownloadCmd(f *clientFlags) *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "download EVIDENCE_ID --output PATH",
		Short: "Download an item's file (recorded), checked against its recorded SHA-256 before it is written",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := evidencePath(args[0])
			if err != nil {
				return err
			}
			if output == "" {
				return usagef("--output is required")
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			b, err := cl.send(cmd.Context(), http.MethodGet, path+"/file", "", nil, nil, http.Header{"Accept": {"application/octet-stream"}})
			if err != nil {
				return err
			}
			var it evidenceItem
			if _, err := cl.do(cmd.Context(), http.MethodGet, path, nil, &it, nil); err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			if got := hex.EncodeToString(sum[:]); got != it.SHA256 {
				return fmt.Errorf("the download's SHA-256 is %s, not the %s recorded: nothing written", got, it.SHA256)
			}
			if err := os.WriteFile(output, b, 0o600); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s written (%d bytes), SHA-256 %s matches\n", output, len(b), it.SHA256)
			return nil
		},
	}
	c.Flags().StringVar(&output, "output", "", "file to write (required)")
	return c
}

// evidencePost is a change of an item sent as JSON, printing what the
// server answered.
func evidencePost(cmd *cobra.Command, f *clientFlags, id, action string, body any, say func(evidenceItem) string) error {
	path, err := evidencePath(id)
	if err != nil {
		return err
	}
	cl, err := f.client()
	if err != nil {
		return err
	}
	var it evidenceItem
	raw, err := cl.do(cmd.Context(), http.MethodPost, path+"/"+action, body, &it, nil)
	if err != nil || f.json {
		return jsonOr(cmd, raw, err)
	}
	fmt.Fprintln(cmd.OutOrStdout(), say(it))
	return nil
}

func newEvidenceHandOverCmd(f *clientFlags) *cobra.Command {
	var (
		to   int64
		name string
		note string
	)
	c := &cobra.Command{
		Use:   "handover EVIDENCE_ID (--to USER_ID | --to-name NAME) --note TEXT",
		Short: "Hand an item over to a member of the case or to someone outside the desk",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (to == 0) == (name == "") || note == "" {
				return usagef("give --to or --to-name (one of them) and --note")
			}
			body := map[string]any{"note": note}
			if to != 0 {
				body["to_user_id"] = to
			} else {
				body["to_name"] = name
			}
			return evidencePost(cmd, f, args[0], "handovers", body, func(it evidenceItem) string {
				return fmt.Sprintf("evidence %d is now held by %s", it.ID, it.CustodianName)
			})
		},
	}
	c.Flags().Int64Var(&to, "to", 0, "the case member's user id")
	c.Flags().StringVar(&name, "to-name", "", "someone outside the desk: name and organisation")
	c.Flags().StringVar(&note, "note", "", "how and why: a receipt or seal number (required)")
	return c
}

func newEvidenceTransferCmd(f *clientFlags) *cobra.Command {
	var location, note string
	c := &cobra.Command{
		Use: "transfer EVIDENCE_ID --location WHERE --note TEXT", Short: "Record an item's move to another storage location",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if location == "" || note == "" {
				return usagef("--location and --note are required")
			}
			return evidencePost(cmd, f, args[0], "transfers", map[string]any{"location": location, "note": note}, func(it evidenceItem) string {
				return fmt.Sprintf("evidence %d is now kept at %s", it.ID, it.Location)
			})
		},
	}
	c.Flags().StringVar(&location, "location", "", "the new place (required)")
	c.Flags().StringVar(&note, "note", "", "why (required)")
	return c
}

type custodyAnswer struct {
	Evidence evidenceItem `json:"evidence"`
	Entry    struct {
		Action string `json:"action"`
		SHA256 string `json:"sha256"`
	} `json:"entry"`
	Matches bool `json:"matches"`
}

func (a custodyAnswer) say(w io.Writer) error {
	if !a.Matches {
		return fmt.Errorf("evidence %d: SHA-256 %s does not match the %s recorded (recorded in its chain of custody)",
			a.Evidence.ID, a.Entry.SHA256, a.Evidence.SHA256)
	}
	_, err := fmt.Fprintf(w, "evidence %d: %s, SHA-256 %s\n", a.Evidence.ID, a.Entry.Action, a.Entry.SHA256)
	return err
}

func newEvidenceVerifyCmd(f *clientFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "verify EVIDENCE_ID",
		Short: "Check the stored file's SHA-256 against the recorded one (recorded; exit 1 when it does not match)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := evidencePath(args[0])
			if err != nil {
				return err
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			var a custodyAnswer
			raw, err := cl.do(cmd.Context(), http.MethodPost, path+"/verifications", nil, &a, nil)
			if err != nil || f.json {
				return jsonOr(cmd, raw, err)
			}
			return a.say(cmd.OutOrStdout())
		},
	}
}

func newEvidenceUploadCmd(f *clientFlags) *cobra.Command {
	var file string
	c := &cobra.Command{
		Use:   "upload EVIDENCE_ID --file PATH",
		Short: "Upload an item's file again: a reference's file, or a copy compared with the recorded SHA-256 (a mismatch stores nothing)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := evidencePath(args[0])
			if err != nil {
				return err
			}
			if file == "" {
				return usagef("--file is required")
			}
			cl, err := f.client()
			if err != nil {
				return err
			}
			var a custodyAnswer
			raw, err := uploadFile(cmd, cl, path+"/file", file, nil, &a)
			if err != nil || f.json {
				return jsonOr(cmd, raw, err)
			}
			return a.say(cmd.OutOrStdout())
		},
	}
	c.Flags().StringVar(&file, "file", "", "the file (required)")
	return c
}
