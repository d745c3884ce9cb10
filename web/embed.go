// Package web holds the built dashboard (Vite output in dist/, committed) so the Go binary serves
// the front end without Node at run time. Rebuild with `npm run build` in this directory.
package web

import (
	"embed"
	"io/fs"
)

// dist is the Vite build output; "all:" keeps files whose names start with "." or "_".
//
//go:embed all:dist
var dist embed.FS

// Dist returns the built app rooted at dist/: index.html at the top, hashed bundles under
// assets/. The server serves it at "/" with an index.html fallback.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub fails only for an invalid path, and "dist" is a valid constant one.
		panic("web: dist sub-tree: " + err.Error())
	}
	return sub
}
