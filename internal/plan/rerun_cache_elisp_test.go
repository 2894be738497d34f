package plan

import (
	"bytes"
	"context"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan/emacsprefixes"
)

// TestCacheAcrossElispRefused: a reference to a :cache yes block whose
// own run stands before it, with an Emacs Lisp evaluation Emacs makes
// between (a block, whatever its body holds; one standing before the
// block, run again by a reference from between; a Lisp :var value), is
// refused, at the reference's line and :var: Babel hashes the block
// again there, with the buffer as the evaluation left it (Emacs 28.2 /
// Org 9.5.5 gives "[nil]" for the first four: the block's body line or
// its results deleted; "[v2]" for the second: its body rewritten),
// which Borges cannot tell of Lisp that is not pure (pureLisp).
func TestCacheAcrossElispRefused(t *testing.T) {
	for _, c := range []struct{ fixture, want string }{
		{"rerun_cache_elisp_flush_lines", `line 14: block "block-3": :var: c: a :cache yes block whose own run stands before`},
		{"rerun_cache_elisp_rerun_before", `line 26: block "block-4": :var: c: a :cache yes block whose own run stands before`},
		{"rerun_cache_lisp_var_between", `line 14: block "block-3": :var: c: a :cache yes block whose own run stands before`},
		{"rerun_cache_elisp_user_function", `line 18: block "block-4": :var: c: a :cache yes block whose own run stands before`},
	} {
		t.Run(c.fixture, func(t *testing.T) {
			text, err := os.ReadFile("testdata/" + c.fixture + ".org")
			if err != nil {
				t.Fatal(err)
			}
			_, err = Build(mustParse(t, string(text)), machine, DefaultOptions)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want a refusal holding %q", err, c.want)
			}
		})
	}
}

// TestPureLisp: only forms of functions that compute a value are pure;
// any other head, quoting, comments, noweb references are not.
func TestPureLisp(t *testing.T) {
	for src, want := range map[string]bool{
		`(message "%s" (upcase "insert"))`: true,
		"(+ 1 2)":                          true,
		"(* x 3)":                          true,
		`(format "%d %S" (length x) (append x nil))`: true,
		"1\n\"a\"": true,
		"":         false,
		"(flush-lines \"^x\" (point-min) (point-max))": false,
		"(zz-go)":         false,
		"(setq n (1+ n))": false,
		"(message 'a)":    true,
		"(list (list \"x\" nil 1) 'hline '(a (b \"c\")))": true,
		"(list '#.(insert \"x\"))":                        false,
		"(list `(a ,(insert \"x\")))":                     false,
		"`,zzb":                                           true,
		"`(a ,zzb ,@(list 1) '(b ,(1+ zzb)) [c])":         true,
		"`(a ,(insert \"x\"))":                            false,
		"`(a '(b ,(insert \"x\")))":                       false,
		"`(a `(b ,,zzb))":                                 false,
		"`(a ,zzb":                                        false,
		"(+ 1 2) ; (kill-region)":                         false,
		"(concat <<a()>>)":                                false,
		"(progn (+ 1 2) (insert \"x\"))":                  false,
		"(+ 1 2":                                          false,
		"(list [3 \"a\"] [(insert)])":                     true,
		"[1 2 (a b)":                                      false,
		"(funcall #'insert \"x\")":                        false,
		// Data: Emacs evaluates a vector to itself, a quote or #'
		// inside data to a list.
		"[1 (fset 'upcase #'ignore)]": true,
		"'(a 'b #'c)":                 true,
		"[#.(insert \"x\")]":          false,
		// links.org's Emacs Lisp blocks between f3 and its :stdin reader.
		`(list (file-relative-name d default-directory) (file-relative-name e "~"))`: true,
		"(list a b (stringp a))": true,
	} {
		if got := pureLisp(src); got != want {
			t.Errorf("pureLisp(%q) = %v, want %v", src, got, want)
		}
	}
}

