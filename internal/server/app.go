package server

import (
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// handleApp serves the embedded front end. Hashed files under assets/ are cached for a year; any
// other path without a file extension gets index.html, so the app's own routes survive a reload.
func (s *Server) handleApp() http.Handler {
	files := http.FileServerFS(s.Web)
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
		if strings.HasPrefix(name, "assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		if name == "index.html" {
			// FileServer redirects /index.html to /; serve the file itself instead.
			http.ServeFileFS(w, r, s.Web, name)
			return
		}
		files.ServeHTTP(w, r)
	})
}
