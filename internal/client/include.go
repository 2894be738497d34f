package client

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// This file expands #+include: and #+setupfile: before a document is sent,
// as Org 9.5's org-export-expand-include-keyword does (ox.el), because the
// server never reads the sender's files. It keeps, for every line of the
// text sent, the file and line it came from, so that what the server says
// about a line can name the line the user wrote.

// Origin is where a line of an expanded document comes from: a line of
// the user's file, of a file it includes, or (for the #+BEGIN_/#+END_
// lines wrapped around a src or example include) the #+include: line.
type Origin struct {
	File string // as the user named it (relative to the working directory, or absolute)
	Line int    // 1-based
}

func (o Origin) String() string { return fmt.Sprintf("%s:%d", o.File, o.Line) }

// Source is an expanded document and where each of its lines came from.
type Source struct {
	Text string
	// Encoding is how the file holds its text (a BOM, its line ends):
	// Text is decoded, and the document given back is encoded so.
	Encoding org.Encoding
	Origins  []Origin // Origins[i] is line i+1 of Text
}

// Where names line n (1-based) of the expanded text in the user's files;
// ok is false for a line the text does not have.
func (s *Source) Where(n int) (Origin, bool) {
	if n < 1 || n > len(s.Origins) {
		return Origin{}, false
	}
	return s.Origins[n-1], true
}

var (
	includeRe   = regexp.MustCompile(`(?i)^([ \t]*)#\+include:(.*)$`)
	setupfileRe = regexp.MustCompile(`(?i)^[ \t]*#\+setupfile:[ \t]*(.*?)[ \t]*$`)
	headingRe   = regexp.MustCompile(`^(\*+)[ \t]`)
	todoRe      = regexp.MustCompile(`(?i)^[ \t]*#\+(?:seq_|typ_)?todo:(.*)$`)
	// The arguments of an #+include: value, in the order ox.el takes them
	// off the value.
	incFileRe     = regexp.MustCompile(`^("[^"]+?"|\S+)(?:\s+|$)`)
	incCodingRe   = regexp.MustCompile(`:coding +\S+`)
	incOnlyRe     = regexp.MustCompile(`:only-contents *([^: \r\t\n]\S*)?`)
	incLinesRe    = regexp.MustCompile(`:lines +"([0-9]*-[0-9]*)"`)
	incExampleRe  = regexp.MustCompile(`\bexample\b`)
	incExportRe   = regexp.MustCompile(`\bexport(?: +(.*))?`)
	incSrcRe      = regexp.MustCompile(`\bsrc(?: +(.*))?`)
	incMinlevelRe = regexp.MustCompile(`:minlevel +([0-9]+)`)
	incBlockRe    = regexp.MustCompile(`\b(\S+)\b`)
	// Lines org-escape-code-in-string protects with a comma.
	escapeRe = regexp.MustCompile(`(?m)^([ \t]*)(,*(?:\*|#\+))`)
	urlRe    = regexp.MustCompile(`(?i)^[a-z][a-z0-9+.-]*://`)
)

// line is one line of the text being built, without its newline.
type line struct {
	text   string
	origin Origin
}

// Resolve reads an Org file and returns it with its #+include: and
// #+setupfile: lines expanded (see Expand).
func Resolve(path string) (string, error) {
	s, err := Expand(path)
	if err != nil {
		return "", err
	}
	return s.Text, nil
}

