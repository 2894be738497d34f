package org

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// This file reads a file's bytes as Emacs 28.2 reads a file into a buffer
// (insert-file-contents: find-auto-coding, then the detection of the rest)
// and writes a buffer's text back as save-buffer writes it
// (select-safe-coding-system). Borges holds UTF-8 text: it reads the
// codings whose characters it maps byte for byte (UTF-8,
// utf-8-with-signature, ISO Latin-1, US-ASCII) and refuses a document in
// any other, naming the line and the cookie, rather than run or give back
// other text than Emacs's.

// Encoding is how a document's file holds its text, as Emacs finds it
// reading the file (its buffer-file-coding-system) and keeps it saving
// the buffer: a UTF-8 BOM first (utf-8-with-signature), EOL its line end
// ("" or "\n": LF; "\r\n": DOS; "\r": Mac), and Coding the charset of
// its bytes: "" for UTF-8, "iso-latin-1" or "us-ascii".
type Encoding struct {
	BOM    bool
	EOL    string
	Coding string
	// File: the text is a file's, read as Emacs reads it, and is saved
	// as save-buffer saves it, a coding cookie of the text winning
	// (Encode). Unset for a buffer's text, given back as it is but for
	// the line ends, BOM and charset said (the API's decoded=1).
	File bool
}

// Encode is text (a buffer's) as Emacs saves it in a file read in
// encoding c (save-buffer): in the coding a cookie of the text names
// (select-safe-coding-system: a cookie wins, its line ends, if it names
// none, the buffer's) where c is a file's (c.File), else in c; each LF
// written as the line end, a BOM first for utf-8-with-signature. A character the coding cannot hold
// makes Emacs ask which coding to save in, which Borges cannot answer as
// the document's Emacs would: an error naming its line. So does a cookie
// naming a coding Borges does not write (Emacs's own answer to a coding
// it does not know is to ask too).
func (c Encoding) Encode(text string) (string, error) {
	save := c
	ck, found := findCoding(text)
	if found && c.File {
		cs, err := ck.coding(text)
		if err != nil {
			return "", fmt.Errorf("%w: %w", ErrCannotSave, err)
		}
		save.Coding, save.BOM = cs.charset, cs.bom
		if cs.eol != "" {
			save.EOL = cs.eol
		}
	}
	if save.Coding != "" {
		limit, ok := charsetLimits[save.Coding]
		if !ok {
			return "", fmt.Errorf("%w: the coding %s is not one Borges writes", ErrCannotSave, save.Coding)
		}
		var b strings.Builder
		b.Grow(len(text))
		for i, r := range text {
			if r > limit {
				return "", fmt.Errorf("%w: line %d: the character %c cannot be saved in %s, the document's coding: Emacs asks which coding to save the document in (select-safe-coding-system), and Borges gives no document back", ErrCannotSave, 1+strings.Count(text[:i], "\n"), r, save.Coding)
			}
			b.WriteByte(byte(r))
		}
		text = b.String()
	}
	if save.EOL != "" && save.EOL != "\n" {
		text = strings.ReplaceAll(text, "\n", save.EOL)
	}
	if save.BOM {
		text = "\ufeff" + text
	}
	return text, nil
}

// ErrCannotSave is the error of a document Emacs cannot save as it
// stands (Encoding.Encode): Borges gives no document back where Emacs
// would ask how to save it.
var ErrCannotSave = errors.New("the document cannot be saved as Emacs saves it")

// charsetLimits are the highest character of each charset Borges reads
// and writes byte for byte.
var charsetLimits = map[string]rune{"iso-latin-1": 0xff, "us-ascii": 0x7f}

// codingSystem is a coding a cookie names, as Borges knows it.
type codingSystem struct {
	name    string // Emacs's base coding system
	charset string // Encoding.Coding
	bom     bool   // utf-8-with-signature
	eol     string // named by a -unix, -dos or -mac suffix, else ""
}

// codingBases are the coding systems (their aliases, as coding-system-
// aliases lists them) Borges reads as Emacs does. Emacs interns the name
// as written: "LATIN-1" is none.
var codingBases = map[string]codingSystem{
	"utf-8": {name: "utf-8"}, "mule-utf-8": {name: "utf-8"}, "cp65001": {name: "utf-8"},
	"utf-8-with-signature": {name: "utf-8-with-signature", bom: true},
	"iso-latin-1":          {name: "iso-latin-1", charset: "iso-latin-1"}, "iso-8859-1": {name: "iso-latin-1", charset: "iso-latin-1"}, "latin-1": {name: "iso-latin-1", charset: "iso-latin-1"},
	"us-ascii": {name: "us-ascii", charset: "us-ascii"}, "iso-safe": {name: "us-ascii", charset: "us-ascii"}, "ascii": {name: "us-ascii", charset: "us-ascii"},
}

