package org

import (
	"bytes"
)

// DecodeLineEnds decodes line ends as Emacs does a file it detects them in:
// where every line end is CRLF (or CRLF and lone CRs, stray ^M in a DOS
// file), each CRLF is read as LF; where every one is a lone CR (Mac), each
// CR is read as LF; a file with a lone LF is as it is.
func DecodeLineEnds(b []byte) []byte {
	crlf := bytes.Count(b, []byte("\r\n"))
	cr := bytes.Count(b, []byte("\r")) - crlf
	switch lf := bytes.Count(b, []byte("\n")) - crlf; {
	case lf > 0:
		return b
	case crlf > 0:
		return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	case cr > 0:
		return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
	}
	return b
}
