package storeutil

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Migration is one schema step: a file named NNNN_description.sql whose number orders it and is
// recorded in schema_migrations once it has run.
type Migration struct {
	Version int
	Name    string // the file name, for logs and the schema_migrations table
	SQL     string
}

// LoadMigrations reads every .sql file of dir in fsys, ordered by version. It refuses a file
// without a numeric prefix or two files with the same number, because either would make the
// order of the schema depend on chance.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		m, err := loadMigration(fsys, dir, e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", out[i-1].Name, out[i].Name, out[i].Version)
		}
	}
	return out, nil
}

func loadMigration(fsys fs.FS, dir, name string) (Migration, error) {
	prefix, _, ok := strings.Cut(name, "_")
	version, err := strconv.Atoi(prefix)
	if !ok || err != nil || version <= 0 {
		return Migration{}, fmt.Errorf("migration %s: name must start with a positive number and an underscore", name)
	}
	body, err := fs.ReadFile(fsys, path.Join(dir, name))
	if err != nil {
		return Migration{}, fmt.Errorf("read migration %s: %w", name, err)
	}
	return Migration{Version: version, Name: name, SQL: string(body)}, nil
}
