//go:build !unix

package main

// fileHandleLimit is unknown here: the caps are the configured ones.
func fileHandleLimit() uint64 { return 0 }
