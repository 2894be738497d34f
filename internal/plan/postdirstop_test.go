package plan

import (
	"strings"
	"testing"
)

// TestPostDirStops: a block's :post runs the block it calls inside the
// block's binding of default-directory to its :dir, so a relative :dir
// of the callee's joins under it, and one with none runs there; where
// that directory certainly does not exist then, Emacs stops
// org-babel-execute-buffer at the block once its own program has run
// (an Emacs Lisp body runs in a missing directory), the :post's process
// not started, writing no results for it nor the blocks after (checked
// with Emacs 28.2: fixtures hunt19_gap_post_joined_dir,
// hunt19_gap_elisp_missing_dir, postdir_*). What Babel or an earlier
// program may have made plans no stop, as for dirStop; only a shell
// program of literal mkdir and commands that make no directory is
// known not to have made it.
func TestPostDirStops(t *testing.T) {
	where := "#+name: where\n" + block(`sh :var x="" :dir c`, `echo "$x @ $(basename "$PWD")"`)
	whereD := "#+name: where\n" + block(`sh :var x="" :dir d`, "echo $x")
	here := "#+name: where\n" + block(`sh :var x=""`, `echo "$x here"`)
	after := block("sh :results output", "echo after")
	// between is a document whose block of lang runs body between the
	// block that makes a and c and the one whose :post joins a/c.
	between := func(lang, body string) string {
		return block("sh :results silent", "mkdir -p a c") + block(lang+" :results silent", body) + where +
			block("sh :dir a :post where(x=*this*)", "echo start") + after
	}
	for _, c := range []struct {
		text, want string
		visit      bool
	}{
		// The fixtures: joined under the block's :dir, and a
		// missing :dir of an Emacs Lisp block.
		{block("sh :results silent", "mkdir -p a c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{here + block("emacs-lisp :dir nosuch :post where(x=*this*)", `"el"`) + after, "nosuch/", false},
		{block("emacs-lisp :dir nosuch :post where(x=*this*)", "42") + here, "nosuch/", false},
		// The block's :dir made by :mkdirp, not the callee's below it.
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + where, "a/c/", false},
		// What the block's own program makes, literal, below its :dir.
		{block("sh :results silent", "mkdir -p a") + block("sh :dir a :post where(x=*this*)", "mkdir d; echo s") + where, "a/c/", false},
		// Made: by an earlier block, by the block's own program, by
		// :mkdirp on the callee, by an :output-dir.
		{block("sh :results silent", "mkdir -p a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c") + where + block("sh :dir a :post where(x=*this*)", "mkdir c; echo start"), "", false},
		{block("sh :results silent", "mkdir -p a") + "#+name: where\n" + block(`sh :var x="" :dir c :mkdirp yes`, "echo $x") +
			block("sh :dir a :post where(x=*this*)", "echo start"), "", false},
		{block("sh :eval no :output-dir a/c :file f.txt", "echo f") + block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + where, "", false},
		{block("sh :results silent", "mkdir -p a") + block("sh :dir a :post where(x=*this*)", "echo s") + here, "", false},
		{block("emacs-lisp :dir nosuch :mkdirp yes :post where(x=*this*)", `"el"`) + here, "", false},
		// An earlier program that may make it under a name it computes,
		// or runs what Borges does not read: no stop.
		{block("sh", "./setup.sh") + block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + where, "", false},
		{block("sh", "for d in c; do mkdir -p a/$d; done") + block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + where, "", false},
		{block("sh", "cd a && mkdir c") + block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + where, "", false},
		{block("sh", "mkdir -p a/{c,d}") + block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + where, "", false},
		{block("python", "import os\nos.makedirs('a/c')") + block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + where, "", false},
		{block("emacs-lisp :dir nosuch :post where(x=*this*)", `(make-directory default-directory t)`) + here, "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", `mkdir "$(echo c)"`) + where, "", false},
		// A mkdir whose names a command substitution, a subshell or a
		// group cuts, one inside another command's quotes, or one with
		// no literal name: what it makes is not read, no stop (the
		// first checked with Emacs 28.2: fixture postdir_mkdir_subst).
		{block("sh :results silent", "mkdir -p c cd") + block("sh :dir a :mkdirp yes :post where(x=*this*)", "mkdir $(echo c) ; echo s") + where + after, "", false},
		{block("sh :results silent", "mkdir -p c cd") + block("sh :dir a :mkdirp yes :post where(x=*this*)", "mkdir `echo c` ; echo s") + where + after, "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "mkdir c$(echo d); echo s") + "#+name: where\n" + block(`sh :var x="" :dir cd`, "echo $x"), "", false},
		{block("fish :dir a :mkdirp yes :post where(x=*this*)", "mkdir (echo c); echo s") + where, "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "{ mkdir c; }; echo s") + where, "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "(mkdir c); echo s") + where, "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "mkdir -p; echo s") + where, "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo \"; mkdir c ;\"") + where, "", false},
		// A mkdir on a condition: one that certainly does not run (after
		// true ||, false &&, where the line breaks after the operator
		// too) makes nothing, the stop stands (checked with Emacs 28.2:
		// fixture postdir_or_mkdir); one that may run, or stands in a
		// longer list, is not read: no stop.
		{block("sh :results silent", "mkdir -p a c\ntrue ||\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block("sh :results silent", "mkdir -p a c\ntrue || mkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block("sh :results silent", "mkdir -p a c\nfalse &&\n\nmkdir a/c\necho x") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block("sh :results silent", "mkdir -p a c\n: || mkdir a/c; echo x") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block("sh :results silent", "mkdir -p a c\nfalse ||\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\ntrue &&\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\ntest -d a/c ||\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\ntrue || mkdir a/c ||\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\nfalse && true ||\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\ntrue |\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "true ||\nmkdir c; echo s") + where, "a/c/", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "false ||\nmkdir c; echo s") + where, "", false},
		// A group or subshell after true || or false &&, an if's branch
		// its condition true, :, or false leaves out, a while false's or
		// until true's body: it never runs, what it holds makes nothing
		// (checked with Emacs 28.2: fixture postdir_compound_never_runs,
		// and each row so rewritten); the branch that runs is read as
		// any command; any other condition, or a shape but these, is
		// not read: no stop.
		{block("sh :results silent", "mkdir -p a c\ntrue || { mkdir a/c; }") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block("sh :results silent", "mkdir -p a c\nfalse && ( mkdir a/c )") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block("sh :results silent", "mkdir -p a c\nif true; then echo; else mkdir a/c; fi") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block("sh :results silent", "mkdir -p a c\nif false\nthen\n  mkdir a/c\nfi") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block("sh :results silent", "mkdir -p a c\nwhile false; do mkdir a/c; done") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block("sh :results silent", "mkdir -p a c\nif true; then mkdir a/d; fi\ntrue || { ./setup.sh; mkdir a/c; }; echo x") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{between("bash", "if true\nthen\ncat\nmkdir a/c\nfi"), "", false},
		// Only sh and bash (dash) read compound commands so: csh and
		// fish have no until, and run its body (checked with Emacs
		// 28.2); a shell block's shell is known only where it runs
		// (Emacs 28.2 stops here with SHELL=/bin/bash): no stop.
		{between("csh", "until true\ndo\nmkdir a/c\ndone"), "", false},
		{between("fish", "until true\ndo\nmkdir a/c\ndone"), "", false},
		{between("shell", "if false; then\nmkdir a/c\nfi"), "", false},
		{between("dash", "if false; then\nmkdir a/c\nfi"), "a/c/", false},
		// A function of the name of a condition may make it run what
		// reads as never run: no stop (checked with Emacs 28.2).
		{block("sh :results silent", "mkdir -p a c\ntrue () { false; }; echo\ntrue || mkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\ntrue () { false; }; echo\nif true; then echo; else mkdir a/c; fi") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\nfalse || { mkdir a/c; }") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\ntrue || { echo; } && mkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\nif false; then echo; else mkdir a/c; fi") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\nif true; then mkdir a/c; fi") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\nif test -d x; then echo; else mkdir a/c; fi") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\nuntil false; do mkdir a/c; break; done") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		// Only the plain literal shapes are certain, read on the program
		// as Babel joins it (:prologue, body, :epilogue, by newlines):
		// a quote anywhere, a byte but printable ASCII, tab and newline
		// (a non-breaking space or a carriage return is a word for sh),
		// make a mkdir on a condition unknown, the stop given up
		// (checked with Emacs 28.2: no stop but for the last two, which
		// stop at a/c/).
		{block("sh :results silent", "mkdir -p a c\n\"true \" || mkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\ntest -d \"x; true\" || mkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\nfalse && echo \"; true\" || mkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\ntrue ||\u00a0\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\ntrue ||\r\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block(`sh :results silent :prologue "mkdir -p a c; test -d zz &&"`, "true || mkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block(`sh :results silent :epilogue "true || mkdir a/c"`, "mkdir -p a c\nfalse &&") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block(`sh :results silent :epilogue "mkdir a/c"`, "mkdir -p a c\ntrue ||") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block(`sh :results silent :prologue "mkdir -p a c; true ||"`, "mkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		// ob-shell gives a plain block's script to its shell on standard
		// input: bash reads it by lines, so a cat reading its standard
		// input on a line of its own eats the lines after it, none of
		// which runs; the rest of its own line bash has read already
		// (checked with Emacs 28.2: fixtures postdir_bash_cat_eats,
		// postdir_cat_runs_on; and each row so rewritten). Where that
		// is not certain (sh, which is dash here and reads a small
		// script whole, another shell, a cat on a condition, in a list
		// going on past its line, given a file) what follows it is read
		// as running: no stop.
		{block("bash :results silent", "mkdir -p a c\ncat\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block("bash :results silent", "mkdir -p a c\ncat -\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block("bash :results silent", "mkdir -p a c\ncat\n./setup.sh\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "a/c/", false},
		{block("bash :dir a :mkdirp yes :post where(x=*this*)", "cat\nmkdir c\necho s") + where, "a/c/", false},
		{block("bash :results silent", "mkdir -p a c\ncat; mkdir a/c\necho x") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("bash :results silent", "mkdir -p a c; cat; mkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("sh :results silent", "mkdir -p a c\ncat\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("bash :results silent", "mkdir -p a c\ncat f\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("bash :results silent", "mkdir -p a c\ncat; false ||\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("bash :results silent", "mkdir -p a c\ntrue || cat\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{between("bash", "{ cat; }\nmkdir a/c"), "a/c/", false},
		{between("bash", "( cat )\nmkdir a/c"), "a/c/", false},
		{between("bash", "{ cat\nmkdir a/c; }"), "", false},
		// bash reads the whole command a line begins, through the if,
		// while or until that goes on to later lines, before it runs
		// any of it: the cat eats from the line after its fi or done,
		// the commands before that run (checked with Emacs 28.2). One
		// run in the background reads no script: no stop.
		{between("bash", "cat; if true; then\n  mkdir a/c\nfi"), "", false},
		{between("bash", "cat; if false; then echo; else\n  mkdir a/c\nfi"), "", false},
		{between("bash", "echo; cat; if :\nthen\nmkdir a/c\nfi"), "", false},
		{between("bash", "cat; while false; do\n  echo\ndone; mkdir a/c"), "", false},
		{between("bash", "{ cat\n} &\nmkdir a/c"), "", false},
		{between("bash", "cat; if true; then\necho\nfi\nmkdir a/c"), "a/c/", false},
		{between("bash", "cat; until true\ndo\nmkdir a/d\ndone\nmkdir a/c"), "a/c/", false},
		{between("bash", "{ cat\necho; }\nmkdir a/c"), "a/c/", false},
		{between("bash", "if true; then\necho\nfi; cat\nmkdir a/c"), "a/c/", false},
		{block("bash :results silent :cmdline x", "mkdir -p a c\ncat\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		{block("shell :results silent", "mkdir -p a c\ncat\nmkdir a/c") + where + block("sh :dir a :post where(x=*this*)", "echo start") + after, "", false},
		// mkdir without -p makes a name only where its parent exists
		// (Emacs stops at the block's own missing :dir, before its
		// program, where mkdir a/c failed: dirStop's, not certain).
		{block("sh :results silent", "mkdir a/c") + block("sh :dir a/c :post where(x=*this*)", "echo s") + whereD, "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "mkdir c/e; echo s") + where, "a/c/", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "mkdir -p c/e; echo s") + where, "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "mkdir c/e -p; echo s") + where, "", false},
		{block("sh :results silent", "mkdir -p a/c") + block("sh :dir a/c :post where(x=*this*)", "echo s") + whereD, "a/c/d/", false},
		{block("sh :results silent", "mkdir a a/c") + block("sh :dir a/c :post where(x=*this*)", "echo s") + whereD, "a/c/d/", false},
		{block("sh :results silent", "mkdir a") + block("sh :results silent", "mkdir a/c") + block("sh :dir a/c :post where(x=*this*)", "echo s") + whereD, "a/c/d/", false},
		{block("sh :results silent", "mkdir -p a") + block("sh :dir a :post where(x=*this*)", "mkdir c/d; echo s") + whereD, "a/d/", false},
		// Not certain, or no process started there.
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + where, "", true},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + "#+name: where\n" + block(`emacs-lisp :var x="" :dir c`, "x"), "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + "#+name: where\n" + block(`sh :var x="" :dir c :session s`, "echo $x"), "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + "#+name: where\n" + block(`sh :var x="" :dir c :cache yes`, "echo $x"), "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + "#+name: where\n" + block(`sh :var x="" :dir /nowhere`, "echo $x"), "", false},
		{block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + "#+name: where\n" + block(`sh :var x="" y=mk :dir c`, "echo $x") +
			"#+name: mk\n" + block("sh", "mkdir -p a/c"), "", false},
		// An earlier block's :dir, or the block's own, missing:
		// Emacs stops there (dirStop's, where certain).
		{block("sh", "mkdir -p a") + block("sh :dir b", "echo b") + block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + where, "", false},
		{block("sh :dir b :mkdirp yes", "echo b") + block("sh :dir a :mkdirp yes :post where(x=*this*)", "echo s") + where, "a/c/", false},
		{block("sh :results silent", "mkdir -p c") + where + block("sh :dir a :post where(x=*this*)", "echo start"), "", false},
	} {
		doc, p, want, stops := dirStopPlan(t, c.text, c.visit, c.want)
		if !stops {
			continue
		}
		for _, x := range p.Tasks {
			switch {
			case x.Post && x.Replaced == "":
				t.Errorf("%q: the :post's %s runs", c.text, x.Block)
			case !x.Post && x.Line == p.StopLine && x.Replaced != "":
				t.Errorf("%q: the block %s does not run: %s", c.text, x.Block, x.Replaced)
			case !x.Post && x.Line == p.StopLine:
				// It runs, its results not written.
				if why, written := ResultStop(doc, x, "start\n", nil); why != want || written {
					t.Errorf("%q: %s's results stop %q (written %v), want %q", c.text, x.Block, why, written, want)
				}
			case x.Line > p.StopLine && x.Replaced == "":
				t.Errorf("%q: %s at line %d runs, past the stop at line %d", c.text, x.Block, x.Line, p.StopLine)
			}
		}
		if !strings.Contains(p.StopNote, "org-babel-execute-buffer stops") {
			t.Errorf("%q: note %q", c.text, p.StopNote)
		}
	}
}
