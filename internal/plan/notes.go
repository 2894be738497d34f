package plan

import (
	"fmt"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// notes lists what Babel would do with a block's header arguments that
// Borges does not: the block still runs, and the user is told how it
// differs, at submission and in the document's view.
// unkept, when set, says why the block's :session is not kept; hashed is
// set when the block's result is written under a :cache hash.
func notes(blk *org.Block, unkept string, hashed bool) []string {
	var out []string
	if v, ok := blk.Args.Get("session"); ok && v != "none" && unkept != "" {
		out = append(out, ":session "+v+": "+unkept+": this block runs as its own process; variables and state do not carry over between blocks as in an Emacs session")
	}
	if a, ok := blk.Args.Lookup("dir"); ok && !a.String && isLispForm(a.Value) && (blk.Call == nil || !blk.Call.DirOfBlock) {
		// A form Borges does not evaluate (a constant, '"sub", it
		// reads itself: org.Arg.Written). Borges places the block
		// before anything runs, so the directory is taken as
		// written, and so is the :cache hash. A call's called block's
		// :dir Emacs takes as written too (Call.DirOfBlock): no
		// difference.
		out = append(out, ":dir "+a.Value+": Emacs evaluates it as Lisp and runs the block in the directory it names; Borges runs the block in a directory of that name as written: write the directory itself")
	}
	if hashed {
		out = append(out, formsHashed(blk.Args)...)
	}
	return out
}

// formsHashed says of each Lisp form (org.Arg.Form) in the arguments of a
// block whose :cache hash is written that Borges hashes it as written,
// where Emacs hashes the value it evaluates to (org-babel-sha1-hash): the
// hashes differ, so Emacs runs the block once more and writes its own.
// org.Parse refuses a form in an argument Borges reads; :dir has a note
// of its own, and a :file-mode Borges evaluates is hashed as Emacs does.
func formsHashed(args org.Args) []string {
	var out []string
	for _, a := range args {
		if !a.Form || a.Key == "dir" {
			continue
		}
		if a.Key == "file-mode" && fileModeForm(a.Value) {
			continue
		}
		out = append(out, ":"+a.Key+" "+a.Value+": Emacs hashes what this form evaluates to, Borges hashes it as written: "+
			"the block's result is the same, but its hash differs from Emacs's, so Emacs runs the block once more and writes its own; write the value itself to keep the hash")
	}
	return out
}

// documentNotes are said of the document as a whole: an #+include: or
// #+setupfile: line reaches the server unexpanded when the document was
// sent as it is (curl, the page), and the server does not read the
// sender's files, so what they would bring in is missing.
func documentNotes(doc *org.Document) []string {
	var out []string
	for _, k := range doc.Keywords {
		switch strings.ToLower(k.Key) {
		case "include", "setupfile":
			if doc.Commented(k.Line) {
				continue // Org expands nothing under a COMMENT heading
			}
			out = append(out, fmt.Sprintf("line %d: #+%s: %s was not expanded: the server does not read the files of whoever sends a document, "+
				"so what it names is missing; `borges submit FILE` expands it before sending", k.Line, strings.ToLower(k.Key), k.Value))
		}
	}
	for _, c := range doc.InlineUnrun {
		if why := inlineUnrunWhy(c); why != "" {
			out = append(out, fmt.Sprintf("line %d: %s: Emacs runs nothing for this inline call, and neither does Borges: %s", c.Line, inlineCallText(c), why))
		}
	}
	return out
}

// inlineUnrunWhy is why org-babel-lob-execute-maybe finds nothing to
// run for an inline call and Emacs runs nothing, silently: its name's
// first element is data (Call.Overridden), or it is written only with a
// spelling Babel does not search (Call.Unsearched). "" for another
// reason (no block of that name, a call of itself), which is refused
// (inlineUnrunProblems).
func inlineUnrunWhy(c *org.Call) string {
	switch {
	case c.Overridden != "":
		return strings.TrimSuffix(c.Overridden, ": Emacs runs nothing for this call")
	case c.Unsearched != "":
		return fmt.Sprintf("%q is named by %s, which org-babel-lob--src-info does not search (only #+name: and #+tblname:)", c.Name, org.NameKeyword(c.Unsearched))
	}
	return ""
}

// inlineUnrunProblems are the inline calls refused as a #+call: line
// of theirs would be: no block has the name (a typo, most likely), or
// the call comes back to itself.
func inlineUnrunProblems(doc *org.Document) []Problem {
	var out []Problem
	for _, c := range doc.InlineUnrun {
		if inlineUnrunWhy(c) == "" && c.Problem != "" {
			text := inlineCallText(c)
			out = append(out, Problem{Line: c.Line, Block: text, Why: "inline call " + text + ": " + strings.TrimPrefix(c.Problem, "#+call: ")})
		}
	}
	return out
}

// inlineCallText is an inline call as written: call_NAME[inside](args)[outside].
func inlineCallText(c *org.Call) string {
	var b strings.Builder
	b.WriteString("call_" + c.Name)
	if c.Inside != "" {
		b.WriteString("[" + c.Inside + "]")
	}
	b.WriteString("(" + c.Arguments + ")")
	if c.Outside != "" {
		b.WriteString("[" + c.Outside + "]")
	}
	return b.String()
}

// fileModeForm reports whether form is a :file-mode form Borges evaluates
// itself, (identity N).
func fileModeForm(form string) bool {
	_, ok := fileMode(form)
	return ok
}