// TestCacheChainScales: a chain of :cache yes blocks, each referring to
// the one before (each reference served by the cache, one task a
// block), plans in memory linear in its blocks: the check for Emacs Lisp
// between a block's own run and a reference is one comparison, not a
// walk of the document's blocks at each reference (which allocated ×3.3
// per doubling). Bytes allocated, not time: a ratio a loaded machine
// does not change.
func TestCacheChainScales(t *testing.T) {
	alloc := func(n int) uint64 {
		var sb strings.Builder
		sb.WriteString("#+name: b0\n#+begin_src sh :cache yes\necho 0\n#+end_src\n\n")
		for i := 1; i < n; i++ {
			fmt.Fprintf(&sb, "#+name: b%d\n#+begin_src sh :cache yes :var x=b%d\necho $((x+1))\n#+end_src\n\n", i, i-1)
		}
		doc := mustParse(t, sb.String())
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		p, err := Build(doc, Limits{}, Options{MaxTasks: 100000})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Tasks) != n {
			t.Fatalf("%d blocks: %d tasks, want one a block", n, len(p.Tasks))
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	a1, a2 := alloc(1000), alloc(2000)
	t.Logf("1000 blocks: %d bytes; 2000: %d (×%.2f)", a1, a2, float64(a2)/float64(a1))
	if float64(a2) > 2.3*float64(a1) {
		t.Errorf("planning allocates ×%.2f for ×2 the blocks (1000: %d bytes, 2000: %d)", float64(a2)/float64(a1), a1, a2)
	}
}

// TestCacheCallOtherArgsAcrossElisp: a call of a :cache yes block with
// other arguments than its own run's, across Lisp that is not pure, is
// no reference the own run could serve: Babel hashes it otherwise and
// runs it (fixture rerun_cache_call_args_across_elisp.org); a call with
// the own run's arguments is refused as a plain reference is.
func TestCacheCallOtherArgsAcrossElisp(t *testing.T) {
	doc := func(call string) string {
		return "#+name: a\n" + block("sh :cache yes :var n=1", "echo a$n") + block("emacs-lisp :results silent", "(setq user-n 1)") + block("sh :var y="+call, "echo $y")
	}
	if _, err := Build(mustParse(t, doc("a(n=2)")), machine, DefaultOptions); err != nil {
		t.Errorf("a(n=2): %v", err)
	}
	for _, call := range []string{"a", "a(n=1)"} {
		if _, err := Build(mustParse(t, doc(call)), machine, DefaultOptions); err == nil || !strings.Contains(err.Error(), ":var: a: a :cache yes block whose own run stands before") {
			t.Errorf("%s: got %v, want a refusal", call, err)
		}
	}
}

// TestCacheAcrossDocVarSetq: Lisp between a :cache yes block's own run
// and a reference to it that only sets variables of the document's own
// (setq of a name holding no '-' that Emacs does not bind, or of one
// whose prefix no symbol of Emacs's has, my-counter, its values pure:
// settingLisp) cannot change the buffer or anything Babel reads:
// the reference is planned (served, or a run whose hash the engine
// compares), as for pure Lisp (fixtures rerun_cache_unserved.org,
// post_callee_ref_cached_var_changes.org). A setq of a name of an
// Emacs prefix (user-counter, org-babel-x: a variable Emacs or Org may
// read), of one of Emacs's own (features),
// across it in a document with a Lisp form in a header argument
// (hashed as written, where Emacs evaluates it, perhaps reading the
// variable), or after any other Lisp that is not pure (which may have
// made the variable an alias of one Babel reads, or watched it) is
// refused still.
func TestCacheAcrossDocVarSetq(t *testing.T) {
	for _, fixture := range []string{"rerun_cache_unserved", "post_callee_ref_cached_var_changes"} {
		text, err := os.ReadFile("testdata/" + fixture + ".org")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Build(mustParse(t, string(text)), machine, DefaultOptions); err != nil {
			t.Errorf("%s: %v", fixture, err)
		}
	}
	doc := func(before, setq, header string) string {
		return before + "#+name: a\n" + block("sh :cache yes"+header, "echo a") + block("emacs-lisp :results silent", setq) + block("sh :var y=a", "echo $y")
	}
	elisp := func(src string) string { return block("emacs-lisp :results silent", src) }
	const refused = ":var: a: a :cache yes block whose own run stands before"
	const earlier = "after Lisp of the document's that is not pure (line 1)"
	const advised = "Lisp of the document's that is not pure ran before it (line 1)"
	for _, c := range []struct {
		before, setq, header, want string
	}{
		{"", "(setq zz 1)", "", ""},
		{"", "(setq zz (1+ zz) k (+ zz 2))", "", ""},
		{"", "(setq zz (insert \"x\"))", "", refused},
		{"", "(setq my-counter (1+ zz))", "", ""},
		{"", "(setq user-counter 1)", "", "Lisp that only sets variables of the document's own"},
		{"", "(setq org-babel-x 1)", "", refused},
		{"", "(setq features nil)", "", refused},
		{"", "(setq zz)", "", refused},
		{"", "(setq :k 1)", "", refused},
		{"", "(setq zz 1)", " :mkdirp (identity zz)", "a Lisp form in a header argument"},
		// Lisp evaluated before, the block's own run included, that
		// sets variables of the document's own, defines them (defvar)
		// or is pure cannot tie a variable to another or watch it.
		{elisp("(defvar zz 0)\n(setq k (list zz))"), "(setq zz 1)", "", ""},
		{elisp("(+ 1 2)"), "(setq zz 1)", "", ""},
		{block("sh :var q=(setq zz 0)", "echo $q"), "(setq zz 1)", "", ""},
		// Any other may have (fixtures of a review: Emacs runs a again
		// at the reference, its hash or its body changed).
		{elisp("(defvaralias 'zz 'org-babel-default-header-args:sh)"), "(setq zz '((:foo . \"bar\")))", "", earlier},
		{elisp("(add-variable-watcher 'zz (lambda (&rest _) (insert \"x\")))"), "(setq zz 1)", "", earlier},
		{elisp("(advice-add 'identity :before #'ignore)"), "(setq zz 1)", "", earlier},
		{block("sh :var q=(defvaralias 'zz 'x)", "echo $q"), "(setq zz 1)", "", earlier},
		{elisp("(defvar user-x 0)"), "(setq zz 1)", "", earlier},
		{elisp("(defvar my-x 0)"), "(setq my-y 1)", "", ""},
		// Lisp that is not pure before, pure Lisp between: the
		// functions it calls may have been redefined or advised
		// (TestCacheAcrossAdvisedPureLisp).
		{elisp("(add-variable-watcher 'zz #'ignore)"), "(+ 1 2)", "", advised},
	} {
		_, err := Build(mustParse(t, doc(c.before, c.setq, c.header)), machine, DefaultOptions)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s %s%s: %v", c.before, c.setq, c.header, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s %s%s: got %v, want a refusal holding %q", c.before, c.setq, c.header, err, c.want)
		}
	}
}

