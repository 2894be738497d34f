package plan

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

func mustParse(t *testing.T, text string) *org.Document {
	t.Helper()
	doc, err := org.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func block(header, body string) string {
	return "#+begin_src " + header + "\n" + body + "\n#+end_src\n\n"
}

// postA is a block a whose :post is p.
var postA = "#+name: a\n" + block("sh :post p(x=*this*)", "echo a")

var machine = Limits{Max: Resources{CPUs: 2, MemMB: 4096, DiskMB: 100000}}

// TestRefusedIsNil: a reference to a block :noeval or :eval no refuses,
// or to a #+call: of it, is the string "nil" (org-babel-ref-resolve
// prints the nil org-babel-execute-src-block returns), as a :var value,
// on :stdin and in a noweb <<name()>>; the block depends on nothing.
func TestRefusedIsNil(t *testing.T) {
	doc := mustParse(t, "#+name: e\n"+block("sh :noeval no :var n=1", "echo e")+"#+name: c\n#+call: e()\n\n"+
		block("sh :var x=e :var y=c() :var z=e[0] :stdin e :noweb yes", "<<e>>\necho <<c()>>"))
	// The script, quoted for the sh program that writes it and runs
	// it with its standard input (stdinText).
	q := `'"'"'nil'"'"'`
	renderedNil(t, doc, "x="+q+"\ny="+q+"\nz="+q+"\necho e\necho nil'", "printf %s 'nil' >")
}

// renderedNil builds doc, whose one task refers to blocks :eval
// refuses only, and checks that the task waits for none and that its
// script holds each of wants.
func renderedNil(t *testing.T, doc *org.Document, wants ...string) {
	t.Helper()
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 1 {
		t.Fatalf("tasks = %d, want 1 (the refused blocks and calls skipped)", len(p.Tasks))
	}
	use := p.Tasks[0]
	if len(use.After) != 0 {
		t.Fatalf("after = %v, want none", use.After)
	}
	got, err := Render(doc, use, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range wants {
		if !strings.Contains(got, want) {
			t.Errorf("got %q, want it to hold %q", got, want)
		}
	}
}

func TestBuildRejects(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"negative cpu", block("sh :cpu -1", "true"), `line 1: block "block-1": :cpu: "-1" is not a positive number of CPUs`},
		{"mem words", block("sh :mem lots", "true"), `:mem: "lots" is not a memory size`},
		{"too many cpus", block("sh :cpu 64", "true"), `:cpu: asks for 64 CPUs; the most this backend could ever offer is 2 CPUs`},
		{"too much mem", block("sh :mem 1T", "true"), `:mem: asks for 1048576 MB`},
		{"instances zero", block("sh :instances 0", "true"), `:instances: "0" is not a whole number ≥ 1`},
		{"bad ensure", block("sh :ensure sometimes", "true"), `:ensure: "sometimes": use it-finishes or it-keeps-running`},
		{"bad timeout", block("sh :timeout soon", "true"), `:timeout: "soon" is not a duration`},
		{"unknown after", block("sh :after ghost", "true"), `:after: no runnable block named "ghost"`},
		{"unknown var ref", block("sh :var x=ghost", "true"), `:var: no runnable block named "ghost"`},
		{"dockerize without image", block("sh :dockerize t", "true"), `:image: :dockerize t needs :image NAME`},
		{"bad image", block("sh :dockerize t :image Bad/IMAGE", "true"), `:image: "Bad/IMAGE" is not a Docker image reference`},
		{"file mode", block("sh :results file :file x.txt :file-mode (identity #o8)", "true"), `:file-mode: "(identity #o8)" is not a file mode`},
		// A Lisp form in a header argument Borges does not read
		// (:tangle) is evaluated by Emacs as it reads the header:
		// one that may do more than compute a value (a setq, an
		// error) is refused (fixture hunt24_lisp_tangle_values:
		// Emacs's counter 1, Borges's 0), and one in :comments,
		// which noweb expansion reads, as any form Borges reads.
		{"tangle form that sets", block(`sh :tangle (progn (setq n (1+ n)) "no")`, "true"), `line 1: block "block-1": :tangle: (progn (setq n (1+ n)) "no"): Emacs evaluates this Lisp form as it reads the header`},
		// Forms that define a function, load a library or set
		// the environment change what later blocks see as well.
		{"header form that defines", block(`sh :foo (defalias 'my-fn (lambda () 1))`, "true") + block("sh :bar (my-fn)", "true"), `line 1: block "block-1": :foo: (defalias 'my-fn (lambda () 1)): Emacs evaluates this Lisp form as it reads the header`},
		{"property form that loads", "#+PROPERTY: header-args :qux (require 'my-lib)\n" + block("sh :bar (my-fn)", "true"), `line 2: block "block-1": :qux: (require 'my-lib): Emacs evaluates this Lisp form as it reads the header`},
		{"tangle form that sets the environment", block(`sh :tangle (progn (setenv "FOO" "bar") "no")`, "true"), `line 1: block "block-1": :tangle: (progn (setenv "FOO" "bar") "no"): Emacs evaluates this Lisp form as it reads the header`},
		{"comments form", block(`sh :comments (identity "noweb") :noweb yes`, "true"), `:comments: (identity "noweb"): Emacs evaluates this Lisp form as it reads the header`},
		{"lisp var and cache", block("emacs-lisp :cache yes :var x=(+ 1 2)", "x"), `:cache: x: a Lisp :var value ((+ 1 2)) is evaluated by Emacs when the block runs, so Borges cannot hash it`},
		// b's reference runs a again (rerun.go), that run waiting
		// for b by a's :after: named as the user wrote the blocks,
		// not as the run's task is named ("b :var x=a").
		// Each step names the header argument that makes it, as
		// written (the first one's kind is the problem's argument).
		{"cycle", "#+name: a\n" + block("sh :after b", "true") + "#+name: b\n" + block("sh :var x=a", "true"), `line 1: block "a": :after: dependency cycle: a :after b → b :var x=a → a`},
		{"cycle of runs", "#+name: a\n" + block("sh :var y=b", "true") + "#+name: b\n" + block("sh :var x=a", "true"), `line 1: block "a": :var: dependency cycle: a :var y=b → b :var x=a → a`},
		{"cycle of three", "#+name: a\n" + block("sh :var y=b", "true") + "#+name: b\n" + block("sh :var x=c", "true") + "#+name: c\n" + block("sh :var z=a", "true"), `line 1: block "a": :var: dependency cycle: a :var y=b → b :var x=c → c :var z=a → a`},
		{"cycle through an index", "#+name: a\n" + block("sh :var y=b[0]", "true") + "#+name: b\n" + block("sh :var z=a", "true"), `line 1: block "a": :var: dependency cycle: a :var y=b[0] → b :var z=a → a`},
		{"cycle through stdin", "#+name: a\n" + block("sh :var y=b", "true") + "#+name: b\n" + block("sh :stdin a", "true"), `line 1: block "a": :var: dependency cycle: a :var y=b → b :stdin a → a`},
		{"cycle through noweb", "#+name: a\n" + block("sh :var y=b", "true") + "#+name: b\n" + block("sh :noweb yes", "<<a()>>"), `line 1: block "a": :var: dependency cycle: a :var y=b → b <<a()>> → a`},
		{"cycle of a session block", "#+name: a\n" + block("sh :session s :var y=b", "true") + "#+name: b\n" + block("sh :var z=a", "true"), `line 1: block "a": :var: dependency cycle: a :var y=b → b :var z=a → a`},
		{"var of itself", "#+name: a\n" + block("sh :var y=a", "true"), `line 1: block "a": :var: dependency cycle: a :var y=a → a`},
		{"stdin of itself", "#+name: a\n" + block("sh :stdin a", "true"), `line 1: block "a": :stdin: dependency cycle: a :stdin a → a`},
		{"noweb call of itself", "#+name: a\n" + block("sh :noweb yes", "<<a()>>"), `line 1: block "a": :noweb: dependency cycle: a <<a()>> → a`},
		// An Emacs Lisp block between a :cache yes block's own run
		// and a reference may change its body or data: Babel hashes
		// it again there, which Borges cannot tell.
		{"cache across emacs lisp", "#+name: T\n| 0 |\n\n#+name: k\n" + block("sh :cache yes :var t=T", "echo $t") + block("emacs-lisp", `(save-excursion (goto-char (point-min)) (search-forward "| 0 |") (replace-match "| 9 |"))`) + block("sh :var a=k", "echo $a"),
			`line 13: block "block-3": :var: k: a :cache yes block whose own run stands before Emacs Lisp that Emacs evaluates ahead of this reference`},
		{"self", "#+name: a\n" + block("sh :after a", "true"), `depends on itself`},
		{"call of itself", "#+name: a\n#+call: a()\n", `#+call: a calls itself (line 2)`},
		{"call of calls", "#+name: a\n#+call: b()\n\n#+name: b\n#+call: a()\n", `calls itself`},
		{"called with itself", "#+name: a\n" + block("sh :var x=a(n=1)", "true"), `depends on itself`},
		{"called block missing", block("sh :var x=ghost(n=1)", "true"), `ghost(n=1): #+call: no block named "ghost"`},
		// A typo in an inline call is refused as in a #+call: line.
		{"inline typo", "A call_nosuch() x.\n", `line 1: block "call_nosuch()": inline call call_nosuch(): no block named "nosuch"`},
		{"noweb call missing", block("sh :noweb yes", "echo <<ghost(n=1)>>"), `:noweb: ghost(n=1)`},
		// A plain <<greet>> finds a #+name: in any case, but a call
		// compares the name exactly (org-babel-ref-resolve): Emacs
		// stops with "Reference 'GREET' not found in this buffer".
		{"noweb call other case", "#+name: greet\n" + block("sh", "echo hi") + block("sh :noweb yes", "<<GREET()>>"), `:noweb: no runnable block named "GREET"`},
		{"post missing", block("sh :post ghost(x=*this*)", "true"), `:post: block-1 :post ghost(x=*this*): #+call: no block named "ghost"`},
		{"post indexed", block("sh :post f()[0]", "true"), `:post: "f()[0]" is not a call of a block`},
		// A :post that comes back to a block being posted: Emacs
		// recurses until it crashes.
		{"post of itself", "#+name: a\n" + block("sh :post a(x=*this*)", "true"), `line 1: block "a": :post: a :post a(x=*this*) → a: the chain comes back to a block it runs, and Emacs runs them again without end (until it exceeds its depth)`},
		{"post of itself without arguments", "#+name: a\n" + block("sh :post a", "true"), `:post: a :post a → a: the chain comes back`},
		{"posts of each other", "#+name: a\n" + block("sh :post b(x=*this*)", "true") + "#+name: b\n" + block("sh :var x=1 :post a(x=*this*)", "true"), `block "a": :post: a :post b(x=*this*) → b :post a(x=*this*) → a: the chain comes back`},
		{"post inherited by its block", ":PROPERTIES:\n:header-args: :post p(x=*this*)\n:END:\n#+name: p\n" + block("sh :var x=1", "true"), `block "p": :post: p :post p(x=*this*) → p: the chain comes back`},
		// The chain comes back through a reference: Babel runs the
		// block again, its :post included, inside its :post (Emacs
		// exceeds max-specpdl-size). A noweb reference without
		// parentheses inserts the body, runs nothing (post_cycles_ok).
		{"post var of its block", postA + "#+name: p\n" + block("sh :var x=\"\" :var y=a", "echo $x"), `line 1: block "a": :post: a :post p(x=*this*) → p :var y=a → a: the chain comes back to a block it runs`},
		{"post noweb of its block", postA + "#+name: p\n" + block("sh :var x=\"\" :noweb yes", "echo $x <<a()>>"), `block "a": :post: a :post p(x=*this*) → p <<a()>> → a: the chain comes back`},
		{"post stdin of its block", postA + "#+name: p\n" + block("sh :var x=\"\" :stdin a", "cat"), `block "a": :post: a :post p(x=*this*) → p :stdin a → a: the chain comes back`},
		{"post var through a block", postA + "#+name: p\n" + block("sh :var x=\"\" :var y=c", "echo $x") + "#+name: c\n" + block("sh :var z=a", "echo c"), `block "a": :post: a :post p(x=*this*) → p :var y=c → c :var z=a → a: the chain comes back`},
		{"post var of a block posted by it", postA + "#+name: p\n" + block("sh :var x=\"\" :var y=b", "echo $x") + "#+name: b\n" + block("sh :post p(x=*this*)", "echo b"), `line 11: block "b": :post: b :post p(x=*this*) → p :var y=b → b: the chain comes back`},
		{"post chain var of its block", postA + "#+name: p\n" + block("sh :var x=\"\" :post q(x=*this*)", "echo $x") + "#+name: q\n" + block("sh :var x=\"\" :var y=a", "echo $x"), `block "a": :post: a :post p(x=*this*) → p :post q(x=*this*) → q :var y=a → a: the chain comes back`},
		{"post called of its block", "#+name: a\n" + block("sh :var n=0 :post p(x=*this*)", "echo a") + "#+name: p\n" + block("sh :var x=\"\" :var y=a(n=1)", "echo $x"), `block "a": :post: a :post p(x=*this*) → p :var a(n=1) → a(n=1) :post p(x=*this*) → p: the chain comes back`},
		{"post var of a call", postA + "#+name: p\n" + block("sh :var x=\"\" :var y=q", "echo $x") + "#+name: q\n#+call: a()\n\n", `line 11: block "q": :post: q :post p(x=*this*) → p :var y=q → q: the chain comes back`},
		// A block of a session is run again for each reference
		// (rerun.go): the chain is named as written all the same, once.
		{"post var of its block in a session", "#+name: a\n" + block("sh :session s :post p(x=*this*)", "echo a") + "#+name: p\n" + block("sh :var x=\"\" :var y=a", "echo $x"), `line 1: block "a": :post: a :post p(x=*this*) → p :var y=a → a: the chain comes back`},
		{"post of a call of its block", postA + "#+name: p\n#+call: a()\n\n", `line 1: block "a": :post: a :post p(x=*this*) → p :post p(x=*this*) → p: the chain comes back`},
		// Through a :cache yes block whose results do not carry the
		// hash it has (stale, absent, or known only once a block it
		// refers to has run): Emacs runs it, and the chain goes on
		// (post_cycle_cached.org has the chains a current hash stops).
		{"post stdin of a stale cached block", "#+name: c\n" + block("sh :cache yes :stdin a", "cat") + "#+RESULTS[0123456789abcdef0123456789abcdef01234567]: c\n: old\n\n" + postA + "#+name: p\n" + block("sh :var x=\"\" :var y=c", "echo $x"), `block "a": :post: a :post p(x=*this*) → p :var y=c → c :stdin a → a: the chain comes back`},
		{"post stdin of a cached block without results", "#+name: c\n" + block("sh :cache yes :stdin a", "cat") + postA + "#+name: p\n" + block("sh :var x=\"\" :var y=c", "echo $x"), `c :stdin a → a: the chain comes back`},
		{"post of a stale cached block", "#+name: a\n" + block("sh :cache yes :post p(x=*this*)", "echo a") + "#+RESULTS[0123456789abcdef0123456789abcdef01234567]: a\n: old\n\n#+name: p\n" + block("sh :var x=\"\" :var y=a", "echo $x"), `block "a": :post: a :post p(x=*this*) → p :var y=a → a: the chain comes back`},
		{"post stdin of a cached block with a reference", "#+name: d\n" + block("sh", "echo d") + "#+name: c\n" + block("sh :cache yes :var z=d :stdin a", "cat") + postA + "#+name: p\n" + block("sh :var x=\"\" :var y=c", "echo $x"), `c :stdin a → a: the chain comes back`},
		// A :wrap org-babel-insert-result cannot split into words (a
		// string of blanks, a number): Emacs writes the result
		// unwrapped, then stops the document at it.
		{"wrap empty string", block("sh :wrap \"\"", "echo a"), `line 1: block "block-1": :wrap "": org-babel-insert-result finds no word in it, and Emacs writes the result unwrapped, then stops the document there ("Wrong type argument: stringp, nil")`},
		{"wrap blanks", block("sh :wrap \"  \"", "echo a"), `("Wrong type argument: stringp, nil")`},
		{"wrap number", block("sh :wrap 12", "echo a"), `:wrap 12: org-babel-insert-result finds no word in it, and Emacs writes the result unwrapped, then stops the document there ("Wrong type argument: stringp, 12")`},
		{"wrap number from a property", "#+PROPERTY: header-args :wrap 1e3\n" + block("sh", "echo a"), `("Wrong type argument: stringp, 1000.0")`},
		{"wrap number of a call", "#+name: a\n" + block("sh", "echo a") + "\n#+call: a() :wrap 7\n", `:wrap 7: org-babel-insert-result finds no word`},
		{"call without parentheses", "#+name: a\n" + block("sh", "true") + "\n#+call: a\n", `line 7: block "call-1": #+call: a has no parentheses, and Emacs skips it without a word`},
		{"call without parentheses, with headers", "#+name: a\n" + block("sh", "true") + "\n#+call: a[:results raw] :results list\n", `write #+call: a()`},
		// Lisp constants Emacs evaluates to a list or a symbol, where
		// Borges reads the argument as text: refused.
		{"lisp list where Borges reads", block("sh :session '(a \"b\")", "true"), `line 1: block "block-1": :session '(a "b"): Emacs evaluates it to (a "b"), which Babel reads otherwise than a string and Borges does not: write a string`},
		{"quoted symbol for results", block("sh :results 'raw", "true"), `:results 'raw: Emacs evaluates it to raw, then evaluates that again as it merges it, which Borges does not`},
		{"vector for dir", block("sh :dir [d]", "true"), `:dir [d]: Emacs evaluates it to [d]`},
		{"return lisp", block("python :return [1, 2]", "pass"), `:return [1, 2]: Emacs evaluates it to [1 (\, 2)], which Babel reads otherwise than a string`},
		{"return lisp in a session", block("python :session py :return (a, b)", "pass"), `write the expression as a Lisp string: :return "(a, b)"`},
		// Lisp forms Emacs evaluates as it reads the header and Borges
		// does not, where Borges reads the value: Emacs refuses the
		// block under :eval (concat "n" "o"), and runs it as raw under
		// :results (concat "ra" "w"); under :cache yes every value is
		// hashed as it evaluates.
		{"lisp form for eval", block(`sh :eval (concat "n" "o")`, "true"), `line 1: block "block-1": :eval (concat "n" "o"): Emacs evaluates this Lisp form as it reads the header, and Borges cannot tell its value`},
		// A vector or list of characters written in the character
		// (?a) or radix (#x61) syntax: a constant Emacs runs, which
		// Borges does not read; refused saying so, not as a form.
		{"cmdline character syntax", block(`sh :cmdline [?\M-a ?b]`, "true"), `:cmdline [?\M-a ?b]: Borges reads a vector or list of characters written as numbers ([97 98], #x61) or plainly (?a, ?\t, ?\C-a), not in this syntax`},
		{"cmdline named character", block(`sh :cmdline [?\N{U+61}]`, "true"), `:cmdline [?\N{U+61}]: Borges reads a vector or list of characters written as numbers`},
		{"lisp form for eval in a property", ":PROPERTIES:\n:header-args: :eval (intern \"no\")\n:END:\n" + block("sh", "true"), `:eval (intern "no"): Emacs evaluates this Lisp form`},
		{"lisp form for eval of a call", "#+name: a\n" + block("sh", "true") + "#+call: a() :eval (concat \"n\" \"o\")\n", `block "call-1": :eval (concat "n" "o"): Emacs evaluates this Lisp form`},
		{"lisp form for results", block(`sh :results (concat "ra" "w")`, "true"), `:results (concat "ra" "w"): Emacs evaluates this Lisp form`},
		{"lisp form for exports", block(`sh :exports (concat "no" "ne")`, "true"), `:exports (concat "no" "ne"): Emacs evaluates this Lisp form`},
		{"lisp form for wrap", block(`sh :wrap (upcase "example")`, "true"), `:wrap (upcase "example"): Emacs evaluates this Lisp form`},
		// Emacs calls a :results or :exports function once, as it
		// merges, and stops (wrong-type-argument stringp) unless it
		// returns a string (checked with Emacs 28.2 / Org 9.5.5).
		{"results lambda of a lambda", block(`sh :results (lambda () '(lambda () "raw"))`, "true"), `line 1: block "block-1": :results (lambda () '(lambda () "raw")): Emacs calls this function`},
		{"exports list", block(`sh :exports 'list`, "true"), `line 1: block "block-1": :exports 'list: Emacs calls this function`},
		{"exports ignore", block(`sh :exports 'ignore`, "true"), `:exports 'ignore: Emacs calls this function`},
		{"exports empty lambda", block(`sh :exports (lambda ())`, "true"), `:exports (lambda ()): Emacs calls this function`},
		{"results list", block(`sh :results 'list`, "true"), `:results 'list: Emacs calls this function`},
		{"results plus", block(`sh :results '+`, "true"), `:results '+: Emacs calls this function`},
		{"lisp form for session", block(`sh :session (concat "s" "1")`, "true"), `:session (concat "s" "1"): Emacs evaluates this Lisp form`},
		// A function Babel calls that needs arguments stops Emacs at
		// the block, whatever the argument (wrong-number-of-arguments).
		{"lisp lambda with arguments", block(`sh :eval (lambda (x) "no")`, "true"), `line 1: block "block-1": :eval (lambda (x) "no"): Emacs calls this function without arguments as it reads the header, and it needs at least 1: Emacs stops at the block (wrong-number-of-arguments)`},
		{"lambda with a required parameter", block(`sh :foo (lambda (a &optional b) 1)`, "true"), `line 1: block "block-1": :foo (lambda (a &optional b) 1): Emacs calls this function without arguments`},
		{"lambda with a required parameter under cache", block(`sh :cache yes :foo (lambda (x) 3)`, "true"), `:foo (lambda (x) 3): Emacs calls this function without arguments`},
		{"max", block(`sh :foo 'max`, "true"), `line 1: block "block-1": :foo 'max: Emacs calls this function without arguments as it reads the header, and it needs at least 1`},
		{"results max", block(`sh :results 'max`, "true"), `:results 'max: Emacs calls this function without arguments`},
		{"exports lambda with a required parameter", block(`sh :exports (lambda (x) "code")`, "true"), `:exports (lambda (x) "code"): Emacs calls this function without arguments`},
		{"lambda returning one needing arguments", block(`sh :foo (lambda () '(lambda (x) 1))`, "true"), `:foo (lambda () '(lambda (x) 1)): Emacs calls this function without arguments`},
		// A lambda list funcall_lambda refuses (checked with Emacs
		// 28.2): invalid-function.
		{"lambda of a bare rest", block(`sh :foo (lambda (&rest) 1)`, "true"), `line 1: block "block-1": :foo (lambda (&rest) 1): Emacs calls this function as it reads the header, and its parameters (&rest) are no lambda list: Emacs stops at the block (invalid-function)`},
		{"lambda of optional then a bare rest", block(`sh :cache yes :foo (lambda (&optional x &rest) 1)`, "true"), `(invalid-function)`},
		{"lambda of rest then optional", block(`sh :foo (lambda (&rest a &optional b) 1)`, "true"), `(invalid-function)`},
		{"lambda of optional twice", block(`sh :results (lambda (&optional &optional x) "raw")`, "true"), `(invalid-function)`},
		{"lambda of rest twice", block(`sh :foo (lambda (&rest &rest) 1)`, "true"), `(invalid-function)`},
		{"lambda of a number parameter", block(`sh :foo (lambda (1) 2)`, "true"), `line 1: block "block-1": :foo (lambda (1) 2): Emacs calls this function as it reads the header, and its parameters (1) are no lambda list: Emacs stops at the block (invalid-function)`},
		{"lambda of a string parameter", block(`sh :results (lambda ("a") "raw")`, "true"), `its parameters ("a") are no lambda list: Emacs stops at the block (invalid-function)`},
		{"lambda of a required then a number parameter", block(`sh :foo (lambda (x 1) 2)`, "true"), `it needs at least 1: Emacs stops at the block (wrong-number-of-arguments)`},
		{"lambda returning one of a bare rest", block(`sh :foo (lambda () '(lambda (&rest) 1))`, "true"), `:foo (lambda () '(lambda (&rest) 1)): Emacs calls this function as it reads the header, and it returns (lambda (&rest) 1), which Babel calls too, and whose parameters (&rest) are no lambda list: Emacs stops at the block (invalid-function)`},
		// A lambda that returns a function needing arguments, which
		// Babel calls in its second merge.
		{"lambda returning max", block(`sh :foo (lambda () 'max)`, "true"), `line 1: block "block-1": :foo (lambda () 'max): Emacs calls this function without arguments as it reads the header, and it returns max, which Babel calls too, and which needs at least 1: Emacs stops at the block (wrong-number-of-arguments)`},
		{"void function in a lambda a lambda returns", block(`sh :foo (lambda () '(lambda () (my-fn)))`, "true"), `:foo (lambda () '(lambda () (my-fn))): Emacs calls the function this function returns as it reads the header, and it calls my-fn, which is no function in Emacs (emacs -Q with Org): Emacs stops at the block (void-function my-fn)`},
		// (function X) is X, as quote gives it.
		{"function of a lambda with arguments", block(`sh :foo (function (lambda (x) 1))`, "true"), `:foo (function (lambda (x) 1)): Emacs calls this function without arguments as it reads the header, and it needs at least 1`},
		// A call of a function Emacs does not have: void-function.
		{"void function", block(`sh :foo (my-fn)`, "true"), `line 1: block "block-1": :foo (my-fn): Emacs evaluates this form as it reads the header, and it calls my-fn, which is no function in Emacs (emacs -Q with Org): Emacs stops at the block (void-function my-fn)`},
		{"void function in a lambda under cache", block(`sh :cache yes :foo (lambda () (my-fn))`, "true"), `:foo (lambda () (my-fn)): Emacs calls this function as it reads the header, and it calls my-fn, which is no function in Emacs`},
		{"void function for eval", block(`sh :eval (my-fn)`, "true"), `:eval (my-fn): Emacs evaluates this form as it reads the header, and it calls my-fn`},
		{"void function for dir", block(`sh :dir (my-dir)`, "true"), `:dir (my-dir): Emacs evaluates this form as it reads the header, and it calls my-dir`},
		// Emacs evaluates each value as it reads the header, before
		// the merge: one replaced still stops it (checked with Emacs
		// 28.2).
		{"void function in a value replaced", block(`sh :foo (my-fn) :foo 1`, "true"), `line 1: block "block-1": :foo (my-fn): Emacs evaluates this form as it reads the header, and it calls my-fn`},
		{"void function in a property the block overrides", ":PROPERTIES:\n:header-args: :foo (my-fn)\n:END:\n" + block("sh :foo 1", "true"), `:foo (my-fn): Emacs evaluates this form as it reads the header, and it calls my-fn`},
		{"function needing arguments in a property", ":PROPERTIES:\n:header-args: :foo 'car\n:END:\n" + block("sh", "true"), `:foo 'car: Emacs calls this function without arguments`},
		{"empty index", block("sh :var x=t[]", "true"), `:var: x: "t[]" is neither a value nor a block name`},
		{"depends on skipped", "#+name: e\n" + block("haskell", "1") + block("sh :var x=e", "true"), `depends on block "e", which Borges does not run`},
		// A reference to a block :noeval (any value) or :eval no refuses
		// is "nil" (TestRefusedIsNil), unless the refused block's own
		// :var values are not literals or plain references: Emacs
		// resolves them again for each reference, and Borges plans
		// those runs for plain references only (TestRefusedRefRunsPlanned).
		{"depends on a :noeval block with a call of its own", "#+name: f\n" + block("sh :var n=1", "echo f") + "#+name: e\n" + block("sh :noeval no :var y=f(n=2)", "echo e") + block("sh :var x=e", "true"), `depends on block "e", which Borges does not run (:noeval)`},
		// The first block of the name is what a reference finds: not
		// run for another reason, a later refused block of the name
		// is no "nil".
		{"depends on a skipped block before a refused one of its name", "#+name: e\n" + block("haskell", "1") + "#+name: e\n" + block("sh :eval no", "echo e") + block("sh :var x=e", "true"), `depends on block "e", which Borges does not run (language "haskell"`},
		// Emacs reads the refused block's header arguments, not light,
		// before :eval refuses it: a value that may signal there (an
		// empty :var value, a Lisp form in any header argument, a
		// property's replaced by the block's own too, an :output-dir
		// it makes) is no "nil".
		{"depends on an :eval no block with a Lisp :dir", "#+name: e\n" + block("sh :eval no :dir (error \"boom\")", "echo e") + block("sh :var x=e", "true"), `depends on block "e", which Borges does not run (:eval no): Emacs reads its header arguments`},
		{"stdin of an :eval no block with a Lisp value in a #+header: line", "#+name: e\n#+header: :foo (error \"boom\")\n" + block("sh :eval no", "echo e") + block("sh :stdin e", "cat"), `depends on block "e", which Borges does not run (:eval no): Emacs reads its header arguments`},
		{"depends on an :eval no block with a Lisp :dir property it replaces", "* H\n:PROPERTIES:\n:header-args: :dir (error \"boom\")\n:END:\n#+name: e\n" + block("sh :eval no :dir /tmp", "echo e") + "* I\n" + block("sh :var x=e", "true"), `depends on block "e", which Borges does not run (:eval no): Emacs reads its header arguments`},
		{"depends on an :eval no block with *this* as a value", "#+name: e\n" + block("sh :eval no :foo *this*", "echo e") + block("sh :var x=e", "true"), `depends on block "e", which Borges does not run (:eval no): Emacs reads its header arguments`},
		{"depends on an :eval no block with an :output-dir", "#+name: e\n" + block("sh :eval no :output-dir out", "echo e") + block("sh :var x=e", "true"), `depends on block "e", which Borges does not run (:eval no): Emacs reads its header arguments`},
		{"depends on an :eval no block with a list value and :rownames", "#+name: e\n" + block("sh :eval no :var y='(1 2) :rownames yes", "echo e") + block("sh :var x=e", "true"), `depends on block "e", which Borges does not run (:eval no): Emacs reads its header arguments`},
		{"depends on an :eval no block with a Lisp value of its own", "#+name: e\n" + block("sh :eval no :var y=(+ 1 2)", "echo e") + block("sh :var x=e", "true"), `depends on block "e", which Borges does not run (:eval no)`},
		// (An empty :var value, a number :file-ext, stop Emacs there:
		// TestRefusedReadStops.) A reference with arguments reads the
		// block's own header arguments the same way, and the call's
		// header, not light (its :var arguments are never resolved:
		// TestRefusedCallIsNil).
		{"calls an :eval no block with a Lisp value of its own", "#+name: e\n" + block("sh :eval no :var y=(+ 1 2)", "echo e") + block("sh :var x=e(y=5)", "true"), `depends on block "e(y=5)", which Borges does not run (:eval no): Emacs reads its header arguments for the reference before :eval refuses it, resolving :var y=(+ 1 2)`},
		{"noweb call of an :eval no block with a Lisp :dir", "#+name: e\n" + block("sh :eval no :dir (error \"boom\")", "echo e") + block("sh :noweb yes", "echo <<e(n=1)>>"), `:noweb: depends on block "e(n=1)", which Borges does not run (:eval no): Emacs reads its header arguments`},
		{"stdin call of an :eval no block with an :output-dir", "#+name: e\n" + block("sh :eval no :output-dir out", "echo e") + block("sh :stdin e(n=1)", "cat"), `:stdin: depends on block "e(n=1)", which Borges does not run (:eval no): Emacs reads its header arguments for the reference before :eval refuses it, making its :output-dir`},
		{"calls an :eval no block with a Lisp value in the call's header", "#+name: e\n" + block("sh :eval no", "echo e") + block("sh :var x=e[:dir (error \"boom\")](n=5)", "true"), `:var: depends on block "e[:dir (error \"boom\")](n=5)", which Borges does not run (:eval no): Emacs reads the header of the call before :eval refuses the block called, evaluating its :dir (error "boom")`},
		{"call line of an :eval no block with a reference of its own", "#+name: f\n" + block("sh", "echo f") + "#+name: e\n" + block("sh :eval no :var y=f", "echo e") + "#+call: show(x=e(y=2))\n\n#+name: show\n" + block("sh :var x=1", "echo $x"), `depends on block "e(y=2)", which Borges does not run (:eval no): Emacs reads its header arguments for the reference before :eval refuses it, resolving :var y=f`},
		{"bad env", block("sh :env FOO", "true"), `:env: "FOO" is not NAME=VALUE`},
		{"tramp dir", block("sh :dir /ssh:web1:/srv", "true"), `:dir: "/ssh:web1:/srv" is a remote (TRAMP) directory`},
		{"tramp sudo", block("sh :dir /sudo::/etc", "true"), `remote (TRAMP) directory`},
		{"bad pids", block("sh :pids many", "true"), `line 1: block "block-1": :pids: "many" is not a whole number ≥ 1`},
		{"no pids", block("sh :pids 0", "true"), `:pids: "0" is not a whole number ≥ 1`},
		{"bad cpu limit", block("sh :cpu-limit fast", "true"), `line 1: block "block-1": :cpu-limit: "fast" is not a positive number of CPUs`},
		{"cpu limit under the request", block("sh :cpu 2 :cpu-limit 0.5", "true"), `:cpu-limit: 0.5 CPUs is less than what :cpu asks for (2)`},
		{"bad constraint", block("sh :dockerize t :image busybox :constraints rack~[", "true"), `bad regexp`},
		{"bad constraint without container", block("sh :constraints rack~[", "true"), `:constraints: "rack~[": bad regexp`},
		// Old spellings of a name: Babel's references search #+name:
		// and #+tblname: lines only (orgtests_leftovers.org has what
		// Emacs does with the rest).
		{"var of a srcname", "#+srcname: a\n" + block("sh", "true") + block("sh :var x=a", "true"), `line 6: block "block-2": :var: Reference ‘a’ not found in this buffer: Babel's references find a block by #+name: or #+tblname:, and this one is named by #+srcname:`},
		{"stdin of a data", "#+data: a\n" + block("sh", "true") + block("sh :stdin a", "true"), `:stdin: Reference ‘a’ not found in this buffer`},
		{"evaluated noweb of a source", "#+source: a\n" + block("sh", "true") + block("sh :noweb yes", "echo <<a()>>"), `:noweb: Reference ‘a’ not found in this buffer: Babel's references find a block by #+name: or #+tblname:, and this one is named by #+source:`},
		{"var of an emacs lisp srcname", "#+srcname: a\n" + block("emacs-lisp", "1") + block("sh :var x=a", "true"), `line 6: block "block-2": :var: Reference ‘a’ not found in this buffer`},
		{"called srcname", "#+srcname: a\n" + block("sh", "true") + block("sh :var x=a(n=1)", "true"), `a(n=1): #+call: no block named "a"`},
		{"noweb of a relative link", "#+name: l\n[[file:data.txt]]\n\n" + block("sh :noweb yes", "cat <<l()>>"), `:noweb: <<l()>>: "l" is a link to a file relative to the document's directory`},
		// A comma after a number or a name is part of the value
		// (org-babel-ref-parse): Emacs stops at the block with
		// "Reference ‘1,’ not found in this buffer". After a string
		// or a Lisp value, read stops before it (hunt_old_vars.org).
		// Old spellings Emacs stops at: a number alone (":var x 1",
		// the values x and 1, neither an assignment: TestVarDefaultStops).
		// A number with no name is the character of that code
		// (org-babel-parse-multiple-vars inserts it in a buffer), the
		// next variable's value: here a reference to a name no block
		// has (hunt10f_varnum.org).
		{"var of a number alone", block("sh :var x=1 :var 2", "true"), `line 1: block "block-1": :var: no runnable block named "\x02" in this document: a :var number without a name (:var 2) is the character of that code for Babel, which names no block either (Emacs stops at the block: Reference not found); write :var NAME=2`},
		// A name written with default arguments (#+srcname: f(x=1)) is
		// the whole text for Org 9.5: a call of f finds nothing.
		{"call of a name with arguments", "#+srcname: f(x=1, y=2)\n" + block("sh", "true") + "#+call: f(x=2)\n", `line 6: block "call-1": #+call: no block named "f": the block at line 2 is named "f(x=1, y=2)" (an old form of a name with default arguments), which Org 9.5 takes whole, so Emacs runs nothing for this call; name the block f and give it :var x=1 y=2`},
		{"comma after a number", block("sh :var x=1, y=2", "true"), `line 1: block "block-1": :var: no runnable block named "1," in this document: the comma is part of the value for Babel, as Emacs stops at the block with "Reference ‘1,’ not found in this buffer"; separate assignments with spaces (:var x=1 y=2)`},
		// The same in an Emacs Lisp block, whose :var values the
		// document's Emacs resolves (hunt12_varsyntax.org).
		{"comma after a number in emacs lisp", block("emacs-lisp :var a=1, b=2", "a"), `:var: no runnable block named "1," in this document`},
		{"comma after a number, a string after", block(`emacs-lisp :var a=1, b=2, c="x, y"`, "a"), `:var: no runnable block named "1," in this document`},
		{"comma after a number in python", block("python :var a=1, b=2", "return a"), `:var: no runnable block named "1," in this document`},
		{"comma after a name", "#+name: tbl\n| 1 |\n\n" + block("sh :var x=tbl, y=2", "true"), `:var: no runnable block named "tbl," in this document: the comma is part of the value for Babel, as Emacs stops at the block with "Reference ‘tbl,’ not found`},
		{"constraint without operator", block("sh :constraints rack", "true"), `:constraints: "rack" is not FIELD==VALUE`},
		// Emacs stops at it; Borges, not seeing it as a block, ran the
		// block after it (failed first: no rejection).
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Build(mustParse(t, c.doc), machine, DefaultOptions)
			var rej *RejectError
			if !errors.As(err, &rej) {
				t.Fatalf("want a rejection containing %q, got %v", c.want, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("rejection %q does not contain %q", err, c.want)
			}
		})
	}
}

