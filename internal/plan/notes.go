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
		why := c.Overridden
		if why == "" {
			why = c.Problem
		}
		out = append(out, fmt.Sprintf("line %d: call_%s(): Emacs runs nothing for this inline call, and neither does Borges: %s", c.Line, c.Name, why))
	}
	return out
}

// fileModeForm reports whether form is a :file-mode form Borges evaluates
// itself, (identity N).
func fileModeForm(form string) bool {
	_, ok := fileMode(form)
	return ok
}
