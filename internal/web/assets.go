package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// Static files are embedded and served under names that carry a hash of
// their content (app.3f2a9c1b.css), with a year-long immutable cache: a
// new release changes the name, never the meaning of an old one.
//
//go:embed static
var staticFS embed.FS

type asset struct {
	body        []byte
	contentType string
}

type assets struct {
	byURL map[string]*asset // /static/app.3f2a9c1b.css → file
	urls  map[string]string // app.css → /static/app.3f2a9c1b.css
}

func loadAssets() (*assets, error) {
	a := &assets{byURL: map[string]*asset{}, urls: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		url := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.byURL[url] = &asset{body: b, contentType: ct}
		a.urls[name] = url
		return nil
	})
	return a, err
}

// url returns the hashed URL of a static file; an unknown name is a bug in
// a template, reported when the template runs.
func (a *assets) url(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return u, nil
}

func (a *assets) serve(w http.ResponseWriter, r *http.Request) {
	f, ok := a.byURL[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(f.body)
}