// TestSettingLisp: pure Lisp but for setq forms of variables of the
// document's own, each with a pure value; a setq of a name with a '-',
// of a keyword, a number or one of Emacs's own dashless variables, a
// name without its value, or an impure value is not.
func TestSettingLisp(t *testing.T) {
	for src, want := range map[string]bool{
		"(setq n (1+ n))":                          true,
		"(progn (setq n 1 m (list n \"x\")) n)":    true,
		"(setq zzn (1+ zzn))\n(+ zzn 1)":           true,
		"(+ 1 2)":                                  true,
		"(setq my-counter 1)":                      true,
		"(setq user-counter 1)":                    false,
		"(setq buffer-x 1)":                        false,
		"(setq -x 1)":                              false,
		"(setq my_x-y 1)":                          false,
		"(setq org-babel-default-header-args nil)": false,
		"(setq :k 1)":                              false,
		"(setq 1 2)":                               false,
		"(setq features nil)":                      false,
		"(setq t 1)":                               false,
		"(setq n)":                                 false,
		"(setq n 1 m)":                             false,
		"(setq)":                                   false,
		"(setq n (insert \"x\"))":                  false,
		"(setq n 1) (defvar m 2)":                  true,
		"(defvar m)":                               true,
		"(defvar m (1+ 2) \"doc\")":                true,
		"(defvar m 1 \"doc\" 4)":                   false,
		"(defvar m 1 doc)":                         false,
		"(defvar my-m 2)":                          true,
		"(defvar python-m 2)":                      false,
		"(defvar m (insert \"x\"))":                false,
		"(defvar features 1)":                      false,
		"(defvaralias 'n 'org-x)":                  false,
		"(list (setq n 1))":                        true,
	} {
		if got := settingLisp(src); got != want {
			t.Errorf("settingLisp(%q) = %v, want %v", src, got, want)
		}
	}
	if pureLisp("(setq n 1)") {
		t.Error("pureLisp takes a setq for pure")
	}
}

