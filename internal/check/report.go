package check

import (
	"fmt"
	"io"
	"strings"
)

// report prints one line per check and counts failures. The first write error is kept and
// returned by Run, so a closed stdout is not silently ignored.
type report struct {
	out    io.Writer
	failed int
	werr   error
}

func (r *report) printf(format string, args ...any) {
	if r.werr != nil {
		return
	}
	if _, err := fmt.Fprintf(r.out, format, args...); err != nil {
		r.werr = fmt.Errorf("write check report: %w", err)
	}
}

// ok reports something that works.
func (r *report) ok(format string, args ...any) {
	r.printf("[ok]   "+format+"\n", args...)
}

// note reports something configured but not tested, or a plain fact.
func (r *report) note(format string, args ...any) {
	r.printf("[--]   "+format+"\n", args...)
}

// fail reports something that does not work and what to do about it, one step per line.
func (r *report) fail(what string, advice ...string) {
	r.failed++
	r.printf("[FAIL] %s\n", indentRest(what, "       "))
	for i, step := range advice {
		lead := "       what to do: "
		if i > 0 {
			lead = "                   "
		}
		r.printf("%s%s\n", lead, indentRest(step, "                   "))
	}
}

// indentRest indents every line of s after the first, so multi-line errors stay in their column.
func indentRest(s, indent string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+indent)
}