// TestBuildAcceptsLispHeaders: header values calling functions Emacs has
// as it runs the document (checked with Emacs 28.2 / Org 9.5.5) are not
// refused: Emacs runs the block, and Borges hashes the form as written,
// saying so.
func TestBuildAcceptsLispHeaders(t *testing.T) {
	cases := []struct{ name, doc string }{
		// A library Org's link modules load as the buffer enters
		// org-mode (xml).
		{"function of an org module", block(`sh :cache yes :foo (xml-escape-string "a<b")`, "true")},
		// A function the document defines: an Emacs Lisp block runs
		// before, and Borges does not know what it defines, nor what
		// any other Lisp of the document's does (lispRuns).
		{"function an elisp block defines", block("emacs-lisp", `(defun my-tag () "from-elisp")`) + block("sh :cache yes :foo (my-tag)", "true") + block("sh :bar (lambda () (my-tag))", "true")},
		{"function an inline elisp block defines", "src_emacs-lisp{(defun my-fn () 1)}\n\n" + block("sh :foo (my-fn)", "true")},
		{"function a lisp var defines", block(`sh :var x=(progn (defun my-fn () 1) 2)`, "true") + block("sh :foo (my-fn)", "true")},
		{"function a local variable's eval defines", block("sh :foo (my-fn)", "true") + "\n# Local Variables:\n# eval: (defun my-fn () 1)\n# End:\n"},
		// A lambda is called once merged: replaced, it is not.
		{"void function in a lambda replaced", block(`sh :foo (lambda () (my-fn)) :foo 1`, "true")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Build(mustParse(t, c.doc), machine, DefaultOptions); err != nil {
				t.Fatalf("refused: %v", err)
			}
		})
	}
}

