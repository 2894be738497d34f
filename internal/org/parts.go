package org

import (
	"regexp"
	"strings"
)

// Part is one note and the output under it in a Borges results drawer
// (Result.Parts): a block that failed, was killed or lost, or one of the
// instances of a block run as several.
type Part struct {
	// Note is the part's first line ("borges: failed — timed out after
	// 2s", "borges: instance 1"). Line breaks in it become spaces.
	Note string
	// Output is what the part produced, formatted under the note as
	// Babel formats a result for the block's :results.
	Output string
	// Verbatim writes Output as ": " lines whatever :results asks for:
	// an output not complete (a running instance) made into a table
	// would mislead.
	Verbatim bool
}

// partsDrawer is the ":results:" drawer that holds a result's parts. A
// drawer right after "#+RESULTS:" is one element to
// org-babel-result-end, so running the block again in Emacs replaces it
// whole. Drawers do not nest and end at the first ":end:" line; a
// headline ends them too. A part whose Babel formatting would hold
// either (":results drawer", an output with such a line in a raw result
// or an example block) is written as ": " lines instead, which hold
// neither.
func partsDrawer(b *Block, r Result, rp []string, visit Visit) resultText {
	var sb strings.Builder
	sb.WriteString(":results:\n")
	for _, part := range r.Parts {
		sb.WriteString(strings.TrimSpace(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(part.Note)))
		sb.WriteString("\n")
		sb.WriteString(partBody(b, r.Reader, part, rp, visit))
	}
	sb.WriteString(":end:\n")
	return resultText{body: sb.String()}
}

// breaksDrawer matches a line that would end the drawer early: its end
// line, or a headline.
var breaksDrawer = regexp.MustCompile(`(?im)^([ \t]*:end:[ \t]*$|\*+[ \t])`)

// partBody is one part's output as Babel would write it for the block,
// or as ": " lines where that would not stay inside the drawer.
func partBody(b *Block, reader Reader, part Part, rp []string, visit Visit) string {
	if !part.Verbatim {
		v := reader.evaluate(part.Output, rp)
		ok := true
		if hasWord(rp, "file") {
			v, ok = fileLink(b, v, visit)
		}
		if ok {
			body, _, _ := formatResult(v, rp, b, visit)
			s := body.String()
			if s != "" && !strings.HasSuffix(s, "\n") {
				s += "\n"
			}
			if !breaksDrawer.MatchString(s) {
				return s
			}
		}
	}
	return fixedWidth(part.Output)
}

// fixedWidth is s as ": " lines (":" alone for an empty line, as Org
// writes it), however many.
func fixedWidth(s string) string {
	var sb strings.Builder
	for rest := s; rest != ""; {
		ln, after := cutLine(rest)
		rest = after
		ln = strings.TrimSuffix(ln, "\n")
		if ln == "" {
			sb.WriteString(":\n")
			continue
		}
		sb.WriteString(": ")
		sb.WriteString(ln)
		sb.WriteString("\n")
	}
	return sb.String()
}
