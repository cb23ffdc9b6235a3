package desk

import (
	"mime"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFileNameBytes bounds a stored file name (most file systems allow 255).
const maxFileNameBytes = 200

// SanitizeFileName makes a sender's file name safe to store and offer for
// download: only its last path element (either slash), no control or
// format characters, none of <>:"/\|?*, no leading dots or spaces, at most
// 200 bytes with the extension kept. An empty result becomes "attachment"
// with an extension for contentType.
func SanitizeFileName(name, contentType string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r), strings.ContainsRune(`<>:"|?*`, r):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.TrimLeft(strings.TrimSpace(b.String()), ". ")
	name = strings.TrimRight(name, ". ")
	if len(name) > maxFileNameBytes {
		ext := path.Ext(name)
		if len(ext) > 20 {
			ext = ""
		}
		base := name[:maxFileNameBytes-len(ext)]
		for !utf8.ValidString(base) {
			base = base[:len(base)-1]
		}
		name = base + ext
	}
	if name == "" {
		name = "attachment"
		if exts, _ := mime.ExtensionsByType(contentType); len(exts) > 0 {
			name += exts[0]
		}
	}
	return name
}

// SniffContentType decides an attachment's media type: the declared one
// when it is well-formed and specific, else what the content looks like
// (net/http's sniffer). Parameters other than a text charset are dropped.
func SniffContentType(declared string, content []byte) string {
	mt, params, err := mime.ParseMediaType(declared)
	if err == nil && mt != "application/octet-stream" && strings.Count(mt, "/") == 1 {
		if cs := params["charset"]; cs != "" && strings.HasPrefix(mt, "text/") {
			return mime.FormatMediaType(mt, map[string]string{"charset": strings.ToLower(cs)})
		}
		return mt
	}
	sniffed := http.DetectContentType(content)
	if mt, params, err := mime.ParseMediaType(sniffed); err == nil {
		if cs := params["charset"]; cs != "" {
			return mime.FormatMediaType(mt, map[string]string{"charset": cs})
		}
		return mt
	}
	return "application/octet-stream"
}