// TestWrapUnsplitCacheCurrent: a :cache yes block whose results carry
// the hash it has now is not run by Emacs, which never reaches the
// wrapping: its :wrap "" is no error (checked against Emacs 28.2, which
// gives the hash). With another hash it runs, and is refused.
func TestWrapUnsplitCacheCurrent(t *testing.T) {
	const current = "33173bf24baf818d5615f47cb8b7da0026577813"
	for _, c := range []struct {
		hash    string
		refused bool
	}{{current, false}, {"0123abc", true}} {
		doc := block("sh :cache yes :wrap \"\"", "echo a") + "#+RESULTS[" + c.hash + "]:\n: a\n"
		p, err := Build(mustParse(t, doc), machine, DefaultOptions)
		if c.refused {
			if err == nil || !strings.Contains(err.Error(), `:wrap "": org-babel-insert-result finds no word`) {
				t.Errorf("hash %s: want a refusal of :wrap, got %v", c.hash, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("hash %s: %v", c.hash, err)
		}
		if len(p.Tasks) != 1 || !p.Tasks[0].cachedNow {
			t.Errorf("hash %s: want one task, its cache current", c.hash)
		}
	}
}

// Where no Docker engine answers, :dockerize is refused at submit, with
// the reason, and the other blocks' problems are still all listed.
func TestBuildRefusesContainersWithoutEngine(t *testing.T) {
	limits := machine
	limits.NoContainers = "the Docker engine does not answer (no socket)"
	doc := block("sh :cpu -1", "true") + "#+name: boxed\n" + block("sh :dockerize t :image redis", "redis-server")
	_, err := Build(mustParse(t, doc), limits, DefaultOptions)
	for _, want := range []string{`line 5: block "boxed": :dockerize: this server cannot run containers: the Docker engine does not answer (no socket)`, `:cpu: "-1"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("rejection %v lacks %q", err, want)
		}
	}
	if _, err := Build(mustParse(t, "#+name: boxed\n"+block("sh :dockerize t :image redis", "redis-server")), machine, DefaultOptions); err != nil {
		t.Fatalf("with an engine: %v", err)
	}
}

func TestBuildListsEveryProblem(t *testing.T) {
	doc := block("sh :cpu -1 :mem lots", "true") + block("sh :after nobody", "true")
	_, err := Build(mustParse(t, doc), machine, DefaultOptions)
	var rej *RejectError
	if !errors.As(err, &rej) || len(rej.Problems) != 3 {
		t.Fatalf("want 3 problems, got %v", err)
	}
	if rej.Problems[2].Line != 5 || rej.Problems[2].Block != "block-2" {
		t.Fatalf("third problem: %+v", rej.Problems[2])
	}
}

func TestBuildTask(t *testing.T) {
	doc := mustParse(t, "#+name: web\n"+block("sh :cpu 0.5 :mem 512 :instances 3 :ensure it-keeps-running :retries 2 :timeout 90s :dir /tmp :env A=1 B=2 :ports 2", "redis-server"))
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	task := p.Tasks[0]
	want := Task{Block: "web", Named: true, Lang: "sh", Line: 1, Interpreter: []string{"sh"},
		Resources: Resources{CPUs: 0.5, MemMB: 512, Ports: 2, Pids: DefaultPids}, Instances: 3, Ensure: ItKeepsRunning,
		Retries: 2, Timeout: 90 * time.Second, Dir: "/tmp", Results: "replace"}
	if task.Block != want.Block || task.Resources != want.Resources || task.Instances != want.Instances ||
		task.Ensure != want.Ensure || task.Retries != want.Retries || task.Timeout != want.Timeout ||
		task.Dir != want.Dir || task.Results != want.Results || task.Env["B"] != "2" || task.Interpreter[0] != "sh" {
		t.Fatalf("task = %+v", task)
	}
}

// :cpu is a request (admission and a share of the CPUs); a block is
// capped only by :cpu-limit, or by its :cpu under #+borges_cpu_limit: hard.
// :pids bounds its processes.
func TestBuildCPULimitAndPids(t *testing.T) {
	for _, c := range []struct {
		name, header string
		opts         Options
		want         Resources
	}{
		{"defaults", "sh", DefaultOptions, Resources{CPUs: 0.1, MemMB: 32, Pids: 4096}},
		{"asked", "sh :cpu 0.5 :cpu-limit 1.5 :pids 50", DefaultOptions, Resources{CPUs: 0.5, CPULimit: 1.5, MemMB: 32, Pids: 50}},
		{"hard", "sh :cpu 0.5", Options{HardCPULimit: true}, Resources{CPUs: 0.5, CPULimit: 0.5, MemMB: 32, Pids: 4096}},
		{"hard default", "sh", Options{HardCPULimit: true}, Resources{CPUs: 0.1, CPULimit: 0.1, MemMB: 32, Pids: 4096}},
		{"hard but asked", "sh :cpu 0.5 :cpu-limit 2", Options{HardCPULimit: true}, Resources{CPUs: 0.5, CPULimit: 2, MemMB: 32, Pids: 4096}},
		{"configured defaults", "sh", Options{DefaultCPUs: 1, DefaultPids: 100}, Resources{CPUs: 1, MemMB: 32, Pids: 100}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Build(mustParse(t, block(c.header, "true")), machine, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Tasks[0].Resources; got != c.want {
				t.Fatalf("resources = %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestBuildConstraints: :constraints apply to every block, in a container
// or not (they were once read only for :dockerize blocks).
func TestBuildConstraints(t *testing.T) {
	cases := []struct {
		name, header string
		want         []Constraint
	}{
		{"plain", "sh :constraints rack==b", []Constraint{{Field: "rack", Op: "==", Value: "b"}}},
		{"several", "sh :constraints rack==b hostname!=web1 zone~eu-.*", []Constraint{
			{Field: "rack", Op: "==", Value: "b"}, {Field: "hostname", Op: "!=", Value: "web1"}, {Field: "zone", Op: "~", Value: "eu-.*"}}},
		{"dockerized", "sh :dockerize t :image busybox :constraints rack==b", []Constraint{{Field: "rack", Op: "==", Value: "b"}}},
		{"none", "sh", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Build(mustParse(t, block(c.header, "true")), machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			got := p.Tasks[0].Constraints
			if len(got) != len(c.want) {
				t.Fatalf("constraints %+v, want %+v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("constraint %d: %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
}

// TestBareBeginSrcStops holds a bare #+begin_src (nothing but blanks
// after it) to org-babel-execute-buffer, which visits it as a block of
// no language and stops there (hunt23_nolang_bare_begin_src.org): the
// block before runs, the one after does not.
func TestBareBeginSrcStops(t *testing.T) {
	for _, begin := range []string{"#+begin_src", "#+begin_src  ", "#+begin_src \t", "  #+BEGIN_SRC"} {
		text := block("sh", "echo before") + begin + "\necho bare\n#+end_src\n" + block("sh", "echo after")
		p, err := Build(mustParse(t, text), machine, DefaultOptions)
		if err != nil {
			t.Fatalf("%q: %v", begin, err)
		}
		if p.Stop != noLanguageStop {
			t.Errorf("%q: stop %q, want %q", begin, p.Stop, noLanguageStop)
		}
		if len(p.Tasks) != 2 || p.Tasks[0].Replaced != "" || p.Tasks[1].Replaced == "" {
			t.Errorf("%q: tasks %+v: want the first run, the second not", begin, p.Tasks)
		}
		if len(p.Skipped) != 1 || p.Skipped[0].Line != 5 || p.Skipped[0].Reason != noLanguageWhy {
			t.Errorf("%q: skipped %+v, want the block at line 5 (%s)", begin, p.Skipped, noLanguageWhy)
		}
	}
}

func TestSkipped(t *testing.T) {
	doc := mustParse(t, block("haskell", "1 + 2")+block("sh :eval no", "true"))
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, s := range p.Skipped {
		reasons = append(reasons, s.Reason)
	}
	got := strings.Join(reasons, "|")
	want := `language "haskell" has no interpreter Borges runs|:eval no`
	if got != want {
		t.Fatalf("reasons = %q, want %q", got, want)
	}
}

// TestRender compares the programs Borges runs with what Babel runs for
// the same blocks (Org 9.5.5; ob-shell's forms depend on the block's
// shell, see TestShellVarsAgainstEmacs).
func TestRender(t *testing.T) {
	vars := `:var a=5 :var b="two words" :var c='(1 2 3)`
	cases := []struct{ lang, extra, want string }{
		// As ob-shell runs sh (org-babel--variable-assignments:sh-generic):
		// a list is one string of its items, one a line.
		{"sh", ` :var d=1.5 :var e="it's"`, "a='5'\nb='two words'\nc='1\n2\n3'\nd='1.5'\ne='it'\"'\"'s'\nBODY"},
		// And bash: an array, in the script the sh program feeds to
		// bash's standard input (shellFileScript).
		{"bash", "", shellFileScript("bash", "a='5'\nb='two words'\nunset c\ndeclare -a c=( '1' '2' '3' )\nBODY", "a='5'\nb='two words'\nunset c\ndeclare -a c=( '1' '2' '3' )\nBODY", "")},
		{"python", ` :var d=1.5 :var e="it's" :results output`, "a=5\nb=\"two words\"\nc=[1, 2, 3]\nd=1.5\ne=\"it's\"\nBODY"},
		{"python", ` :return x`, "\ndef main():\n    a=5\n    b=\"two words\"\n    c=[1, 2, 3]\n    BODY\n    return x\n\nopen(__import__('os').environ.get('BORGES_VALUE_FILE', 'borges-value'), 'w').write( str(main()) )"},
		{"ruby", " :results output", "a=5\nb=\"two words\"\nc=[1, 2, 3]\nBODY"},
		{"ruby", "", "\ndef main()\na=5\nb=\"two words\"\nc=[1, 2, 3]\nBODY\nend\nresults = main()\nFile.open(ENV['BORGES_VALUE_FILE'], 'w'){ |f| f.write((results.class == String) ? results : results.inspect) }\n"},
		{"perl", " :results output", "my $a=q(5);\n\nmy $b=q(two words);\n\nmy $c=\n[\n  q(1),\n  q(2),\n  q(3),\n];\n\nBODY"},
		{"js", " :results output", "var a=5;\nvar b=\"two words\";\nvar c=[1, 2, 3];\nBODY"},
		{"js", "", "require('process').stdout.write(require('util').inspect(function(){var a=5;\nvar b=\"two words\";\nvar c=[1, 2, 3];\nBODY}()));"},
		{"sh", ` :prologue "set -e" :epilogue "echo done"`, "set -e\na='5'\nb='two words'\nc='1\n2\n3'\nBODY\necho done"},
		{"sh", ` :results value`, "a='5'\nb='two words'\nc='1\n2\n3'\nBODY\necho $?"},
	}
	for _, c := range cases {
		doc := mustParse(t, block(c.lang+" "+vars+c.extra, "BODY"))
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Render(doc, p.Tasks[0], nil)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s%s:\n got %q\nwant %q", c.lang, c.extra, got, c.want)
		}
	}
}

func TestRenderRefs(t *testing.T) {
	doc := mustParse(t, "#+name: src\n"+block("sh", "echo a b; echo c d")+"#+name: one\n"+block("sh", "echo hi")+
		block("sh :var t=src :var s=one :noweb yes", "echo <<one()>>"))
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	// Each reference is a run of its own (rerun.go), before the block.
	use := p.Tasks[len(p.Tasks)-1]
	if strings.Join(use.After, ",") != "block-3 :var t=src,block-3 :var s=one,block-3 <<one()>>" {
		t.Fatalf("after = %v", use.After)
	}
	refs := map[string]Value{
		"block-3 :var t=src": ResultValue(p.Tasks[0], "a b\nc d\n"),
		"block-3 :var s=one": ResultValue(p.Tasks[1], "hi\n"),
		"block-3 <<one()>>":  ResultValue(p.Tasks[1], "hi\n"),
	}
	got, err := Render(doc, use, refs)
	if err != nil {
		t.Fatal(err)
	}
	want := "t='a\tb\nc\td'\ns='hi'\necho hi"
	if got != want {
		t.Fatalf("got %q want %q", got, want)
	}
	if _, err := Render(doc, use, nil); err == nil {
		t.Fatal("rendering without the dependencies' results must fail")
	}
}

func TestInterpreterArgs(t *testing.T) {
	cases := map[string]string{
		block("python :python python3.11", "print(1)"):  `sh -c python3.11 "$@" sh`,
		block("js :cmd node --no-warnings", "1"):        `sh -c node --no-warnings "$@" sh`,
		block(`ruby :ruby "FOO=1 ruby"`, "1"):           `sh -c FOO=1 ruby "$@" sh`,
		block("sh :shebang \"#!/bin/bash -e\"", "echo"): "",
		block("bash :cmdline -x y", "echo"):             "sh", // the program that runs it through bash
		block("emacs-lisp", "(+ 1 2)"):                  "emacs -Q --batch -l",
		block("elisp :results output", "(princ 1)"):     "emacs -Q --batch -l",
	}
	for doc, want := range cases {
		p, err := Build(mustParse(t, doc), machine, DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(p.Tasks[0].Interpreter, " "); got != want {
			t.Errorf("%q: interpreter %q, want %q", doc, got, want)
		}
	}
	// A shell's :cmdline goes through the shell, in the program sh
	// runs (TestShellCommandScript).
	p, _ := Build(mustParse(t, block("bash :cmdline -x y", "echo")), machine, DefaultOptions)
	if got := strings.Join(p.Tasks[0].Interpreter, " "); len(p.Tasks[0].CmdLine) != 0 || got != "sh" {
		t.Errorf("bash cmdline %v, interpreter %q", p.Tasks[0].CmdLine, got)
	}
	// Other languages' Babel reads no :cmdline: they get no arguments.
	p, _ = Build(mustParse(t, block(`python :cmdline -x 'y z' a\ b "c d" *.c`, "1")), machine, DefaultOptions)
	if got := p.Tasks[0].CmdLine; len(got) != 0 {
		t.Errorf("python cmdline %q, want none", got)
	}
	p, _ = Build(mustParse(t, block("sh :shebang \"#!/bin/bash -e\"", "echo hi")), machine, DefaultOptions)
	script, _ := Render(mustParse(t, block("sh :shebang \"#!/bin/bash -e\"", "echo hi")), p.Tasks[0], nil)
	if script != "#!/bin/bash -e\n\necho hi" {
		t.Errorf("shebang script %q", script)
	}
}

// A table's rules are dropped from the value a :var receives, as Babel's
// default :hlines no does, and a first row above the only rule is taken
// as column names (unless :colnames no); cells stay as read.
func TestBindTable(t *testing.T) {
	task := &Task{Reader: org.ReadRuby, Results: "replace"}
	v := ResultValue(task, `[["a", 1], nil, ["b", 2], nil, ["c", 3]]`)
	got, names := bindTable(v, nil)
	if len(got.Table) != 3 || got.Table[0][0] != "a" || got.Table[2][1] != "3" || names != nil {
		t.Fatalf("rules in the middle: %+v %v", got, names)
	}
	v = ResultValue(task, `[["h1", "h2"], nil, ["b", 2]]`)
	if got, names := bindTable(v, nil); len(got.Table) != 1 || got.Table[0][0] != "b" || len(names) != 2 || names[0] != "h1" {
		t.Fatalf("column names: %+v %v", got, names)
	}
	if got, names := bindTable(v, org.Args{{Key: "colnames", Value: "no"}}); len(got.Table) != 2 || names != nil {
		t.Fatalf(":colnames no: %+v %v", got, names)
	}
}

// Header args Borges reads but does not honour as Emacs does are noted on
// the task; the block still runs.
func TestNotes(t *testing.T) {
	doc := block("js :session main :cache yes", "true") + block("sh", "true") + block("sh :session none", "true") + block("sh :session main", "true")
	p, err := Build(mustParse(t, doc), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if n := p.Tasks[0].Notes; len(n) != 1 || !strings.HasPrefix(n[0], ":session main: Borges keeps sessions for shells, Python and Ruby: this block runs as its own process") {
		t.Fatalf("notes = %q", n)
	}
	// A shell block's session is kept: nothing to say.
	if len(p.Tasks[1].Notes)+len(p.Tasks[2].Notes)+len(p.Tasks[3].Notes) != 0 {
		t.Fatalf("notes on plain blocks: %q %q %q", p.Tasks[1].Notes, p.Tasks[2].Notes, p.Tasks[3].Notes)
	}
}

// TestLispVarTask: a Lisp :var value of a block that is not Emacs Lisp is
// a task of its own, run by Emacs before the block, whose value the block
// receives as Babel hands it on (a string that reads as a number stays a
// string; a list of lists is a table, its hlines rules).
func TestLispVarTask(t *testing.T) {
	doc := mustParse(t, block(`python :var x=(org-entry-get nil "P" t) :var y=3`, "return x"))
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	// The third reads the block's value in Emacs when it must.
	if len(p.Tasks) != 3 || !p.Tasks[2].ReadsOutput {
		t.Fatalf("tasks: %+v", p.Tasks)
	}
	lt, bt := p.Tasks[0], p.Tasks[1]
	if lt.Block != `block-1 :var x=(org-entry-get nil "P" t)` || lt.Lang != "emacs-lisp" || lt.Index >= 0 || !lt.ValueFile {
		t.Fatalf("the Lisp task: %+v", lt)
	}
	if len(bt.After) != 1 || bt.After[0] != lt.Block {
		t.Fatalf("the block does not depend on it: %+v", bt.After)
	}
	prog, err := Render(doc, lt, nil)
	if err != nil || !strings.Contains(prog, `(org-babel-read "(org-entry-get nil \"P\" t)")`) {
		t.Fatalf("program: %v\n%s", err, prog)
	}
	for out, want := range map[string]string{
		`s"42"`: `x="42"`, `d42`: `x=42`, `n`: `x=[]`, `(d1 s"a")`: `x=[1, "a"]`,
		`((d1 d2) (d3 d4) h)`: `x=[[1, 2], [3, 4]]`, `((d1 d2) h (d3 d4))`: `x=[[3, 4]]`, `y"sym"`: `x=sym`, `r"[1 2]"`: `x=[1 2]`,
	} {
		refs := map[string]Value{lt.Block: ResultValue(lt, out)}
		script, err := Render(doc, bt, refs)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(script, "    "+want+"\n") {
			t.Errorf("%s: the block's program lacks %q:\n%s", out, want, script)
		}
	}
}

// TestFileMode: a :file-mode is read as Emacs reads the integer in it
// (org.ReadRadix for the radix syntax: #8r755, a sign, upper case, as
// Emacs 28.2 reads them all to 493).
func TestFileMode(t *testing.T) {
	for v, want := range map[string]uint32{"(identity #o600)": 0o600, "420": 420, "(identity #x1ed)": 0o755, "(identity 493)": 493,
		"(identity #8r755)": 0o755, "(identity #o+755)": 0o755, "(identity #X1ED)": 0o755, "(identity #2r111101101)": 0o755,
		// set-file-modes keeps the low 12 bits (checked with Emacs 28.2).
		"(identity #x-1)": 0o7777, "-1": 0o7777, "(identity #o17755)": 0o7755, "(identity +493)": 493, "+493": 493} {
		p, err := Build(mustParse(t, block("sh :results file :file x.txt :file-mode "+v, "true")), machine, DefaultOptions)
		if err != nil || p.Tasks[0].FileMode != want {
			t.Errorf("%s: %v %+v", v, err, p)
		}
	}
	for _, v := range []string{"(identity #o)", "(identity #x4000000000000000)", "(identity #o8)", "(identity #x+-5)", `(identity "0420")`} {
		if _, err := Build(mustParse(t, block("sh :results file :file x.txt :file-mode "+v, "true")), machine, DefaultOptions); err == nil || !strings.Contains(err.Error(), "is not a file mode") {
			t.Errorf("%s: %v, want it refused", v, err)
		}
	}
}

// TestFileModeStops: a :file-mode that org-babel-read leaves no fixnum
// (a string, quoted or not; a symbol; a float; a bignum) is refused by
// set-file-modes once Emacs has written the file (checked with Emacs
// 28.2: fixtures stop_file_mode_*): the document is not refused, the
// task has no mode and a note that says so, and ResultStop stops there,
// the results not written. Not on a :file Babel does not write (link),
// nor under :results none.
func TestFileModeStops(t *testing.T) {
	for v, want := range map[string]string{`"0420"`: `"0420"`, "o420": `"o420"`, `"o420"`: `"o420"`, "#o644": `"#o644"`, "nil": `"nil"`,
		`""`: `""`, "": "nil", "'nil": "nil", "'rw": "rw", "420.0": "420.0", "1e3": "1000.0", "99999999999999999999": "99999999999999999999", "'(4 2)": "(4 2)"} {
		doc := mustParse(t, block("sh :results file :file x.txt :file-mode "+v, "echo x"))
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Errorf("%s: %v", v, err)
			continue
		}
		x := p.Tasks[0]
		if x.FileModeSet || len(x.Notes) != 1 || !strings.Contains(x.Notes[0], "set-file-modes refuses") {
			t.Errorf("%s: mode set %v, notes %q", v, x.FileModeSet, x.Notes)
		}
		if why, written := ResultStop(doc, x, "x\n", nil); why != FileModeStopPrefix+want || written {
			t.Errorf("%s: stop %q (written %v), want %q", v, why, written, FileModeStopPrefix+want)
		}
	}
	for _, b := range []string{"sh :results file link :file x.txt :file-mode \"0420\"", "sh :results file none :file x.txt :file-mode \"0420\"", "sh :results file :file x.txt :file-mode 420"} {
		doc := mustParse(t, block(b, "echo x"))
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Errorf("%s: %v", b, err)
			continue
		}
		if why, _ := ResultStop(doc, p.Tasks[0], "x\n", nil); why != "" {
			t.Errorf("%s: stop %q, want none", b, why)
		}
	}
}

// TestUnreadNameStops: a named file link without a path reads as nil,
// which org-babel-ref-resolve signals "Reference not found" for: Emacs
// stops at the referring block (checked with Emacs 28.2), the document
// is not refused.
func TestUnreadNameStops(t *testing.T) {
	p, err := Build(mustParse(t, "#+name: e\n[[file:]]\n\n"+block("sh :var x=e", "true")), machine, DefaultOptions)
	if err != nil || p.Stop != "Reference not found" {
		t.Fatalf("stop %q, %v; want the document stopped with \"Reference not found\"", p.Stop, err)
	}
}

// TestFileModeZero: a :file-mode whose low 12 bits are 0 ((identity
// #o10000)) is a mode all the same: Emacs 28.2's set-file-modes gives
// the file mode 0. A block with no :file-mode has none.
func TestFileModeZero(t *testing.T) {
	p, err := Build(mustParse(t, block("sh :results file :file x.txt :file-mode (identity #o10000)", "true")+block("sh :results file :file y.txt", "true")), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if x := p.Tasks[0]; !x.FileModeSet || x.FileMode != 0 {
		t.Errorf("#o10000: mode %o set %v, want 0 set", x.FileMode, x.FileModeSet)
	}
	if y := p.Tasks[1]; y.FileModeSet {
		t.Errorf("no :file-mode: mode %o set", y.FileMode)
	}
}

// Where every task runs in an image (a Kubernetes pod), :image NAME alone
// names it, checked as with :dockerize t; elsewhere (a process here, a
// Mesos command task) it is refused, naming the line and the header arg.
func TestBuildImageAlone(t *testing.T) {
	pods := machine
	pods.ImageAlone = true
	p, err := Build(mustParse(t, "#+name: boxed\n"+block("sh :image redis", "redis-server")), pods, DefaultOptions)
	if err != nil {
		t.Fatalf("with pods: %v", err)
	}
	if c := p.Tasks[0].Container; c == nil || c.Image != "redis" || c.Network != "host" {
		t.Fatalf("container %+v", c)
	}
	p, err = Build(mustParse(t, block("sh :image busybox :network none", "true")+block("sh", "true")), pods, DefaultOptions)
	if err != nil {
		t.Fatalf("with pods: %v", err)
	}
	if c := p.Tasks[0].Container; c == nil || c.Image != "busybox" || c.Network != "none" {
		t.Fatalf("container %+v", c)
	}
	if c := p.Tasks[1].Container; c != nil {
		t.Fatalf("a block without :image has container %+v", c)
	}
	if _, err := Build(mustParse(t, block("sh :image Bad/IMAGE", "true")), pods, DefaultOptions); err == nil ||
		!strings.Contains(err.Error(), `line 1: block "block-1": :image: "Bad/IMAGE" is not a Docker image reference`) {
		t.Fatalf("bad image with pods: %v", err)
	}
	if _, err := Build(mustParse(t, block("sh :image", "true")), pods, DefaultOptions); err == nil ||
		!strings.Contains(err.Error(), `:image: :image needs NAME`) {
		t.Fatalf("empty image with pods: %v", err)
	}
	if _, err := Build(mustParse(t, "#+name: boxed\n"+block("sh :image redis", "redis-server")), machine, DefaultOptions); err == nil ||
		!strings.Contains(err.Error(), `line 1: block "boxed": :image: given without :dockerize t`) {
		t.Fatalf("without pods: %v", err)
	}
}

// A #+call: of a name written #+srcname: (or #+function:) runs nothing, as
// org-babel-lob--src-info finds nothing and Emacs goes on silently.
func TestCallOfOldNameSkipped(t *testing.T) {
	for _, kw := range []string{"srcname", "source", "data", "function"} {
		p, err := Build(mustParse(t, "#+"+kw+": a\n"+block("sh", "true")+"#+call: a()\n"), machine, DefaultOptions)
		if err != nil {
			t.Fatalf("#+%s: %v", kw, err)
		}
		if len(p.Tasks) != 1 || len(p.Skipped) != 1 || p.Skipped[0].Block != "call-1" || !strings.Contains(p.Skipped[0].Reason, "Emacs runs nothing") {
			t.Fatalf("#+%s: tasks %d, skipped %+v", kw, len(p.Tasks), p.Skipped)
		}
	}
}

// TestCallOfOverriddenName: a #+call: of a name whose first element is
// data (a table, an example block, a paragraph), a block of that name
// after it, runs nothing, as org-babel-lob--src-info stops its search at
// that element (checked with Emacs 28.2, names.org): skipped, saying
// why, as is a call of a named call that so runs nothing. A block first
// runs, data after it or not.
func TestCallOfOverriddenName(t *testing.T) {
	for _, c := range []struct{ name, doc string }{
		{"table", "#+name: a\n| 1 |\n\n#+name: a\n" + block("sh", "echo a") + "#+call: a()\n"},
		{"example", "#+name: a\n#+begin_example\nx\n#+end_example\n\n#+name: a\n" + block("sh", "echo a") + "#+call: a()\n"},
		{"paragraph", "#+name: a\nSome text.\n\n#+name: a\n" + block("sh", "echo a") + "#+call: a()\n"},
		{"named call of it", "#+name: a\n| 1 |\n\n#+name: a\n" + block("sh", "echo a") + "#+name: b\n#+call: a()\n\n#+call: b()\n"},
		{"table in a center block", "#+begin_center\n#+name: a\n| 1 |\n#+end_center\n\n#+name: a\n" + block("sh", "echo a") + "#+call: a()\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Build(mustParse(t, c.doc), machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Tasks) != 1 || p.Tasks[0].Block != "a" {
				t.Errorf("tasks %d, want the block a's alone", len(p.Tasks))
			}
			if len(p.Skipped) == 0 || !strings.Contains(p.Skipped[len(p.Skipped)-1].Reason, "Emacs runs nothing") {
				t.Fatalf("skipped %+v, want the call saying why", p.Skipped)
			}
		})
	}
	// A block first runs; so does the call where the first #+name: is
	// no element's: org-element leaves a keyword before a headline or a
	// drawer's :END: unaffiliated, and the search goes on. A quote
	// block's contents are elements: a block named there comes first.
	for _, c := range []struct{ name, doc string }{
		{"a block first", "#+name: a\n" + block("sh", "echo a") + "#+name: a\n| 1 |\n\n#+call: a()\n"},
		{"before a headline", "#+name: a\n* H\n#+name: a\n" + block("sh", "echo a") + "#+call: a()\n"},
		{"last in a drawer", ":DR:\n#+name: a\n:END:\n\n#+name: a\n" + block("sh", "echo a") + "#+call: a()\n"},
		{"block in a quote", "#+begin_quote\n#+name: a\n" + block("sh", "echo a") + "#+end_quote\n\n#+name: a\n| 1 |\n\n#+call: a()\n"},
	} {
		p, err := Build(mustParse(t, c.doc), machine, DefaultOptions)
		if err != nil || len(p.Tasks) != 2 || len(p.Skipped) != 0 {
			t.Errorf("%s: %v, %d tasks, skipped %+v; want the call run", c.name, err, len(p.Tasks), p.Skipped)
		}
	}
}

// TestBuildEmacsMemory: a task that runs Emacs (an Emacs Lisp block, the
// task evaluating a Lisp :var value) asks for at least EmacsMemMB where
// its block says nothing: a batch Emacs with Org loaded holds about 31 MB,
// which a 32 MB cgroup (the default :mem) made reclaim for half a minute
// and then kill. A :mem the block asks for stays.
func TestBuildEmacsMemory(t *testing.T) {
	for _, c := range []struct {
		name, header string
		want         float64
	}{
		{"emacs-lisp", "emacs-lisp", EmacsMemMB},
		{"emacs-lisp asking", "emacs-lisp :mem 64", 64},
		{"emacs-lisp asking more", "emacs-lisp :mem 1G", 1024},
		{"sh", "sh", 32},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Build(mustParse(t, block(c.header, "1")), machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Tasks) == 0 {
				t.Fatal("no task")
			}
			if got := p.Tasks[0].Resources.MemMB; got != c.want {
				t.Fatalf("mem = %v, want %v", got, c.want)
			}
		})
	}
	p, err := Build(mustParse(t, block("sh :var x=(+ 1 2)", "echo $x")), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, task := range p.Tasks {
		if task.Lang == "emacs-lisp" {
			found = true
			if task.Resources.MemMB != EmacsMemMB {
				t.Fatalf("the Lisp :var task's mem = %v, want %v", task.Resources.MemMB, EmacsMemMB)
			}
		} else if task.Resources.MemMB != 32 {
			t.Fatalf("the sh block's mem = %v, want 32", task.Resources.MemMB)
		}
	}
	if !found {
		t.Fatal("no task evaluates the Lisp :var value")
	}
}

