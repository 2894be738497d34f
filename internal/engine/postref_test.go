package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/plan/plantest"
)

// TestReferenceToCachedPostedBlock: a reference to a :cache yes block
// with a :post whose results stand gets those results read back, as
// org-babel-execute-src-block returns them without running the block or
// its :post; plan's TestAgainstEmacs/references_to_posted_blocks checks
// the run ones against Emacs.
func TestReferenceToCachedPostedBlock(t *testing.T) {
	const kept = "#+name: kept\n#+begin_src sh :cache yes :post up(s=*this*) :results output\necho cached\n#+end_src\n"
	doc := "#+name: up\n#+begin_src sh :var s=\"\" :results output\necho \"$s\"\n#+end_src\n\n" + kept
	parsed, p := plantest.Planned(t, doc)
	var hash string
	var err error
	for _, task := range p.Tasks {
		if task.Block == "kept" {
			if hash, err = plan.CacheHash(parsed, task, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	doc += "\n#+RESULTS[" + hash + "]: kept\n: stands\n\n" +
		"#+name: user\n#+begin_src sh :var x=kept :results output\necho \"[$x]\"\n#+end_src\n"
	// "up" runs as a block of its own; "user" is the other launch.
	userGets(t, doc, map[string]string{"up": "\n"}, "x='stands'\n")
}

// userGets submits doc and finishes each block launched with its output
// in outputs until block "user" launches, whose script must begin with
// want; any other block launched fails the test.
func userGets(t *testing.T, doc string, outputs map[string]string, want string) {
	t.Helper()
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	if _, err := e.Submit(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	for n := 1; n <= len(outputs)+1; n++ {
		for _, a := range waitLaunches(t, fb, n) {
			if done[a.ID] {
				continue
			}
			done[a.ID] = true
			out, ok := outputs[a.Block]
			switch {
			case a.Block == "user":
				if !strings.HasPrefix(a.Script, want) {
					t.Fatalf("user's script: %q", a.Script)
				}
				return
			case !ok:
				t.Fatalf("launched %s: %q", a.Block, a.Script)
			}
			fb.setOutput(a.ID, out)
			finish(fb, a, Finished, 0)
		}
	}
	t.Fatal("user was not launched")
}

// TestReferenceToCachedPostedBlockFirstRun: in the run that computes a
// :cache yes block with a :post, a reference to it gets the block's
// results as written, read back ("cached", the :post's output "cached\n"
// in a fixed-width line), not the :post's own value: Babel calls the
// block again for the reference and finds those results current
// (hunt17_cache_post_chain.org of internal/plan against Emacs).
func TestReferenceToCachedPostedBlockFirstRun(t *testing.T) {
	doc := "#+name: up\n#+begin_src sh :var s=\"\" :results output\necho \"$s\"\n#+end_src\n\n" +
		"#+name: kept\n#+begin_src sh :cache yes :post up(s=*this*) :results output\necho cached\n#+end_src\n\n" +
		"#+name: user\n#+begin_src sh :var x=kept :results output\necho \"[$x]\"\n#+end_src\n"
	userGets(t, doc, map[string]string{"up": "\n", "kept": "cached\n", "kept :post up(s=*this*)": "cached\n"}, "x='cached'\n")
}

// TestPostTasksShownByTheirBlock: the view shows a task of a :post chain
// by the block whose :post it runs and the chain as written, at that
// block's line, keeping the task's name for logs, kills and restarts.
func TestPostTasksShownByTheirBlock(t *testing.T) {
	e, _, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	doc := "#+name: main\n#+begin_src sh :post f(s=*this*)\necho a\n#+end_src\n\n" +
		"#+name: f\n#+begin_src sh :var s=\"\" :post g(s=*this*)\necho \"$s\"\n#+end_src\n\n" +
		"#+name: g\n#+begin_src sh :var s=\"\"\necho \"$s\"\n#+end_src\n"
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		shown string
		line  int
	}{
		"main":                   {"", 1},
		"main :post f(s=*this*)": {"main (:post f(s=*this*))", 1},
		"main :post f(s=*this*) :post g(s=*this*)": {"main (:post f(s=*this*) :post g(s=*this*))", 1},
		"f":                   {"", 6},
		"f :post g(s=*this*)": {"f (:post g(s=*this*))", 6},
		"g":                   {"", 11},
	}
	seen := 0
	for _, b := range v.Blocks {
		w, ok := want[b.Name]
		if !ok {
			t.Errorf("block %q in the view", b.Name)
			continue
		}
		seen++
		if b.Shown != w.shown || b.Line != w.line {
			t.Errorf("%q: shown %q at line %d, want %q at line %d", b.Name, b.Shown, b.Line, w.shown, w.line)
		}
		if name := b.ShownName(); w.shown == "" && name != b.Name || w.shown != "" && name != w.shown {
			t.Errorf("%q: ShownName %q", b.Name, name)
		}
	}
	if seen != len(want) {
		t.Fatalf("%d of the %d tasks in the view", seen, len(want))
	}
	// A block referring to main waits for main's :post chain, named so.
	v, err = e.Submit(context.Background(), doc+"\n#+name: user\n#+begin_src sh :var x=main\necho \"$x\"\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range v.Blocks {
		if b.Name == "user" {
			if w := b.Instances[0].Waiting; !strings.Contains(w, "main (:post f(s=*this*) :post g(s=*this*)) (") {
				t.Fatalf("user waits: %q", w)
			}
		}
	}
}

// TestPostCallingCachedBlock: a :post that calls a :cache yes block
// whose results carry the hash it has as the :post calls it (*this*
// among its arguments) gets those results read back: the block is not
// run, and they are the value of the block whose :post it is, written in
// its place and taken by the blocks referring to it, as in Emacs.
func TestPostCallingCachedBlock(t *testing.T) {
	// The hash Emacs gives b1 called with x="a1"
	// (testdata/post_cached_callee.org of internal/plan).
	doc := "#+name: b1\n#+begin_src sh :cache yes :var x=\"a1\"\necho \"b1 $x\"\n#+end_src\n\n" +
		"#+RESULTS[64c771f974f077cd4d5d5ed8312dd5ffdf27bc6c]: b1\n: cached b1 a1\n\n" +
		"#+name: a1\n#+begin_src sh :post b1(x=*this*)\necho a1\n#+end_src\n\n" +
		"#+name: user\n#+begin_src sh :var y=a1\necho \"$y\"\n#+end_src\n"
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	// a1 runs in its place and again for user's reference (each
	// reference runs the block again, as in Emacs); neither run's :post
	// runs b1, whose cached results are read back.
	answerByBlock(t, fb, map[string]string{"a1": "a1\n", "user :var y=a1": "a1\n", "user": "cached b1 a1\n"}, func(l *Attempt) {
		if l.Block == "user" && !strings.HasPrefix(l.Script, "y='cached b1 a1'\n") {
			t.Fatalf("launched %s: %q, want user given b1's cached results", l.Block, l.Script)
		}
	})
	waitState(t, e, v.ID, "user", Finished)
	out, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "#+RESULTS: a1\n: cached b1 a1\n") {
		t.Fatalf("a1's results are not b1's cached ones:\n%s", out)
	}
}

func TestPostCallingCachedBlockWithNil(t *testing.T) {
	// a1 prints nothing: its value, *this*, is nil, and Emacs hashes
	// b1 called with x=nil (testdata/post_cached_callee_empty.org of
	// internal/plan). b1's empty results carry that hash, so they are
	// read (nil) and b1 is not run; a1's results are nil.
	doc := "#+name: a1\n#+begin_src sh :post b1(x=*this*)\ntrue\n#+end_src\n\n" +
		"#+name: b1\n#+begin_src sh :cache yes :var x=\"a1\"\necho \"b1 $x\"\n#+end_src\n\n" +
		"#+RESULTS[dc4d59f52e7533083866a3aca9fbf51e308935a2]: b1\n\n" +
		"#+name: user\n#+begin_src sh :var y=a1\necho \"$y\"\n#+end_src\n"
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	// a1 and b1 (in its own place: its hash for x="a1" is not
	// current) run; a1's :post's call of b1 in a1's place never runs.
	// user's reference runs a1 again, after b1 rewrote its results
	// under the hash for x="a1": that run's :post finds them stale and
	// runs b1 with x=nil, whose value user is given.
	answerByBlock(t, fb, map[string]string{"a1": "", "b1": "b1 a1\n", "user :var y=a1": "",
		"user :var y=a1 :post b1(x=*this*)": "b1\n", "user": "b1\n"}, func(l *Attempt) {
		if l.Block == "user" && !strings.HasPrefix(l.Script, "y='b1'\n") {
			t.Fatalf("user launched with %q, want y='b1'", l.Script)
		}
		if l.Block == "a1 :post b1(x=*this*)" {
			t.Fatalf("a1's :post ran b1: %q", l.Script)
		}
	})
	waitState(t, e, v.ID, "user", Finished)
	out, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	// What org-babel-execute-buffer leaves in Emacs: b1 called from
	// a1's :post writes nothing (its results stay those of its own
	// run), user is given b1 run with x=nil.
	want := "#+name: a1\n#+begin_src sh :post b1(x=*this*)\ntrue\n#+end_src\n\n#+RESULTS: a1\n: nil\n\n" +
		"#+name: b1\n#+begin_src sh :cache yes :var x=\"a1\"\necho \"b1 $x\"\n#+end_src\n\n" +
		"#+RESULTS[64c771f974f077cd4d5d5ed8312dd5ffdf27bc6c]: b1\n: b1 a1\n\n" +
		"#+name: user\n#+begin_src sh :var y=a1\necho \"$y\"\n#+end_src\n\n#+RESULTS: user\n: b1\n"
	if out != want {
		t.Fatalf("document:\n%s\nwant (Emacs's):\n%s", out, want)
	}
}

func TestPostCallingCachedBlockRewrittenBefore(t *testing.T) {
	// b1's results carry the hash Emacs gives it called with x=1
	// (testdata/post_cached_callee_rewritten.org of internal/plan), but
	// its own hash (x="a1") is not current: Emacs runs it in its place
	// first, rewriting its results under that hash, so a's :post, coming
	// after, finds them stale and runs b1 with x=1.
	doc := "#+name: b1\n#+begin_src sh :cache yes :var x=\"a1\"\necho \"b1 $x\"\n#+end_src\n\n" +
		"#+RESULTS[778ab3e438a275e5599b52ac5ed2147401bd8839]: b1\n: cached num\n\n" +
		"#+name: a\n#+begin_src sh :post b1(x=*this*)\necho 1\n#+end_src\n"
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	answerByBlock(t, fb, map[string]string{"b1": "b1 a1\n", "a": "1\n", "a :post b1(x=*this*)": "b1 1\n"}, nil)
	waitState(t, e, v.ID, "a", Finished)
	out, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "#+RESULTS: a\n: b1 1\n") {
		t.Fatalf("a's results are not those of b1 run with x=1:\n%s", out)
	}
}

// answerByBlock finishes as many launches of fb as outputs has, in the
// order they come, each with the output outputs gives its block (once);
// a launch of another block fails the test. check, if not nil, looks at
// each launch first.
func answerByBlock(t *testing.T, fb *fakeBackend, outputs map[string]string, check func(*Attempt)) {
	t.Helper()
	want := len(outputs)
	for n := 1; n <= want; n++ {
		ls := waitLaunches(t, fb, n)
		if len(ls) < n {
			t.Fatalf("%d launches, want %d", len(ls), n)
		}
		l := ls[n-1]
		out, ok := outputs[l.Block]
		if !ok {
			t.Fatalf("launched %s: %q", l.Block, l.Script)
		}
		if check != nil {
			check(l)
		}
		delete(outputs, l.Block)
		fb.setOutput(l.ID, out)
		finish(fb, l, Finished, 0)
	}
}