// TestCacheServesLispVarForms: a :var value of a :cache yes block that
// org-babel-read evaluates (starting with '(', '`', '\” or '[') is
// evaluated again at each reference, and may hash the block otherwise
// there: the reference is a run of its own, whose hash the engine
// compares (markOwnHash), for a backquoted value as for a list
// (fixture rerun_cache_doc_var_setq_bq.org: Emacs runs d again).
func TestCacheServesLispVarForms(t *testing.T) {
	tasks := func(value string) int {
		doc := "#+name: d\n" + block("sh :cache yes :var y="+value, "echo d$y") + block("emacs-lisp :results silent", "(setq zzb 1)") + block("sh :var x=d", "echo $x")
		p, err := Build(mustParse(t, doc), machine, DefaultOptions)
		if err != nil {
			t.Fatalf("%s: %v", value, err)
		}
		return len(p.Tasks)
	}
	list := tasks("(+ zzb 0)")
	for _, value := range []string{"`,zzb", "`(a ,zzb)"} {
		if got := tasks(value); got != list {
			t.Errorf("%s: %d tasks, want %d as for (+ zzb 0) (a run of d at the reference)", value, got, list)
		}
	}
}

// TestEmacsPrefixesMeasured: emacsprefixes.go is what its generator
// (go generate: emacsprefixes/gen) writes from the Emacs here, byte for
// byte: every prefix (before a name's first '-', letters and digits) of
// a symbol Emacs holds once Org, every ob-*.el of its and the modes of
// the languages Borges runs are loaded and Borges's own Lisp (OwnLisp,
// its borges-- variables) is read, and no other, so no variable
// docVariable takes for the document's own is one that code names; the
// dashless variables Emacs binds are emacsPlainVars.
func TestEmacsPrefixesMeasured(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	m, err := emacsprefixes.Measure(ctx, emacs, OwnLisp())
	if err != nil {
		t.Fatal(err)
	}
	want, err := format.Source(emacsprefixes.Table(m))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile("emacsprefixes.go"); err != nil || !bytes.Equal(got, want) {
		t.Errorf("emacsprefixes.go is not what Emacs %s (Org %s) measures: run go generate ./internal/plan (%v)", m.Emacs, m.Org, err)
	}
	for _, p := range m.Prefixes {
		if docPrefix(p) {
			t.Errorf("Emacs has symbols of prefix %q, which emacsPrefixes lacks", p)
		}
	}
	for _, n := range m.Plain {
		if docVariable(n) {
			t.Errorf("Emacs binds %q, which emacsPlainVars lacks", n)
		}
	}
	for _, n := range []string{"borges--edited", "borges--tick", "borges-x"} {
		if docVariable(n) {
			t.Errorf("%s, a variable of Borges's own Lisp in the document's Emacs, is taken for the document's", n)
		}
	}
}

