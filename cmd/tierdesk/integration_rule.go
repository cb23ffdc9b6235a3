package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// newIntegrationRuleCmd edits an integration's ordered mapping rules: it
// reads the integration, changes the list and sends the whole list back.
func newIntegrationRuleCmd(f *clientFlags) *cobra.Command {
	c := &cobra.Command{Use: "rule", Short: "List, add or delete an integration's mapping rules (first match wins)"}
	c.AddCommand(&cobra.Command{Use: "list ID", Short: "List the rules in the order they are tried", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return integrationCall(cmd, f, http.MethodGet, "/integrations/"+url.PathEscape(args[0]), nil)
		}})
	c.AddCommand(ruleWriteCmd(f, "add ID", "Add a rule (at the end, or at --position)"))
	c.AddCommand(ruleWriteCmd(f, "default ID", "Set the default rule, which applies when no rule matches"))
	c.AddCommand(&cobra.Command{Use: "delete ID POSITION", Short: "Delete the rule at a position (1 is the first)", Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			pos, err := strconv.Atoi(args[1])
			if err != nil || pos < 1 {
				return usagef("POSITION is a rule number from 1, not %q", args[1])
			}
			return editRules(cmd, f, args[0], func(rules []any) ([]any, error) {
				if pos > len(rules) {
					return nil, fmt.Errorf("integration %s has %d rules, no rule %d", args[0], len(rules), pos)
				}
				return append(rules[:pos-1], rules[pos:]...), nil
			})
		}})
	return c
}

func ruleWriteCmd(f *clientFlags, use, short string) *cobra.Command {
	var (
		matches                                    []string
		name, severities, impact, urgency          string
		service, category, subcategory, group, pos int64
		autoResolve, security                      bool
	)
	c := &cobra.Command{Use: use, Short: short, Args: cobra.ExactArgs(1)}
	fl := c.Flags()
	isDefault := strings.HasPrefix(use, "default")
	if !isDefault {
		fl.StringArrayVar(&matches, "match", nil, "label matcher: label=value, label!=value, label=~regexp or label!~regexp (repeatable; all must hold)")
		fl.StringVar(&severities, "severity", "", "severities the rule applies to, comma-separated (empty: any)")
		fl.Int64Var(&pos, "position", 0, "insert at this position (1 is the first; default: last)")
		fl.StringVar(&name, "name", "", "a name for the rule")
	}
	fl.Int64Var(&service, "service", 0, "service id of the incident")
	fl.Int64Var(&category, "category", 0, "category id")
	fl.Int64Var(&subcategory, "subcategory", 0, "subcategory id")
	fl.Int64Var(&group, "group", 0, "group id that takes the incident")
	fl.StringVar(&impact, "impact", "", "high, medium or low (default: from the severity)")
	fl.StringVar(&urgency, "urgency", "", "high, medium or low (default: from the severity)")
	fl.BoolVar(&autoResolve, "auto-resolve", false, "resolve the incident when all its alerts resolve, unless a person took it over")
	fl.BoolVar(&security, "security", false, "open the incident as a security case (in --group when it is a security group, else in the security group)")
	c.RunE = func(cmd *cobra.Command, args []string) error {
		rule := map[string]any{}
		for k, v := range map[string]any{"name": name, "impact": impact, "urgency": urgency} {
			if v != "" {
				rule[k] = v
			}
		}
		for k, v := range map[string]int64{"service_id": service, "category_id": category, "subcategory_id": subcategory, "group_id": group} {
			if v != 0 {
				rule[k] = v
			}
		}
		if autoResolve {
			rule["auto_resolve"] = true
		}
		if security {
			rule["security"] = true
		}
		if sev := splitList(severities); len(sev) > 0 {
			rule["severities"] = sev
		}
		var ms []map[string]string
		for _, m := range matches {
			label, op, value, err := parseMatcher(m)
			if err != nil {
				return err
			}
			ms = append(ms, map[string]string{"label": label, "op": op, "value": value})
		}
		if len(ms) > 0 {
			rule["matchers"] = ms
		}
		if isDefault {
			return integrationCall(cmd, f, http.MethodPatch, "/integrations/"+url.PathEscape(args[0]), map[string]any{"default_rule": rule})
		}
		return editRules(cmd, f, args[0], func(rules []any) ([]any, error) {
			at := len(rules)
			if pos > 0 && int(pos) <= len(rules) {
				at = int(pos) - 1
			}
			return append(rules[:at], append([]any{rule}, rules[at:]...)...), nil
		})
	}
	return c
}

// parseMatcher splits label=value, label!=value, label=~re or label!~re.
func parseMatcher(s string) (label, op, value string, err error) {
	i := strings.IndexAny(s, "=!")
	if i <= 0 {
		return "", "", "", usagef("--match %q: write label=value, label!=value, label=~regexp or label!~regexp", s)
	}
	label, rest := strings.TrimSpace(s[:i]), s[i:]
	for _, o := range []string{"=~", "!~", "!=", "="} { // two-character operators first
		if v, ok := strings.CutPrefix(rest, o); ok {
			return label, o, v, nil
		}
	}
	return "", "", "", usagef("--match %q: write label=value, label!=value, label=~regexp or label!~regexp", s)
}

// editRules reads the integration's rules, lets edit change them and sends
// the whole list back.
func editRules(cmd *cobra.Command, f *clientFlags, id string, edit func([]any) ([]any, error)) error {
	cl, err := f.client()
	if err != nil {
		return err
	}
	path := "/integrations/" + url.PathEscape(id)
	var cur struct {
		Rules []any `json:"rules"`
	}
	if _, err := cl.do(cmd.Context(), http.MethodGet, path, nil, &cur, nil); err != nil {
		return err
	}
	rules, err := edit(cur.Rules)
	if err != nil {
		return err
	}
	return integrationCall(cmd, f, http.MethodPatch, path, map[string]any{"rules": rules})
}

// ruleText describes a rule on one line.
func ruleText(r map[string]any) string {
	var parts []string
	if n, _ := r["name"].(string); n != "" {
		parts = append(parts, strconv.Quote(n))
	}
	if ms, _ := r["matchers"].([]any); len(ms) > 0 {
		var conds []string
		for _, m := range ms {
			mm, _ := m.(map[string]any)
			conds = append(conds, fmt.Sprintf("%v%v%q", mm["label"], mm["op"], mm["value"]))
		}
		parts = append(parts, "when "+strings.Join(conds, ", "))
	}
	if sev, _ := r["severities"].([]any); len(sev) > 0 {
		parts = append(parts, fmt.Sprintf("severity %v", sev))
	}
	var sets []string
	for _, k := range []string{"service_id", "category_id", "subcategory_id", "group_id", "impact", "urgency"} {
		if v, ok := r[k]; ok {
			sets = append(sets, fmt.Sprintf("%s=%v", strings.TrimSuffix(k, "_id"), v))
		}
	}
	if b, _ := r["auto_resolve"].(bool); b {
		sets = append(sets, "auto-resolve")
	}
	if b, _ := r["security"].(bool); b {
		sets = append(sets, "security-case")
	}
	if len(sets) == 0 {
		sets = []string{"desk defaults"}
	}
	return strings.Join(append(parts, "→ "+strings.Join(sets, " ")), " ")
}
