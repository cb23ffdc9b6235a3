package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeArticleFile(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// articleDesk serves a desk on SQLite with an administrator (whose token
// it returns) and the category Printers.
func articleDesk(t *testing.T) (*e2e, string) {
	t.Helper()
	data := t.TempDir()
	e := startServer(t, []string{"--data", data})
	e.dbArgs = []string{"--data", data}
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	if code, _ := e.api(admin, "POST", "/categories", map[string]any{"name": "Printers"}); code != 201 {
		t.Fatalf("category: %d", code)
	}
	return e, admin
}

// TestCLI_Articles imports a folder of Markdown articles through the real
// binary: a folder with broken files is refused whole, naming each bad
// file and importing nothing; the fixed folder imports (both translations
// of one article in one), a second import edits instead of duplicating,
// export writes the files back, and the other commands work on them.
func TestCLI_Articles(t *testing.T) {
	e, admin := articleDesk(t)
	dir := t.TempDir()
	writeArticleFile(t, dir, "printer.en.md", "---\nkey: printer\nlang: en\ntitle: Printer offline\naudience: public\nstate: published\ncategory: Printers\nkeywords: [spooler]\n---\nRestart the **spooler**.\n")
	writeArticleFile(t, dir, "printer.ru.md", "---\nkey: printer\nlang: ru\ntitle: Принтер не в сети\n---\nПерезапустите диспетчер печати.\n")
	writeArticleFile(t, dir, "broken.en.md", "---\nkey: vpn\nlang: en\ntitle: [VPN\n---\nbody\n")
	writeArticleFile(t, dir, "nofront.en.md", "# Just Markdown\n")
	writeArticleFile(t, dir, "unknown.en.md", "---\nkey: fax\nlang: en\ntitle: Fax\ncategory: Faxes\n---\nbody\n")
	out, errOut, code := e.cli(admin, "article", "import", dir)
	if code == 0 {
		t.Fatalf("a folder with broken files imported: %s", out)
	}
	for _, want := range []string{"broken.en.md: front matter", "nofront.en.md: no front matter", `unknown.en.md: category: no category named "Faxes"`, "nothing imported"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if list := e.ok(admin, "article", "list"); strings.Contains(list, "printer") {
		t.Errorf("a refused import stored articles:\n%s", list)
	}
	for _, name := range []string{"broken.en.md", "nofront.en.md", "unknown.en.md"} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if out := e.ok(admin, "article", "import", dir); !strings.Contains(out, "imported 1 articles: 1 new, 0 edited") {
		t.Errorf("import: %s", out)
	}
	if out := e.ok(admin, "article", "import", dir); !strings.Contains(out, "0 new, 0 edited, 1 unchanged") {
		t.Errorf("second import: %s", out)
	}
	list := e.ok(admin, "article", "list", "--q", "printing")
	if !strings.Contains(list, "published") || !strings.Contains(list, "Printer offline") {
		t.Errorf("search after import:\n%s", list)
	}
	show := e.ok(admin, "article", "show", "1", "--lang", "ru")
	if !strings.Contains(show, "title: Принтер не в сети") || !strings.Contains(show, "category: Printers") || !strings.Contains(show, "Перезапустите") {
		t.Errorf("show:\n%s", show)
	}
	out = e.ok(admin, "article", "retire", "1", "--note", "replaced")
	if !strings.Contains(out, "article 1 is retired") {
		t.Errorf("retire: %s", out)
	}
	if _, errOut, code := e.cli(admin, "article", "publish", "1", "--version", "1"); code == 0 || !strings.Contains(errOut, "412") {
		t.Errorf("publish at a stale version: exit %d, %s", code, errOut)
	}
	exp := t.TempDir()
	if out := e.ok(admin, "article", "export", exp); !strings.Contains(out, "exported 2 files") {
		t.Errorf("export: %s", out)
	}
	en, err := os.ReadFile(filepath.Join(exp, "printer.en.md"))
	if err != nil || !strings.Contains(string(en), "state: retired") || !strings.Contains(string(en), "Restart the **spooler**.") {
		t.Errorf("exported file: %s %v", en, err)
	}
	writeArticleFile(t, exp, "printer.en.md", strings.Replace(string(en), "Restart the", "Reboot, then restart the", 1))
	if out := e.ok(admin, "article", "edit", "1", filepath.Join(exp, "printer.en.md"), filepath.Join(exp, "printer.ru.md")); !strings.Contains(out, "article 1: retired") {
		t.Errorf("edit: %s", out)
	}
	newDir := t.TempDir()
	writeArticleFile(t, newDir, "vpn.en.md", "---\nkey: vpn\nlang: en\ntitle: VPN drops\n---\nUse TCP.\n")
	if out := e.ok(admin, "article", "create", filepath.Join(newDir, "vpn.en.md")); !strings.Contains(out, "article 2: draft, version 1") {
		t.Errorf("create: %s", out)
	}
	big := strings.Repeat("x", 300<<10)
	writeArticleFile(t, newDir, "big.en.md", "---\nkey: big\nlang: en\ntitle: Big\n---\n"+big)
	if _, errOut, code := e.cli(admin, "article", "create", filepath.Join(newDir, "big.en.md")); code == 0 || !strings.Contains(errOut, "big.en.md") || !strings.Contains(errOut, "KiB") {
		t.Errorf("a 300 KB body: exit %d, %s", code, errOut)
	}
}

// TestCLI_ArticleEditor grants and withdraws knowledge_editor through the
// binary: an agent cannot write until an administrator grants it (by
// e-mail address), nor grant it themselves; after revoke they cannot again.
func TestCLI_ArticleEditor(t *testing.T) {
	data := t.TempDir()
	e := startServer(t, []string{"--data", data})
	e.dbArgs = []string{"--data", data}
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	agent := e.addUser("--email", "lena@example.com", "--name", "Lena Agent", "--role", "agent")
	dir := t.TempDir()
	writeArticleFile(t, dir, "vpn.en.md", "---\nkey: vpn\nlang: en\ntitle: VPN drops\n---\nUse TCP.\n")
	file := filepath.Join(dir, "vpn.en.md")
	if _, errOut, code := e.cli(agent, "article", "create", file); code == 0 || !strings.Contains(errOut, "403") {
		t.Fatalf("an agent without knowledge_editor wrote: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(agent, "article", "editor", "grant", "lena@example.com"); code == 0 || !strings.Contains(errOut, "403") {
		t.Fatalf("an agent granted herself knowledge_editor: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(admin, "article", "editor", "grant", "nobody@example.com"); code == 0 || !strings.Contains(errOut, "nobody@example.com") {
		t.Errorf("granting to an unknown address: exit %d %s", code, errOut)
	}
	if out := e.ok(admin, "article", "editor", "grant", "lena@example.com"); !strings.Contains(out, "knowledge_editor granted") {
		t.Errorf("grant: %s", out)
	}
	if out := e.ok(admin, "article", "editor", "list"); !strings.Contains(out, "lena@example.com") {
		t.Errorf("list: %s", out)
	}
	if out := e.ok(agent, "article", "create", file); !strings.Contains(out, "article 1: draft") {
		t.Errorf("the editor's create: %s", out)
	}
	list := e.ok(admin, "article", "editor", "list")
	id := strings.Fields(strings.Split(strings.TrimSpace(list), "\n")[1])[0]
	if out := e.ok(admin, "article", "editor", "revoke", id); !strings.Contains(out, "knowledge_editor revoked") {
		t.Errorf("revoke: %s", out)
	}
	if _, _, code := e.cli(agent, "article", "create", file); code == 0 {
		t.Error("an agent whose knowledge_editor was withdrawn still writes")
	}
}

// TestCLI_ArticleRoundTrip: exporting the desk's articles and importing
// the folder back changes nothing, for articles without a key too (their
// files are article-<id>): no duplicate, no new version; an edited file
// of such an article edits it, and it keeps having no key.
func TestCLI_ArticleRoundTrip(t *testing.T) {
	e, admin := articleDesk(t)
	for _, a := range []map[string]any{
		{"translations": []map[string]string{{"lang": "en", "title": "No key", "body": "Restart the spooler."},
			{"lang": "ru", "title": "Без ключа", "body": "Перезапустите диспетчер печати.\n\n"}}, "audience": "public", "keywords": []string{"spooler"}},
		{"translations": []map[string]string{{"lang": "ru", "title": "Тоже без ключа", "body": "Текст без перевода строки в конце"}},
			"review_at": "2027-06-01"},
		{"key": "keyed", "translations": []map[string]string{{"lang": "en", "title": "Keyed", "body": "Body\n"}}},
	} {
		if code, body := e.api(admin, "POST", "/articles", a); code != 201 {
			t.Fatalf("article: %d %v", code, body)
		}
	}
	e.ok(admin, "article", "publish", "1")
	exp := t.TempDir()
	if out := e.ok(admin, "article", "export", exp); !strings.Contains(out, "exported 4 files") {
		t.Fatalf("export: %s", out)
	}
	for range 2 {
		if out := e.ok(admin, "article", "import", exp); !strings.Contains(out, "imported 3 articles: 0 new, 0 edited, 3 unchanged") {
			t.Errorf("importing the export back: %s", out)
		}
	}
	list := e.ok(admin, "article", "list")
	if n := strings.Count(strings.TrimSpace(list), "\n"); n != 3 {
		t.Errorf("articles after the round trip: %d\n%s", n, list)
	}
	name := filepath.Join(exp, "article-2.ru.md")
	raw, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	writeArticleFile(t, exp, "article-2.ru.md", strings.Replace(string(raw), "Текст без", "Новый текст без", 1))
	if out := e.ok(admin, "article", "import", exp); !strings.Contains(out, "0 new, 1 edited, 2 unchanged") {
		t.Errorf("importing an edited file: %s", out)
	}
	code, a := e.api(admin, "GET", "/articles/2", nil)
	if code != 200 || a["key"] != "" && a["key"] != nil || a["version"] != float64(2) {
		t.Errorf("the edited keyless article: %d key %v version %v", code, a["key"], a["version"])
	}
	if list := e.ok(admin, "article", "list"); strings.Count(strings.TrimSpace(list), "\n") != 3 {
		t.Errorf("an edit duplicated the article:\n%s", list)
	}
}
