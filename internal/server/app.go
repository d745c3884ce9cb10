package server

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
)

// handleApp serves the embedded front end. Hashed files under assets/ are cached for a year (and
// sent gzipped to clients that accept it); any other path without a file extension gets
// index.html, so the app's own routes survive a reload.
func (s *Server) handleApp() http.Handler {
	files := http.FileServerFS(s.Web)
	gz := &gzipCache{fsys: s.Web}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name == "" {
			name = "index.html"
		}
		if _, err := fs.Stat(s.Web, name); err != nil {
			if path.Ext(name) != "" {
				writeError(w, http.StatusNotFound, "not found")
				return
			}
			name = "index.html"
		}
		if !strings.HasPrefix(name, "assets/") {
			w.Header().Set("Cache-Control", "no-cache")
			// FileServer redirects /index.html to /; serve the file itself instead.
			http.ServeFileFS(w, r, s.Web, name)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Add("Vary", "Accept-Encoding")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			if body, ok := gz.get(name); ok {
				w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(body)
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}

// gzipCache compresses each text asset once. The embedded files never change, so an entry never
// goes stale.
type gzipCache struct {
	fsys  fs.FS
	cache sync.Map // name → []byte, or nil for files not worth compressing
}

func (c *gzipCache) get(name string) ([]byte, bool) {
	if v, ok := c.cache.Load(name); ok {
		b, _ := v.([]byte)
		return b, b != nil
	}
	var body []byte
	switch path.Ext(name) {
	case ".js", ".css", ".svg", ".json", ".html":
		if raw, err := fs.ReadFile(c.fsys, name); err == nil {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			if _, err := zw.Write(raw); err == nil && zw.Close() == nil {
				body = buf.Bytes()
			}
		}
	}
	c.cache.Store(name, body)
	return body, body != nil
}
