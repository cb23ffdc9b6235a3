package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// snLog is a hand-written ServiceNow incident log in the export's 36
// columns: two incidents and a bad row (line 3).
var snLog = strings.Join([]string{
	"number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_by," +
		"opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,category," +
		"subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge," +
		"u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at",
	"INC0000101,New,true,0,0,0,true,Caller 1,Opened by  2,3/4/2016 10:00,?,?,Updated by 3,3/4/2016 10:05,Email," +
		"Location 4,Category 5,Subcategory 6,Symptom 7,?,1 - High,2 - Medium,2 - High,Group 8,?,false,false," +
		"Do Not Notify,?,?,?,?,code 9,Resolved by 10,4/4/2016 16:30,9/4/2016 17:00",
	"INC0000101,-100,true,0,0,1,true,Caller 1,Opened by  2,3/4/2016 10:00,?,?,Updated by 3,3/4/2016 11:00,Email," +
		"Location 4,Category 5,Subcategory 6,Symptom 7,?,1 - High,2 - Medium,2 - High,Group 8,?,false,false," +
		"Do Not Notify,?,?,?,?,code 9,Resolved by 10,4/4/2016 16:30,9/4/2016 17:00",
	"INC0000101,Resolved,true,0,0,2,true,Caller 1,Opened by  2,3/4/2016 10:00,?,?,Updated by 11,4/4/2016 16:30,Email," +
		"Location 4,Category 5,Subcategory 6,Symptom 7,?,1 - High,2 - Medium,2 - High,Group 8,Resolver 12,false,false," +
		"Do Not Notify,?,?,?,?,code 9,Resolved by 10,4/4/2016 16:30,9/4/2016 17:00",
	"INC0000102,New,true,0,0,0,true,Caller 13,?,5/4/2016 08:00,?,?,Updated by 3,5/4/2016 08:01,Phone," +
		"Location 4,Category 5,Subcategory 14,?,?,2 - Medium,2 - Medium,3 - Moderate,?,?,false,false," +
		"Do Not Notify,?,?,?,?,?,?,?,?",
}, "\n") + "\n"

// TestImportServiceNow imports a gzip log (under a name that does not say
// so) with the real binary, finds an imported incident by its ServiceNow
// number through the CLI and the API while the server runs, and imports
// again to see that nothing changes.
func TestImportServiceNow(t *testing.T) {
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(snLog))
	zw.Close()
	logPath := filepath.Join(dir, "export.dat")
	if err := os.WriteFile(logPath, gz.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	dbArgs := []string{"--data", filepath.Join(dir, "data")}
	e := startServer(t, dbArgs)
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")

	out, errOut, code := e.cli("", append([]string{"import", "servicenow", logPath}, dbArgs...)...)
	if code != 0 || !strings.Contains(out, "imported 2 incidents") ||
		!strings.Contains(errOut, `line 3: incident_state "-100"`) {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	tk := e.ticketJSON(admin, "show", "inc0000101")
	want(t, tk, "number", "INC0000101")
	want(t, tk, "state", "resolved")
	want(t, tk, "priority", "P2")
	status, body := e.api(admin, "GET", "/tickets/INC0000102", nil)
	if status != 200 || body["state"] != "new" {
		t.Errorf("GET /tickets/INC0000102: %d %v", status, body)
	}

	out = e.ok("", append([]string{"import", "servicenow", logPath}, dbArgs...)...)
	if !strings.Contains(out, "imported 0 incidents") || !strings.Contains(out, "skipped 2 incidents already stored") {
		t.Errorf("second import:\n%s", out)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"import", "servicenow"}, exitUsage},
		{[]string{"import", "servicenow", logPath, "--batch", "0"}, exitUsage},
		{[]string{"import"}, exitUsage},
		{[]string{"import", "servicenow", filepath.Join(dir, "missing.csv")}, exitError},
	} {
		if _, errOut, code := e.cli("", append(tc.args, dbArgs...)...); code != tc.code {
			t.Errorf("tierdesk %s: exit %d, want %d\n%s", strings.Join(tc.args, " "), code, tc.code, errOut)
		}
	}
}
