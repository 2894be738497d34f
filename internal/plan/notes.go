package plan

import "github.com/wallyqs/borges/internal/org"

// notes lists what Babel would do with a block's header arguments that
// Borges does not: the block still runs, and the user is told how it
// differs, at submission and in the document's view.
func notes(blk *org.Block) []string {
	var out []string
	if v, ok := blk.Args.Get("session"); ok && v != "none" {
		out = append(out, ":session "+v+": each block runs as its own process; variables and state do not carry over between blocks as in an Emacs session")
	}
	if v, _ := blk.Args.Get("hlines"); v == "yes" && len(blk.Vars) > 0 {
		out = append(out, ":hlines yes: rules of :var tables are dropped, as with :hlines no")
	}
	return out
}