// TestCacheAcrossAdvisedPureLisp: pure Lisp (pureLisp) between a :cache
// yes block's own run and a reference counts as Lisp that may change
// the buffer once any Lisp of the document's that is not pure ran
// before it, the block's own run too: that Lisp may have advised or
// redefined the functions pure Lisp calls (advice-add, add-function,
// fset, defalias, defun). Emacs runs the block again at the reference
// of rerun_cache_elisp_advised_pure.org ("got [v2]"), where serving the
// own run's value would give "got [v1]": the reference is refused,
// naming its line and :var and the line of that Lisp.
func TestCacheAcrossAdvisedPureLisp(t *testing.T) {
	const fixture = "testdata/rerun_cache_elisp_advised_pure.org"
	text, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	const want = `line 27: block "block-4": :var: c: a :cache yes block whose own run stands before pure Emacs Lisp`
	if _, err := Build(mustParse(t, string(text)), machine, DefaultOptions); err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "(line 8)") {
		t.Errorf("got %v, want a refusal holding %q and (line 8)", err, want)
	}
	doc := func(before string) string {
		return block("emacs-lisp :results silent", before) + "#+name: a\n" + block("sh :cache yes", "echo a") + block("emacs-lisp :results silent", `(upcase "x")`) + block("sh :var y=a", "echo $y")
	}
	for _, before := range []string{
		"(advice-add 'upcase :before #'ignore)",
		"(add-function :before (symbol-function 'upcase) #'ignore)",
		"(fset 'upcase (lambda (s) (insert s) s))",
		"(defalias 'upcase #'downcase)",
		"(defun upcase (s) s)",
	} {
		if _, err := Build(mustParse(t, doc(before)), machine, DefaultOptions); err == nil || !strings.Contains(err.Error(), "pure Emacs Lisp") {
			t.Errorf("%s: got %v, want a refusal", before, err)
		}
	}
	for _, before := range []string{"(+ 1 2)", "(setq zz 1)", "(defvar my-x 0)"} {
		if _, err := Build(mustParse(t, doc(before)), machine, DefaultOptions); err != nil {
			t.Errorf("%s: %v", before, err)
		}
	}
	// Emacs: the pure-looking Lisp changed the block, which runs again.
	emacsRunsAgain(t, fixture)
}

// emacsRunsAgain checks that Emacs, executing fixture's buffer, runs its
// block c again at the reference ("got [v2]").
func emacsRunsAgain(t *testing.T, fixture string) {
	t.Helper()
	file, _ := filepath.Abs(fixture)
	out := emacsEval(t, `(progn (require 'org) (require 'ob)
  (org-babel-do-load-languages 'org-babel-load-languages '((shell . t) (emacs-lisp . t)))
  (setq org-confirm-babel-evaluate nil)
  (with-temp-buffer (insert-file-contents "`+file+`") (org-mode)
    (org-babel-execute-buffer) (princ (buffer-string))))`)
	if !strings.Contains(string(out), ": got [v2]") {
		t.Errorf("%s: Emacs did not run c again at the reference:\n%s", fixture, out)
	}
}