// TestVarDefaultStops: a :var value no variable takes (":var x 1" is the
// values x and 1, neither an assignment; a call's positional argument
// past the called block's variables) stops org-babel-execute-buffer at
// the block or call, with Emacs's error, the blocks before it run.
func TestVarDefaultStops(t *testing.T) {
	cases := []struct{ name, doc, stop string }{
		{"var without equals", block("sh", "echo 1") + block("sh :var x 1", "true") + block("sh", "echo 3"), `Variable "x" must be assigned a default value`},
		{"call argument", "#+name: f\n" + block("sh", "true") + "#+call: f(\"X\")\n", `Variable ""X"" must be assigned a default value`},
		{"reference", "#+name: f\n" + block("sh", "true") + block("sh :var y=f(2)", "true"), `Variable "2" must be assigned a default value`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Build(mustParse(t, c.doc), machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			if p.Stop != c.stop {
				t.Fatalf("stop %q, want %q", p.Stop, c.stop)
			}
			for _, task := range p.Tasks {
				if task.Line < p.StopLine && task.Replaced != "" {
					t.Errorf("%s, before the stop, is not run: %s", task.Block, task.Replaced)
				}
				if task.Line >= p.StopLine && task.Replaced == "" {
					t.Errorf("%s, at or after the stop, runs", task.Block)
				}
			}
		})
	}
}