// cookie is a coding cookie find-auto-coding found: the name as written,
// the text of the cookie ("coding: latin-1") and the 0-based byte offset
// of its name.
type cookie struct {
	name, written string
	at            int
}

// coding is the coding system the cookie names, or an error naming its
// line when Borges does not read it as Emacs does.
func (ck cookie) coding(text string) (codingSystem, error) {
	name := strings.TrimSuffix(ck.name, "!") // "!" only turns off character translation
	eol := ""
	for suffix, e := range map[string]string{"-unix": "\n", "-dos": "\r\n", "-mac": "\r"} {
		if base, ok := strings.CutSuffix(name, suffix); ok {
			name, eol = base, e
			break
		}
	}
	cs, ok := codingBases[name]
	if !ok {
		return codingSystem{}, fmt.Errorf("line %d: the coding cookie %q names a coding Borges does not read and write as Emacs does (it reads utf-8, utf-8-with-signature, latin-1 and us-ascii, each with -unix, -dos or -mac): give the document in one of them", lineAt(text, ck.at), ck.written)
	}
	cs.eol = eol
	return cs, nil
}

// lineAt is the 1-based line of byte offset at, counting every line end
// before it (LF, CRLF, a lone CR): a file's bytes are not decoded yet.
func lineAt(text string, at int) int {
	before := text[:min(at, len(text))]
	return 1 + strings.Count(before, "\n") + strings.Count(before, "\r") - strings.Count(before, "\r\n")
}

// DocumentText is a document's text as Emacs reads its file into a buffer
// (insert-file-contents), which is what Babel runs and writes results
// into, and the encoding it found: a UTF-8 BOM at its start dropped
// (utf-8-with-signature, which wins over a cookie), else the coding a
// cookie names (a -*- line, first or after a #! line; a Local Variables
// list in the last 3072 bytes: find-auto-coding) decoded, and the line
// ends decoded (DecodeLineEnds, or as the cookie's coding names them).
// With no BOM or cookie, a document holding a NUL byte is as it is
// (no-conversion), and so is one holding an ESC byte before its first CR
// (detection reads it as utf-8-unix; after it, its line ends are decoded
// as any). The error names the line where Borges cannot read the document
// as Emacs does: a UTF-16 BOM, a cookie naming a coding Borges does not
// read (Encoding), an ESC byte Emacs's detection may read as ISO-2022.
// It is for a file's bytes only: a buffer's text (borges.el) is decoded
// already, and decoding it again may change it.
func DocumentText(text string) (string, Encoding, error) {
	enc := Encoding{File: true}
	if strings.HasPrefix(text, "\xfe\xff") || strings.HasPrefix(text, "\xff\xfe") {
		return "", enc, fmt.Errorf("line 1: a UTF-16 byte order mark: Emacs reads the file as UTF-16, which Borges does not: give the document in UTF-8")
	}
	// A BOM is found before a NUL would make it no-conversion
	// (utf-8-with-signature, its line ends decoded all the same),
	// and before a cookie (auto-coding-regexp-alist).
	text, enc.BOM = strings.CutPrefix(text, "\ufeff")
	if enc.BOM {
		return decodeEOL(text, &enc), enc, nil
	}
	if ck, found := findCoding(text); found {
		cs, err := ck.coding(text)
		if err != nil {
			return "", enc, err
		}
		enc.Coding, enc.BOM = cs.charset, cs.bom
		if limit, ok := charsetLimits[cs.charset]; ok && limit < 0xff {
			for i := 0; i < len(text); i++ {
				if rune(text[i]) > limit {
					return "", enc, fmt.Errorf("line %d: a byte past ASCII (%#x) in a file whose coding cookie %q names %s: Emacs keeps it a raw byte, which Borges does not: give the document in UTF-8", lineAt(text, i), text[i], ck.written, cs.name)
				}
			}
		}
		if cs.charset == "iso-latin-1" {
			text = latin1(text)
		}
		if cs.eol != "" {
			// The line ends the cookie names, whatever the file's:
			// each one of them is a line end, LF or not.
			enc.EOL = cs.eol
			if cs.eol != "\n" {
				text = strings.ReplaceAll(text, cs.eol, "\n")
			}
			return text, enc, nil
		}
		return decodeEOL(text, &enc), enc, nil
	}
	if strings.IndexByte(text, 0) >= 0 {
		return text, enc, nil
	}
	if i := strings.IndexByte(text, 0x1b); i >= 0 {
		// Detection reads a terminal's escape sequences (ESC [, ESC ])
		// and an ESC before a control byte as UTF-8; other sequences
		// may be ISO-2022's, which it decodes.
		for j := i; j >= 0; {
			if j+1 < len(text) && text[j+1] != '[' && text[j+1] != ']' && text[j+1] >= 0x20 {
				return "", enc, fmt.Errorf("line %d: an ESC byte not of a terminal's escape sequence (ESC %c): Emacs's detection may read the file as ISO-2022, which Borges does not: give the document a cookie, -*- coding: utf-8 -*-", lineAt(text, j), text[j+1])
			}
			k := strings.IndexByte(text[j+1:], 0x1b)
			if k < 0 {
				break
			}
			j += 1 + k
		}
		if cr := strings.IndexByte(text, '\r'); cr < 0 || i < cr {
			return text, enc, nil
		}
	}
	return decodeEOL(text, &enc), enc, nil
}