// TestCacheAcrossAdvisedHeaderLisp: Lisp of the document's that is not
// pure counts before pure Lisp between a :cache yes block's own run and a
// reference wherever Emacs evaluates it, not only in a task's body: a
// Lisp form in a header argument (rerun_cache_elisp_advised_header.org,
// :dir (progn (advice-add ...) ".")) or a Lisp :var value a buffer
// property gives Emacs Lisp blocks, the pure block's own
// (rerun_cache_elisp_advised_prop.org). Emacs runs c again at the
// reference of both ("got [v2]"), where serving the own run's value
// would give "got [v1]": the reference is refused.
func TestCacheAcrossAdvisedHeaderLisp(t *testing.T) {
	for fixture, want := range map[string]string{
		"testdata/rerun_cache_elisp_advised_header.org": `line 16: block "block-4": :var: c: a :cache yes block`,
		"testdata/rerun_cache_elisp_advised_prop.org":   `line 14: block "block-3": :var: c: a :cache yes block`,
		// Blocks :eval refuses, source or inline: Emacs evaluates their
		// header forms and Lisp :var values all the same, reading their
		// information (org-babel-get-src-block-info, not light) before
		// org-babel-check-evaluate refuses them.
		"testdata/rerun_cache_eval_no_var_advised.org": `line 17: block "block-4": :var: c: a :cache yes block`,
		"testdata/rerun_cache_eval_no_header_var.org":  `line 17: block "block-4": :var: c: a :cache yes block`,
		"testdata/rerun_cache_eval_no_inline_var.org":  `line 14: block "block-3": :var: c: a :cache yes block`,
	} {
		text, err := os.ReadFile(fixture)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Build(mustParse(t, string(text)), machine, DefaultOptions); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want a refusal holding %q", fixture, err, want)
		}
		emacsRunsAgain(t, fixture)
	}
	tail := "#+name: a\n" + block("sh :cache yes", "echo a") + block("emacs-lisp :results silent", `(upcase "x")`) + block("sh :var y=a", "echo $y")
	for name, text := range map[string]string{
		// Evaluated as Emacs reads the header, though :eval refuses
		// the block: no task of its own.
		"eval no": block("sh :eval no :dir (progn (advice-add 'upcase :before #'ignore) \".\")", "echo h") + tail,
		"var":     block("emacs-lisp :results silent :var q=(advice-add 'upcase :before #'ignore)", "q") + tail,
		"results": block("sh :results (progn (fset 'upcase #'ignore) \"raw\")", "echo h") + tail,
	} {
		if _, err := Build(mustParse(t, text), machine, DefaultOptions); err == nil {
			t.Errorf("%s: served, want a refusal", name)
		}
	}
	// Pure header forms alone: served.
	if _, err := Build(mustParse(t, block("sh :dir (concat \".\" \"\")", "echo h")+tail), machine, DefaultOptions); err != nil {
		t.Errorf("pure header form: %v", err)
	}
}

