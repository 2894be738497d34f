package org

// Commented reports whether line n (1-based) sits under a COMMENT heading,
// where Org neither runs blocks nor expands #+include: lines.
func (d *Document) Commented(n int) bool {
	p := d.parser()
	if n < 1 || n > len(p.headingOf) {
		return false
	}
	return p.commented(n - 1)
}
