package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestDistServesTheBuiltApp checks that the committed build is complete: index.html exists and
// every asset it references is embedded under a content-hashed name.
func TestDistServesTheBuiltApp(t *testing.T) {
	d := Dist()
	index, err := fs.ReadFile(d, "index.html")
	if err != nil {
		t.Fatalf("read index.html: %v", err)
	}
	refs := regexp.MustCompile(`(?:src|href)="/(assets/[^"]+)"`).FindAllStringSubmatch(string(index), -1)
	if len(refs) < 2 {
		t.Fatalf("index.html references %d assets, want a script and a stylesheet:\n%s", len(refs), index)
	}
	hashed := regexp.MustCompile(`-[A-Za-z0-9_-]{8,}\.(js|css)$`)
	for _, r := range refs {
		path := r[1]
		info, err := fs.Stat(d, path)
		if err != nil {
			t.Errorf("asset %s referenced by index.html: %v", path, err)
			continue
		}
		if info.Size() == 0 {
			t.Errorf("asset %s is empty", path)
		}
		if !hashed.MatchString(path) {
			t.Errorf("asset %s has no content hash: long cache headers would serve stale code", path)
		}
	}
	if !strings.Contains(string(index), `<div id="app">`) {
		t.Errorf("index.html has no app root")
	}
}