// Expand reads an Org file and inlines what Emacs would read from other
// files, relative to the including file, recursively:
//   - #+include: "f" — f as Org, with :lines "A-B" (lines A to B-1), blank
//     lines around it removed, its headings shifted under the heading the
//     keyword is in (or to :minlevel N), indented as the keyword is;
//   - #+include: "f" src LANG ARGS, example, export BACKEND — f wrapped in
//     that block, its "*" and "#+" lines escaped with a comma, as
//     org-export-expand-include-keyword writes it;
//   - #+include: "f" NAME (quote, center…) — f wrapped in #+BEGIN_NAME;
//   - #+setupfile: f — the "#+" settings of f.
//
// A URL, a search option ("f::*heading") or a file that includes itself is
// an error naming the line; nothing is fetched from the network.
func Expand(path string) (*Source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// The file as Emacs reads it into the buffer it expands (a BOM
	// dropped, CRLF line ends decoded), as borges.el sends a buffer.
	text, enc, err := org.DocumentText(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	trailingNewline := strings.HasSuffix(text, "\n")
	lines := split(strings.TrimSuffix(text, "\n"), path)
	if text == "" {
		lines = nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	out, err := expandLines(lines, abs, map[string]bool{abs + "\x00": true}, 0)
	if err != nil {
		return nil, err
	}
	s := &Source{Encoding: enc}
	var b strings.Builder
	for i, l := range out {
		b.WriteString(l.text)
		if i < len(out)-1 || trailingNewline {
			b.WriteByte('\n')
		}
		s.Origins = append(s.Origins, l.origin)
	}
	s.Text = b.String()
	return s, nil
}

// split cuts text into lines, each knowing its place in file.
func split(text, file string) []line {
	parts := strings.Split(text, "\n")
	out := make([]line, len(parts))
	for i, p := range parts {
		out[i] = line{text: strings.TrimSuffix(p, "\r"), origin: Origin{File: file, Line: i + 1}}
		if strings.HasSuffix(p, "\r") {
			out[i].text = p // a CR is the user's; keep it
		}
	}
	return out
}

// expandLines expands the keywords of lines, which belong to the file abs;
// active holds the (file, :lines) pairs being expanded, against loops.
func expandLines(lines []line, abs string, active map[string]bool, depth int) ([]line, error) {
	if depth > 20 {
		return nil, fmt.Errorf("includes nest more than 20 deep")
	}
	dir := filepath.Dir(abs)
	var out []line
	inBlock := false
	level := 0       // of the heading the current line is under
	commentedAt := 0 // level of the COMMENT heading the line is under; 0: none
	todo := todoWords(lines)
	for _, l := range lines {
		trimmed := strings.ToLower(strings.TrimSpace(l.text))
		if m := headingRe.FindStringSubmatch(l.text); m != nil && !inBlock {
			level = len(m[1])
			if commentedAt > 0 && level <= commentedAt {
				commentedAt = 0
			}
			if commentedAt == 0 && commentedTitle(l.text[len(m[1]):], todo) {
				commentedAt = level
			}
		}
		if commentedAt > 0 {
			// Org expands nothing under a COMMENT heading.
			out = append(out, l)
			continue
		}
		switch {
		case strings.HasPrefix(trimmed, "#+begin_"):
			inBlock = true
		case strings.HasPrefix(trimmed, "#+end_"):
			inBlock = false
		}
		if inBlock {
			out = append(out, l)
			continue
		}
		if m := includeRe.FindStringSubmatch(l.text); m != nil {
			more, err := include(l, len(m[1]), strings.TrimSpace(m[2]), dir, level, active, depth)
			if err != nil {
				return nil, fmt.Errorf("%s: #+include: %w", l.origin, err)
			}
			out = append(out, more...)
			continue
		}
		if m := setupfileRe.FindStringSubmatch(l.text); m != nil {
			more, err := setupfile(m[1], dir, l.origin, active, depth)
			if err != nil {
				return nil, fmt.Errorf("%s: #+setupfile: %w", l.origin, err)
			}
			out = append(out, more...)
			continue
		}
		out = append(out, l)
	}
	return out, nil
}

// include expands one #+include: line whose value is value and whose
// indentation is ind columns, under a heading of the given level.
func include(kw line, ind int, value, dir string, level int, active map[string]bool, depth int) ([]line, error) {
	m := incFileRe.FindStringSubmatch(value)
	if m == nil {
		return nil, nil // no file named: Org drops the line
	}
	value = value[len(m[0]):]
	name := strings.Trim(m[1], `"`)
	if urlRe.MatchString(name) {
		return nil, fmt.Errorf("%s is a URL: Borges includes local files only and fetches nothing from the network; download it and include the copy", name)
	}
	if i := strings.Index(name, "::"); i >= 0 {
		return nil, fmt.Errorf("%s: search options (::…) are not supported; use :lines \"A-B\"", name)
	}
	value = incCodingRe.ReplaceAllString(value, "")
	if loc := incOnlyRe.FindStringIndex(value); loc != nil {
		value = value[:loc[0]] + value[loc[1]:]
	}
	lines := ""
	if lm := incLinesRe.FindStringSubmatchIndex(value); lm != nil {
		lines = value[lm[2]:lm[3]]
		value = value[:lm[0]] + value[lm[1]:]
	}
	literal, args, hasArgs := false, "", false
	for _, re := range []*regexp.Regexp{incExampleRe, incExportRe, incSrcRe} {
		if sm := re.FindStringSubmatchIndex(value); sm != nil {
			literal = true
			if len(sm) > 2 && sm[2] >= 0 {
				args, hasArgs = value[sm[2]:sm[3]], true
			}
			break
		}
	}
	minlevel := 0
	if !literal {
		if mm := incMinlevelRe.FindStringSubmatchIndex(value); mm != nil {
			minlevel, _ = strconv.Atoi(value[mm[2]:mm[3]])
			value = value[:mm[0]] + value[mm[1]:]
		} else {
			minlevel = level + 1
		}
	}
	block := ""
	if bm := incBlockRe.FindStringSubmatch(value); bm != nil {
		block = bm[1]
	}

	file := name
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	key := file + "\x00" + lines
	if active[key] {
		return nil, fmt.Errorf("%s includes itself", name)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	display := displayName(kw.origin.File, name)
	// Read as Org reads it (insert-file-contents decodes it).
	text, _, err := org.DocumentText(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	contents := prepare(split(strings.TrimSuffix(text, "\n"), display), lines)
	indent := strings.Repeat(" ", ind)
	wrap := func(begin string, body []line) []line {
		out := []line{{text: indent + begin, origin: kw.origin}}
		out = append(out, body...)
		return append(out, line{text: indent + "#+END_" + block, origin: kw.origin})
	}
	switch {
	case literal:
		for i := range contents {
			contents[i].text = escapeRe.ReplaceAllString(contents[i].text, "$1,$2")
		}
		begin := "#+BEGIN_" + block
		if hasArgs {
			begin += " " + args
		}
		return wrap(begin, contents), nil
	case block != "":
		return wrap("#+BEGIN_"+block, contents), nil
	}
	// An Org file: indented like the keyword up to its first heading, its
	// headings moved to minlevel, then its own keywords expanded.
	if ind > 0 {
		for i := range contents {
			if headingRe.MatchString(contents[i].text) {
				break
			}
			contents[i].text = indent + contents[i].text
		}
	}
	shiftHeadings(contents, minlevel)
	active[key] = true
	defer delete(active, key)
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	return expandLines(contents, abs, active, depth+1)
}

// prepare is org-export--prepare-file-contents for what Borges needs: the
// :lines "A-B" range (lines A to B-1; an empty bound is the file's start
// or end), then blank lines at both ends removed.
func prepare(lines []line, rng string) []line {
	if rng != "" {
		a, b, _ := strings.Cut(rng, "-")
		from, _ := strconv.Atoi(a)
		to, _ := strconv.Atoi(b)
		start, end := 0, len(lines)
		if from > 0 {
			start = min(from-1, len(lines))
		}
		if to > 0 {
			end = min(to-1, len(lines))
		}
		if start >= end {
			return nil
		}
		lines = lines[start:end]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0].text) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1].text) == "" {
		lines = lines[:len(lines)-1]
	}
	return append([]line(nil), lines...)
}

// shiftHeadings moves the headings of an included Org file so that the
// highest of them is at minlevel (ox.el changes the stars only).
func shiftHeadings(lines []line, minlevel int) {
	if minlevel <= 0 {
		return
	}
	lowest := 0
	for _, l := range lines {
		if m := headingRe.FindStringSubmatch(l.text); m != nil && (lowest == 0 || len(m[1]) < lowest) {
			lowest = len(m[1])
		}
	}
	if lowest == 0 || lowest == minlevel {
		return
	}
	for i, l := range lines {
		if m := headingRe.FindStringSubmatch(l.text); m != nil {
			lines[i].text = strings.Repeat("*", max(len(m[1])+minlevel-lowest, 1)) + l.text[len(m[1]):]
		}
	}
}

// setupfile brings in the "#+" settings of a setup file, expanded in turn.
func setupfile(value, dir string, at Origin, active map[string]bool, depth int) ([]line, error) {
	name := strings.Trim(value, `"`)
	if urlRe.MatchString(name) {
		return nil, fmt.Errorf("%s is a URL: Borges reads local setup files only and fetches nothing from the network; download it and name the copy", name)
	}
	file := name
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	if active[file+"\x00"] {
		return nil, fmt.Errorf("%s includes itself", name)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	active[file+"\x00"] = true
	defer delete(active, file+"\x00")
	var settings []line
	text, _, err := org.DocumentText(string(data)) // as Org reads it
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for _, l := range split(strings.TrimSuffix(text, "\n"), displayName(at.File, name)) {
		if strings.HasPrefix(strings.TrimSpace(l.text), "#+") {
			settings = append(settings, l)
		}
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	expanded, err := expandLines(settings, abs, active, depth+1)
	if err != nil {
		return nil, err
	}
	// What a setup file's own #+include: brings in counts for its
	// settings only: a setup file contributes no prose and no blocks.
	kept := expanded[:0]
	for _, l := range expanded {
		if strings.HasPrefix(strings.TrimSpace(l.text), "#+") {
			kept = append(kept, l)
		}
	}
	return kept, nil
}

// displayName is how messages name a file that includer names as name:
// relative to where the includer was named from.
func displayName(includer, name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(filepath.Dir(includer), name)
}

// todoWords are the TODO keywords a heading may start with (a COMMENT
// heading may carry one before COMMENT): those of the file's #+TODO:
// lines, else Org's TODO and DONE.
func todoWords(lines []line) []string {
	var words []string
	for _, l := range lines {
		if m := todoRe.FindStringSubmatch(l.text); m != nil {
			for _, w := range strings.Fields(m[1]) {
				if w != "|" {
					words = append(words, strings.SplitN(w, "(", 2)[0])
				}
			}
		}
	}
	if words == nil {
		words = []string{"TODO", "DONE"}
	}
	return words
}

// commentedTitle reports whether a heading's text (after its stars)
// starts, after an optional TODO keyword and priority cookie, with COMMENT.
func commentedTitle(rest string, todo []string) bool {
	rest = strings.TrimLeft(rest, " \t")
	for _, kw := range todo {
		if strings.HasPrefix(rest, kw+" ") || strings.HasPrefix(rest, kw+"\t") {
			rest = strings.TrimLeft(rest[len(kw):], " \t")
			break
		}
	}
	if len(rest) >= 4 && rest[0] == '[' && rest[1] == '#' && rest[3] == ']' {
		rest = strings.TrimLeft(rest[4:], " \t")
	}
	return strings.HasPrefix(rest, "COMMENT") && (len(rest) == 7 || rest[7] == ' ' || rest[7] == '\t')
}
