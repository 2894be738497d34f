package org

import (
	"bytes"
	"strings"
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

// DocumentText is a document's text as Emacs reads its file into a buffer
// (insert-file-contents), which is what Babel runs and writes results
// into: a UTF-8 BOM at its start dropped (utf-8-with-signature) and its
// line ends decoded (DecodeLineEnds). A document holding a NUL byte is as
// it is (no-conversion). A document sent as its file holds it (borges
// submit, curl --data-binary) is read so; a buffer's text (borges.el) is
// such text already.
func DocumentText(text string) string {
	if strings.IndexByte(text, 0) >= 0 {
		return text
	}
	text = strings.TrimPrefix(text, "\ufeff")
	return string(DecodeLineEnds([]byte(text)))
}