// decodeEOL decodes text's line ends (DecodeLineEnds), recording the one
// found in enc.
func decodeEOL(text string, enc *Encoding) string {
	decoded := string(DecodeLineEnds([]byte(text)))
	if decoded != text {
		enc.EOL = "\r"
		if strings.Contains(text, "\r\n") {
			enc.EOL = "\r\n"
		}
	}
	return decoded
}

// latin1 is text's bytes read as ISO Latin-1 characters.
func latin1(text string) string {
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	for i := 0; i < len(text); i++ {
		b.WriteRune(rune(text[i]))
	}
	return b.String()
}

// findCoding is the coding cookie find-auto-coding finds in text: in the
// -*- line (the first line, or the second after a "#!" line) when
// "coding:" stands in it within the first 1024 bytes, else in a Local
// Variables list in the last 3072 bytes (after a form feed there, if
// any).
func findCoding(text string) (cookie, bool) {
	headEnd := min(len(text), 1024)
	tailStart := max(len(text)-3072, 0)
	headFound := indexFold(text[:headEnd], "coding:")
	if headFound >= 0 {
		headFound += len("coding:")
		if beg, end, ok := modeLine(text); ok && headFound < end {
			if m := headCodingRe.FindStringSubmatchIndex(text[beg:end]); m != nil {
				return cookie{name: text[beg+m[4] : beg+m[5]], written: text[beg+m[2] : beg+m[5]], at: beg + m[4]}, true
			}
		}
	}
	tail := text[tailStart:]
	if indexFold(tail, "coding:") < 0 {
		return cookie{}, false
	}
	from := 0
	if m := formFeedRe.FindStringIndex(tail); m != nil {
		from = m[1]
	}
	lv := localVariablesRe.FindStringSubmatchIndex(tail[from:])
	if lv == nil {
		return cookie{}, false
	}
	prefix := tail[from+lv[2] : from+lv[3]]
	suffix := tail[from+lv[4] : from+lv[5]]
	pos := from + lv[1] - 1 // the line end closing the Local Variables line
	end := len(tail)
	if e, ok := localVariablesEnd(tail, pos, prefix, suffix); ok {
		end = e
	}
	name, written, at, ok := localVariablesCoding(tail[:end], pos, prefix, suffix)
	if !ok {
		return cookie{}, false
	}
	return cookie{name: name, written: written, at: tailStart + at}, true
}

// The lines of a Local Variables list are matched as Emacs's
// hack-local-variables-prop-line matches them, in regular expressions
// made of the list's prefix and suffix, case folded: here by hand, the
// prefix and suffix compared as bytes (a Latin-1 file's are no UTF-8,
// which Go's regexp refuses) with ASCII case folded. A line starts after
// each CR or LF (a CRLF's LF starts an empty one).

// localVariablesEnd is the offset in text just past the first "End:"
// line after pos (and the line end directly after its suffix, if any).
func localVariablesEnd(text string, pos int, prefix, suffix string) (int, bool) {
	for i := pos; i < len(text); i++ {
		if text[i] != '\r' && text[i] != '\n' {
			continue
		}
		rest, _, ok := listLine(text[i+1:], prefix, "end", " ")
		if !ok {
			continue
		}
		if rest, ok = cutPrefixASCIIFold(rest, suffix); !ok {
			continue
		}
		e := len(text) - len(rest)
		if e < len(text) && (text[e] == '\r' || text[e] == '\n') {
			e++
		}
		return e, true
	}
	return 0, false
}