// TestCacheAcrossUnplannedLispVar: a Lisp :var value that is not pure,
// of a block :eval refuses, counts before a reference to a :cache yes
// block whose own run stands before it though no task evaluates it, as
// in the Org buffer read again (noRefusedCalls, noteUnplannedLispVars): Emacs evaluates it
// reading the block's information ahead of the reference
// (rerun_cache_eval_no_var_advised.org, "got [v2]"). A #+call: line
// :eval refuses leaves its Lisp arguments unread
// (rerun_cache_eval_no_call_args.org, "got [v1]"): served.
func TestCacheAcrossUnplannedLispVar(t *testing.T) {
	tail := block("emacs-lisp :results silent", `(upcase "x")`) + block("sh :var y=a", "echo $y")
	head := "#+name: a\n" + block("sh :cache yes", "echo a") + "#+name: e\n" + block("sh :var q=1", "echo $q")
	build := func(text string) error {
		b := newBuilder(mustParse(t, text), machine, DefaultOptions)
		b.noRefusedCalls = true
		_, err := b.build()
		return err
	}
	for name, text := range map[string]string{
		"sh":     head + block("sh :eval no :var q=(advice-add 'upcase :before #'ignore)", "echo h") + tail,
		"elisp":  head + block("emacs-lisp :eval never :var q=(fset 'upcase #'ignore)", "q") + tail,
		"inline": head + "src_sh[:eval no :var q=(advice-add 'upcase :before #'ignore)]{echo h}\n\n" + tail,
	} {
		if err := build(text); err == nil || !strings.Contains(err.Error(), `:var: a: a :cache yes block whose own run stands before Emacs Lisp that Emacs evaluates ahead of this reference`) {
			t.Errorf("%s: got %v, want a refusal", name, err)
		}
	}
	for name, text := range map[string]string{
		"call":     head + "#+call: e(q=(advice-add 'upcase :before #'ignore)) :eval no\n\n" + tail,
		"pure var": head + block("sh :eval no :var q=(+ 1 2)", "echo h") + tail,
	} {
		if err := build(text); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestCacheAcrossReadAgainCountsAsPlanned: in the Org buffer read again
// (noRefusedCalls), where no task evaluates the Lisp :var values of the
// blocks :eval refuses, those values count before a :cache yes reference
// as their tasks count in the plan of the document as submitted: a value
// evaluated before the cached block's own run does not count, one that
// sets a variable of the document's own counts as such (settingLisp).
// Before, the buffer read again refused each of them wherever it stood
// (rerun_cache_eval_no_var_reread.org: a run stopped partway).
func TestCacheAcrossReadAgainCountsAsPlanned(t *testing.T) {
	own := "#+name: c\n" + block("sh :cache yes", "echo v1")
	ref := block("sh :var x=c", `echo "got [$x]"`)
	edit := block("emacs-lisp :results silent", `(save-excursion (goto-char (point-max)) (insert "\nadded line\n"))`)
	refused := func(v string) string { return block("sh :eval no :var q="+v, "echo never") }
	build := func(text string, again bool) error {
		b := newBuilder(mustParse(t, text), machine, DefaultOptions)
		b.noRefusedCalls = again
		_, err := b.build()
		return err
	}
	for name, tc := range map[string]struct {
		text   string
		served bool
	}{
		"impure before own":      {refused("(progn (put 'zz-mark 'seen t) 1)") + edit + own + ref, true},
		"setq before own":        {refused("(setq my-count 1)") + edit + own + ref, true},
		"setq after own":         {own + refused("(setq my-count 1)") + ref, true},
		"setq after own, twice":  {own + refused("(setq my-count 1)") + ref + refused("(setq my-count 2)") + ref, true},
		"impure after own":       {own + refused("(progn (put 'zz-mark 'seen t) 1)") + ref, false},
		"vector after own":       {own + refused("[1 (fset 'upcase #'ignore)]") + ref, true},
		"pure after impure edit": {edit + own + refused("(+ 1 2)") + ref, false},
	} {
		first, again := build(tc.text, false), build(tc.text, true)
		if (first == nil) != tc.served {
			t.Errorf("%s: as submitted: %v, want served %v", name, first, tc.served)
		}
		if fmt.Sprint(again) != fmt.Sprint(first) {
			t.Errorf("%s: read again: %v; as submitted: %v", name, again, first)
		}
	}
}

// TestUnnotedHeaderLispScales: the blocks a :cache yes reference looks
// at for Lisp no task counted (unnotedHeaderLisp) grow with the document,
// not with its square: n blocks :eval refuses with a Lisp :var value
// that is not pure before the cached block, n references after it.
// Before, each reference looked at every such block standing before it.
func TestUnnotedHeaderLispScales(t *testing.T) {
	looked := func(n int) int {
		var s strings.Builder
		for range n {
			s.WriteString(block("sh :eval no :var q=(put 'zzI 'p 1)", "echo never"))
		}
		s.WriteString("#+name: c\n" + block("sh :cache yes", "echo v1"))
		for range n {
			s.WriteString(block("sh :var x=c", "echo $x"))
		}
		b, _, err := buildDoc(mustParse(t, s.String()), machine, DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		return b.impureLooked
	}
	growsLinearly(t, 200, "blocks", looked)
}