// TestCmdlineLispValues: what the plan makes of a shell block's :cmdline
// as ob-shell's (concat " " cmdline) takes it: a vector or list of
// characters is their string, cut at a NUL; an element no character, a
// symbol or a number stops Emacs at the block (Task.CmdlineStop); an
// empty one runs the block as a script, a nil one (no value, '()) does
// not.
func TestCmdlineLispValues(t *testing.T) {
	for _, c := range []struct {
		header, cmdline, stop string
		through               bool
	}{
		{`sh :cmdline [97 98]`, "ab", "", true},
		{`sh :cmdline '(97 32 98)`, "a b", "", true},
		{"sh :cmdline `(120)", "x", "", true},
		{`sh :cmdline [233 4194303]`, "\u00e9\xff", "", true},
		{`sh :cmdline [97 0 98]`, "a", "", true},
		{`sh :cmdline []`, "", "", true},
		{`sh :cmdline ""`, "", "", true},
		{`sh :cmdline`, "", "", false},
		{`sh :cmdline '()`, "", "", false},
		{`sh :cmdline [97 a]`, "", "Wrong type argument: characterp, a", false},
		{`sh :cmdline '(97 "b")`, "", `Wrong type argument: characterp, "b"`, false},
		{`sh :cmdline [97.0]`, "", "Wrong type argument: characterp, 97.0", false},
		{`sh :cmdline [4194304]`, "", "Wrong type argument: characterp, 4194304", false},
		{`sh :cmdline 'a b' c`, "", "Wrong type argument: sequencep, a", false},
		{`sh :cmdline 7`, "", "Wrong type argument: sequencep, 7", false},
	} {
		p, err := Build(mustParse(t, block(c.header, "true")), machine, DefaultOptions)
		if err != nil {
			t.Errorf("%s: %v", c.header, err)
			continue
		}
		task := p.Tasks[0]
		got := ""
		if task.cmdline != nil {
			got = *task.cmdline
		}
		if got != c.cmdline || task.CmdlineStop() != c.stop || task.throughShell() != c.through {
			t.Errorf("%s: cmdline %q, stop %q, through the shell %v; want %q, %q, %v", c.header, got, task.CmdlineStop(), task.throughShell(), c.cmdline, c.stop, c.through)
		}
		if c.stop != "" && p.Stop != c.stop {
			t.Errorf("%s: the plan stops with %q, want %q", c.header, p.Stop, c.stop)
		}
		// The error is ob-shell's, running the block, not one
		// resolving its references.
		if c.stop != "" && (strings.Contains(p.StopNote, "resolving") || strings.Contains(task.Replaced, "resolving") || !strings.Contains(p.StopNote, ":cmdline")) {
			t.Errorf("%s: note %q, task %q: want the stop said to be its :cmdline's", c.header, p.StopNote, task.Replaced)
		}
	}
}