// localVariablesCoding is the first "coding:" line of the list after
// pos in text: its coding's name, the cookie as written, the offset of
// the name. The name is the longest run of non-blanks after which blanks
// and the suffix end the line (a line end must follow).
func localVariablesCoding(text string, pos int, prefix, suffix string) (name, written string, at int, ok bool) {
	for i := pos; i < len(text); i++ {
		if text[i] != '\r' && text[i] != '\n' {
			continue
		}
		lineEnd := strings.IndexAny(text[i+1:], "\r\n")
		if lineEnd < 0 {
			return "", "", 0, false
		}
		line := text[i+1 : i+1+lineEnd]
		rest, start, found := listLine(line, prefix, "coding", " \t")
		if !found {
			continue
		}
		nameAt := len(line) - len(rest)
		if len(rest) < len(suffix) || asciiLower(rest[len(rest)-len(suffix):]) != asciiLower(suffix) {
			continue
		}
		n := strings.TrimRight(rest[:len(rest)-len(suffix)], " \t")
		if n == "" || strings.ContainsAny(n, " \t") {
			continue
		}
		return n, line[start : nameAt+len(n)], i + 1 + nameAt, true
	}
	return "", "", 0, false
}

// listLine matches the start of a line of a Local Variables list,
// prefix[ \t]*VARIABLE[blanks]*:[ \t]*, and gives what follows it and
// the offset of VARIABLE in line (blanks: the blanks Emacs's regular
// expression allows before the colon, " " after End, " \t" after a
// variable).
func listLine(line, prefix, variable, blanks string) (rest string, at int, ok bool) {
	rest, ok = cutPrefixASCIIFold(line, prefix)
	if !ok {
		return "", 0, false
	}
	rest = strings.TrimLeft(rest, " \t")
	at = len(line) - len(rest)
	if rest, ok = cutPrefixASCIIFold(rest, variable); !ok {
		return "", 0, false
	}
	if rest, ok = strings.CutPrefix(strings.TrimLeft(rest, blanks), ":"); !ok {
		return "", 0, false
	}
	return strings.TrimLeft(rest, " \t"), at, true
}

// cutPrefixASCIIFold is strings.CutPrefix with ASCII letters' case
// folded (Emacs's case-fold-search on a file's undecoded bytes).
func cutPrefixASCIIFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || asciiLower(s[:len(prefix)]) != asciiLower(prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// asciiLower lowers ASCII letters only, leaving every other byte as it is.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

var (
	headCodingRe     = regexp.MustCompile(`(?i)(?:.*;)?[ \t]*(coding:[ \t]*([^ ;]+))`)
	formFeedRe       = regexp.MustCompile(`[\r\n]\f`)
	localVariablesRe = regexp.MustCompile(`(?i)[\r\n]([^\r\n]*)[ \t]*Local Variables:[ \t]*([^\r\n]*)[\r\n]`)
)

// modeLine is set-auto-mode-1: the bytes between the -*- marks of the
// first line (the second too after a "#!" or '\" line), blanks around
// them left out.
func modeLine(text string) (beg, end int, ok bool) {
	lineEnd := func(from int) int {
		if i := strings.IndexByte(text[from:], '\n'); i >= 0 {
			return from + i
		}
		return len(text)
	}
	limit := lineEnd(0)
	if strings.HasPrefix(text, "#!") || strings.HasPrefix(text, `'\"`) {
		if limit < len(text) {
			limit = lineEnd(limit + 1)
		}
	}
	i := strings.Index(text[:limit], "-*-")
	if i < 0 {
		return 0, 0, false
	}
	beg = i + 3
	for beg < len(text) && (text[beg] == ' ' || text[beg] == '\t') {
		beg++
	}
	stop := lineEnd(beg)
	j := strings.Index(text[beg:stop], "-*-")
	if j < 0 {
		return 0, 0, false
	}
	end = beg + j
	for end > beg && (text[end-1] == ' ' || text[end-1] == '\t') {
		end--
	}
	return beg, end, true
}

// indexFold is strings.Index of an ASCII needle, letter case folded.
func indexFold(s, needle string) int {
	n := len(needle)
	for i := 0; i+n <= len(s); i++ {
		if strings.EqualFold(s[i:i+n], needle) {
			return i
		}
	}
	return -1
}
