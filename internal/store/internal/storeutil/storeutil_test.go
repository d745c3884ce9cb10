package storeutil

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"presto/internal/store"
)

func TestLoadMigrations(t *testing.T) {
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    []int
		wantErr string
	}{
		{
			name: "ordered by number, not by name",
			files: fstest.MapFS{
				"m/0010_later.sql": {Data: []byte("B")},
				"m/0002_first.sql": {Data: []byte("A")},
				"m/README.md":      {Data: []byte("ignored")},
			},
			want: []int{2, 10},
		},
		{
			name:    "no number",
			files:   fstest.MapFS{"m/init.sql": {Data: []byte("A")}},
			wantErr: "must start with a positive number",
		},
		{
			name: "duplicate number",
			files: fstest.MapFS{
				"m/0001_a.sql": {Data: []byte("A")},
				"m/1_b.sql":    {Data: []byte("B")},
			},
			wantErr: "share version 1",
		},
		{
			name:    "missing directory",
			files:   fstest.MapFS{},
			wantErr: "read migrations",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadMigrations(tt.files, "m")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var versions []int
			for _, m := range got {
				versions = append(versions, m.Version)
				if m.SQL != string(tt.files["m/"+m.Name].Data) {
					t.Errorf("%s: SQL = %q", m.Name, m.SQL)
				}
			}
			if len(versions) != len(tt.want) {
				t.Fatalf("versions = %v, want %v", versions, tt.want)
			}
			for i := range versions {
				if versions[i] != tt.want[i] {
					t.Fatalf("versions = %v, want %v", versions, tt.want)
				}
			}
		})
	}
}

func TestCheckTab(t *testing.T) {
	tests := []struct {
		name        string
		mode, tab   string
		content     string
		wantInvalid bool
	}{
		{"object", "bank", "loans", `{"tool_results":[]}`, false},
		{"array", "bank", "loans", `[1,2]`, false},
		{"empty content", "bank", "loans", ``, true},
		{"broken JSON", "bank", "loans", `{"a":`, true},
		{"no mode", "", "loans", `{}`, true},
		{"no tab", "bank", "", `{}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckTab(tt.mode, tt.tab, json.RawMessage(tt.content))
			if got := errors.Is(err, store.ErrInvalid); got != tt.wantInvalid {
				t.Fatalf("CheckTab error = %v, want invalid %v", err, tt.wantInvalid)
			}
		})
	}
}
