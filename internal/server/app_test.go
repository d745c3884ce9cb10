package server

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

func TestAppServesAssetsIndexFallbackAndGzip(t *testing.T) {
	js := "console.log('presto');"
	s := &Server{Deps: Deps{Web: fstest.MapFS{
		"index.html":          {Data: []byte("<!doctype html><title>app</title>")},
		"assets/index-abc.js": {Data: []byte(js)},
		"assets/logo-abc.png": {Data: []byte("\x89PNG")},
	}}}
	h := s.handleApp()
	get := func(path, encoding string) *http.Response {
		req := httptest.NewRequest("GET", path, nil)
		if encoding != "" {
			req.Header.Set("Accept-Encoding", encoding)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}

	resp := get("/assets/index-abc.js", "gzip, br")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("js headers %v", resp.Header)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if body, _ := io.ReadAll(zr); string(body) != js {
		t.Fatalf("gunzipped %q", body)
	}
	resp = get("/assets/index-abc.js", "")
	if body, _ := io.ReadAll(resp.Body); string(body) != js || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("plain js: %q %v", body, resp.Header)
	}
	if resp = get("/assets/logo-abc.png", "gzip"); resp.Header.Get("Content-Encoding") != "" || resp.StatusCode != 200 {
		t.Fatalf("png must not be gzipped: %v", resp.Header)
	}
	resp = get("/some/app/route", "")
	if body, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 || string(body) != "<!doctype html><title>app</title>" || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("index fallback: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	if resp = get("/assets/missing.js", ""); resp.StatusCode != 404 {
		t.Fatalf("missing asset: %d, want 404", resp.StatusCode)
	}
}
