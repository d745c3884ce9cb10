//go:build unix

package load

import (
	"fmt"
	"syscall"
)

// raiseFileLimit lifts this process's open-file limit to its hard limit: 20,000 sockets are
// 20,000 descriptors here too, and the usual soft limit is 1,024.
func raiseFileLimit() error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("read the open-file limit: %w", err)
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("raise the open-file limit: %w", err)
	}
	return nil
}
