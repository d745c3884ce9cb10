package openaillm

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package when a test leaves a goroutine behind: an upstream stream that was
// not closed when its turn ended would show up here.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
