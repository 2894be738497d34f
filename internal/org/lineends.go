package org

import (
	"bytes"
	"regexp"
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

// Encoding is how a document's file holds its text, as Emacs finds it
// reading the file (its buffer-file-coding-system) and keeps it saving
// the buffer: a UTF-8 BOM first, and EOL, its line end ("" or "\n": LF;
// "\r\n": DOS; "\r": Mac).
type Encoding struct {
	BOM bool
	EOL string
}

// Encode is text (a buffer's) as Emacs saves it in a file of encoding c:
// each LF written as c's line end, a BOM first if c has one.
func (c Encoding) Encode(text string) string {
	if c.EOL != "" && c.EOL != "\n" {
		text = strings.ReplaceAll(text, "\n", c.EOL)
	}
	if c.BOM {
		text = "\ufeff" + text
	}
	return text
}

// DocumentText is a document's text as Emacs reads its file into a buffer
// (insert-file-contents), which is what Babel runs and writes results
// into, and the encoding it found: a UTF-8 BOM at its start dropped
// (utf-8-with-signature) and its line ends decoded (DecodeLineEnds). A
// document holding a NUL byte and no BOM is as it is (no-conversion);
// with a BOM, it is read as any other.
// It is for a file's bytes only: a buffer's text (borges.el) is decoded
// already, and decoding it again may change it.
func DocumentText(text string) (string, Encoding) {
	var enc Encoding
	// A BOM is found before a NUL would make it no-conversion
	// (utf-8-with-signature, its line ends decoded all the same).
	text, enc.BOM = strings.CutPrefix(text, "\ufeff")
	if !enc.BOM && strings.IndexByte(text, 0) >= 0 {
		return text, enc
	}
	if eol, ok := cookieEOL(text); ok {
		// The line ends the coding cookie names, whatever the
		// file's: each one of them is a line end, LF or not.
		enc.EOL = eol
		if eol != "\n" {
			text = strings.ReplaceAll(text, eol, "\n")
		}
		return text, enc
	}
	decoded := string(DecodeLineEnds([]byte(text)))
	if decoded != text {
		enc.EOL = "\r"
		if strings.Contains(text, "\r\n") {
			enc.EOL = "\r\n"
		}
	}
	return decoded, enc
}

// codingCookieRe is a "-*- … coding: NAME … -*-" cookie of a line.
var codingCookieRe = regexp.MustCompile(`-\*-.*\bcoding:[ \t]*([^ \t;\r\n]+).*-\*-`)

// cookieEOL is the line end a coding cookie of text names (-unix: LF,
// -dos: CRLF, -mac: CR), on its first line or, after a "#!" line, its
// second, as set-auto-coding looks for it. A coding naming none (utf-8)
// leaves them to be detected: ok is false. The cookie's line ends at any
// line end byte, not knowing which yet.
func cookieEOL(text string) (eol string, ok bool) {
	firstLine := func(s string) (string, string) {
		if i := strings.IndexAny(s, "\r\n"); i >= 0 {
			j := i + 1
			if s[i] == '\r' && j < len(s) && s[j] == '\n' {
				j++
			}
			return s[:i], s[j:]
		}
		return s, ""
	}
	line, rest := firstLine(text)
	m := codingCookieRe.FindStringSubmatch(line)
	if m == nil && strings.HasPrefix(line, "#!") {
		line, _ = firstLine(rest)
		m = codingCookieRe.FindStringSubmatch(line)
	}
	if m == nil {
		return "", false
	}
	switch name := strings.ToLower(m[1]); {
	case strings.HasSuffix(name, "-unix"):
		return "\n", true
	case strings.HasSuffix(name, "-dos"):
		return "\r\n", true
	case strings.HasSuffix(name, "-mac"):
		return "\r", true
	}
	return "", false
}
