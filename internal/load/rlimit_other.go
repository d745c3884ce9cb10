//go:build !unix

package load

// raiseFileLimit has nothing to raise: only unix systems have a soft open-file limit to lift.
func raiseFileLimit() error { return nil }
