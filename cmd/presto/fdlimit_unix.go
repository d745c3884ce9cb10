//go:build unix

package main

import "syscall"

// fileHandleLimit is the most files and sockets this process may have open (ulimit -n; Go raised
// the soft limit to the hard one at start-up), or 0 when it cannot be read.
func fileHandleLimit() uint64 {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0
	}
	return l.Cur
}