// TestFileModeStopsThroughReferences: a block referring to one whose
// :file-mode set-file-modes refuses stops the document at the referring
// block, which is not run (Emacs runs the block referred to inside its
// run: fixtures stop_file_mode_ref_*); one with a :post stops at the
// block, its :post not run (stop_file_mode_post). Under :cache yes
// both are refused.
func TestFileModeStopsThroughReferences(t *testing.T) {
	const s = "#+name: s\n#+begin_src sh :results file :file s.txt :file-mode \"0420\"\necho s\n#+end_src\n"
	stop := FileModeStopPrefix + `"0420"`
	for _, ref := range []string{"sh :var x=s", "sh :var x=s(n=2)", "sh :stdin s"} {
		p, err := Build(mustParse(t, "#+name: r\n"+block(ref, "echo $x")+"\n"+s), machine, DefaultOptions)
		if err != nil {
			t.Errorf("%s: %v", ref, err)
			continue
		}
		if p.Stop != stop || p.StopLine != 1 {
			t.Errorf("%s: stop %q at line %d, want %q at line 1", ref, p.Stop, p.StopLine, stop)
		}
		if r := p.Tasks[slices.IndexFunc(p.Tasks, func(x *Task) bool { return x.Block == "r" })]; r.Replaced == "" {
			t.Errorf("%s: the referring block runs", ref)
		}
	}
	post := "#+name: p\n" + block("sh :results silent", "echo post") + "\n" + block("sh :results file :file pv.txt :file-mode \"0420\" :post p(in=*this*)", "echo body")
	p, err := Build(mustParse(t, post), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if p.Stop != stop || p.StopLine != 7 {
		t.Errorf(":post: stop %q at line %d, want %q at line 7", p.Stop, p.StopLine, stop)
	}
	for _, x := range p.Tasks {
		if x.Post && x.Replaced == "" {
			t.Errorf(":post: its task %s runs", x.Block)
		}
	}
	for _, doc := range []string{
		"#+name: r\n" + block("sh :var x=s", "echo $x") + "\n" + strings.Replace(s, ":file-mode", ":cache yes :file-mode", 1),
		strings.Replace(post, ":file-mode", ":cache yes :file-mode", 1),
	} {
		if _, err := Build(mustParse(t, doc), machine, DefaultOptions); err == nil || !strings.Contains(err.Error(), "under :cache yes") {
			t.Errorf("%v, want it refused:\n%s", err, doc)
		}
	}
	// A :post that calls such a block, or refers to one: Emacs stops
	// inside the :post, once the block has run; Borges refuses it.
	for _, doc := range []string{
		block("sh :post s(x=*this*)", "echo body") + s,
		"#+name: q\n" + block("sh :var y=s", "echo $y") + block("sh :post q(x=*this*)", "echo body") + s,
	} {
		if _, err := Build(mustParse(t, doc), machine, DefaultOptions); err == nil || !strings.Contains(err.Error(), "inside the :post") {
			t.Errorf("%v, want it refused:\n%s", err, doc)
		}
	}
}

// TestResultValueScalarCondText: under :results that
// org-babel-result-cond keeps as text (drawer, raw, org, verbatim,
// scalar, html, code, pp, output), a value that reads as a number ("42")
// is a string, as the language's function hands it on unread (an Emacs
// Lisp :post gets "42", not 42); read as a table it is the number.
func TestResultValueScalarCondText(t *testing.T) {
	for _, c := range []struct {
		t      *Task
		out    string
		number bool
	}{
		{&Task{Lang: "perl", Reader: org.ReadPerl, Results: "replace"}, "42", true},
		{&Task{Lang: "perl", Reader: org.ReadPerl, Results: "replace drawer"}, "42", false},
		{&Task{Lang: "perl", Reader: org.ReadPerl, Results: "replace raw"}, "42", false},
		{&Task{Lang: "python", Reader: org.ReadPython, Results: "replace verbatim"}, "42", false},
		{&Task{Lang: "ruby", Reader: org.ReadRuby, Results: "replace scalar"}, "42", false},
	} {
		if got := ResultValue(c.t, c.out).Number; got != c.number {
			t.Errorf("ResultValue(%s :results %s, %q).Number = %v, want %v", c.t.Lang, c.t.Results, c.out, got, c.number)
		}
	}
}
