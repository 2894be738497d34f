package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// A "shell" block's shell is known only where it runs (shellfile.go):
// its variables take bash's forms where that shell's name ends in
// "bash". Some values bash's forms cannot bind (bashAssocRuleStop: a
// table of two columns or more keeping a rule, a list whose later item
// is no list) stop Emacs before the block runs. The program chooses
// there: where its shell is bash it does not run the block but prints a
// mark and Emacs's error (shellBindStopOutput), which ResultStop reads
// back as the stop. The mark holds a digest of the block's text and the
// error, so that output of a block's own that merely looks like the mark
// (its text printed, or another block's) is no stop. It is
// tamper-evidence against such accidents, not a secret: a block that
// reads its own document where it runs can compute the digest and print
// the mark, stopping the document where Emacs would not.

// shellBindStopMark begins the output of such a program.
const shellBindStopMark = "#<borges-shell-binding-stop "

// runBashStop is the error Emacs stops with before the "shell" block of
// task t runs where its shell is bash, the values being refs, "" where
// bash's forms bind them (or where the shell is known already:
// runVars).
func (t *Task) runBashStop(blk *org.Block, body string, refs map[string]Value) (string, error) {
	if t.Lang != "shell" || t.ShellFileName != "" {
		return "", nil
	}
	_, err := t.expandAround(blk, body, refs, bashVars)
	if refErr := (*ReferenceError)(nil); errors.As(err, &refErr) && refErr.Binding {
		return refErr.Emacs, nil
	}
	return "", err
}

// shellBindStopOutput is what the program of task t's block blk prints,
// where its shell is bash, instead of running it: the mark and why,
// Emacs's error.
func shellBindStopOutput(doc *org.Document, blk *org.Block, why string) string {
	return shellBindStopMark + shellBindDigest(doc, blk, why) + ">" + why
}

// shellBindDigest ties the mark to the block's text and the error.
func shellBindDigest(doc *org.Document, blk *org.Block, why string) string {
	h := sha256.New()
	h.Write([]byte(doc.Text[blk.Start:blk.End]))
	h.Write([]byte{0})
	h.Write([]byte(why))
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// shellBindStopMayBe reports, from task t's block alone, whether its
// program may print the mark (ResultMayStop): a "shell" block whose
// shell is chosen where it runs (in a session, by the session's
// shell-file-name: session.ShellFormsBody), given a value that may be a
// list or a table: bash binds every scalar (bashAssocRuleStop), so a
// block given scalars alone is not read for it.
func shellBindStopMayBe(t *Task) bool {
	return t.Lang == "shell" && t.ShellFileName == "" && slices.ContainsFunc(t.values, mayBeList)
}

// mayBeList reports whether bv may be a list or a table where the block
// runs: one written so, or a value known only then (a block's results,
// *this*, named data read back, a Lisp value).
func mayBeList(bv boundValue) bool {
	return bv.ref != "" || bv.lisp != "" || bv.this || bv.readBack != "" || bv.value.IsList || bv.value.Table != nil
}

// shellBindStopIn is the error the output raw of task t's block blk
// says Emacs stops with (shellBindStopOutput); ok is false for any other
// output.
func shellBindStopIn(doc *org.Document, blk *org.Block, t *Task, raw string) (string, bool) {
	if !shellBindStopMayBe(t) {
		return "", false
	}
	rest, ok := strings.CutPrefix(raw, shellBindStopMark)
	if !ok {
		return "", false
	}
	digest, why, ok := strings.Cut(rest, ">")
	if !ok || why == "" || digest != shellBindDigest(doc, blk, why) {
		return "", false
	}
	return why, true
}

// ShellBindStop reports whether why, the stop read from the output of
// task t (ResultStop), is the binding stop its program printed
// (shellBindStopIn): Emacs makes it binding the block's values, before
// the block runs. Like every stop made before the results are written
// (ResultStopReferred), it stops a reference that runs the block at the
// referring block.
func ShellBindStop(t *Task, why string) bool {
	return shellBindStopMayBe(t) && strings.HasPrefix(why, wrongTypeListp(""))
}

// shebangBindStopScript is the program of a :shebang "shell" block
// (run as its file, by its #! line) whose values bash's forms cannot
// bind: an sh program that, where the block's shell (shell, a word of
// the program after prelude: Task.shellWord) is bash, prints bashStop
// as the block's program does (shellScriptChoice), and else writes
// script, the block's own, to a file of a new temporary directory and
// runs it as that file, as ob-shell runs a :shebang block's.
func shebangBindStopScript(prelude, shell, script, bashStop string) string {
	return "#!/bin/sh\n" + prelude + `case "` + shell + `" in
*bash) printf %s ` + shQuote(bashStop) + `; exit 0 ;;
esac
` + shellScriptDir + `printf %s ` + shQuote(script) + ` >"$__borges_dir/sh-script-borges" && chmod 755 "$__borges_dir/sh-script-borges" || { rm -rf "$__borges_dir"; exit 1; }
"$__borges_dir/sh-script-borges"
__borges_status=$?
rm -rf "$__borges_dir"
exit "$__borges_status"
`
}
