package engine

import (
	"slices"
	"strings"
	"testing"
)

// submitRefRunBetween submits pre (session s), the adder, changer (an
// Emacs Lisp block), user (:var v=counter) and post (session s); the
// adder's report inserts counter (session s) before changer, so changer
// stands between counter and the block that refers to it. changer's
// report, once it is launched, is the buffer as the adder left it
// changed by change (nil: unchanged): onLaunch, for finishLaunched.
func submitRefRunBetween(t *testing.T, change func(string) string) (e *Engine, rb *reportBackend, id string, onLaunch func(*Attempt)) {
	t.Helper()
	rb = newReportBackend()
	e, _ = startEngine(t, t.TempDir(), rb, Config{})
	changer := markAt{at: "#+begin_src emacs-lisp :results silent\n(changes)"}
	doc := "#+name: pre\n" + refRunPre.at + "\n#+end_src\n\n" + adderDoc("#+name: changer\n"+changer.at+"\n#+end_src\n\n#+name: user\n"+refRunUser.at+"\necho \"ref $v\"\n#+end_src\n\n#+name: post\n"+refRunPost.at+" $c\n#+end_src\n\n")
	at := strings.Index(doc, "#+name: changer")
	added := doc[:at] + "#+name: counter\n" + refRunCounter.at + "; echo $c\n#+end_src\n\n" + doc[at:]
	id = submitAddingAfter(t, e, rb, doc, added, refRunPre, adderMark, changer, refRunUser, refRunPost, refRunCounter)
	onLaunch = func(a *Attempt) {
		if change != nil && a.Block == "changer" {
			user := markAt{at: change(refRunUser.at), changed: true}
			rb.setReport(a.ID, addedReport(t, change(added), refRunPre, adderMark, changer, user, refRunPost, refRunCounter))
		}
	}
	return e, rb, id, onLaunch
}

// finishLaunched finishes, in order, every launch until the blocks
// named in want have all been launched, and returns the names launched
// after the first skip, each passed to onLaunch first; a launch never
// made fails the test (bounded).
func finishLaunched(t *testing.T, rb *reportBackend, onLaunch func(*Attempt), skip int, want ...string) []string {
	t.Helper()
	var names []string
	seen := map[string]bool{}
	for n := skip; ; n++ {
		missing := false
		for _, w := range want {
			missing = missing || !seen[w]
		}
		if !missing {
			return names
		}
		a := waitLaunches(t, rb.fakeBackend, n+1)[n]
		names = append(names, a.Block)
		seen[a.Block] = true
		onLaunch(a)
		finish(rb.fakeBackend, a, Finished, 0)
	}
}

// TestAddedRefRunEmacsLispBetween: an Emacs Lisp block of the document
// (changer) stands between counter, a session block the adder inserted,
// and user, the block that refers to it. Emacs makes counter's run for
// the reference only as it reaches user, after changer, which may change
// user or delete counter first; Borges does not run it ahead. Before,
// the run was queued at counter's place, ahead of changer, which waited
// for it while it waited for changer: nothing started after counter.
// Now changer, user and post run (user refused, saying why: the run
// cannot be planned before the Emacs Lisp block between has run).
func TestAddedRefRunEmacsLispBetween(t *testing.T) {
	e, rb, id, onLaunch := submitRefRunBetween(t, nil)
	names := finishLaunched(t, rb, onLaunch, 2, "counter", "changer", "post")
	for _, n := range names {
		if strings.Contains(n, ":var v=counter") || n == "user" {
			t.Errorf("launched %q: %q", n, names)
		}
	}
	waitState(t, e, id, "user", Failed)
	v, _ := e.Document(id)
	for _, b := range v.Blocks {
		if b.Name == "user" && (len(b.Instances) == 0 || !strings.Contains(b.Instances[0].Message, "Emacs Lisp block at line")) {
			t.Errorf("user: %+v, want a refusal naming the Emacs Lisp block between", b.Instances)
		}
	}
}

// TestAddedRefRunEmacsLispBetweenChanges: changer rewrites user's
// reference (:var v=7): Emacs makes no run of counter for it, nor does
// Borges (review finding 4: the run was queued when counter was added,
// and kept).
func TestAddedRefRunEmacsLispBetweenChanges(t *testing.T) {
	e, rb, id, onLaunch := submitRefRunBetween(t, func(s string) string { return strings.Replace(s, ":var v=counter", ":var v=7", 1) })
	names := finishLaunched(t, rb, onLaunch, 2, "counter", "changer", "user", "post")
	for _, n := range names {
		if strings.Contains(n, ":var v=counter") {
			t.Errorf("launched %q, a run Emacs does not make: %q", n, names)
		}
	}
	waitState(t, e, id, "user", Finished)
}

// TestAddedReferrerBeforeItsBlockRunsTheRunFirst: the adder inserts
// first (:var v=counter) before counter, a block of session s: Emacs
// makes counter's run for first's reference as it evaluates first,
// before counter's own run, and so does Borges: the run launches before
// counter, and first takes the run's value (review finding 8, the
// engine side; the fixture added_ref_run_before_its_block).
func TestAddedReferrerBeforeItsBlockRunsTheRunFirst(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	first := markAt{at: "#+begin_src sh :var v=counter"}
	doc := "#+name: pre\n" + refRunPre.at + "\n#+end_src\n\n" + adderDoc("#+name: post\n"+refRunPost.at+" $c\n#+end_src\n\n")
	at := strings.Index(doc, "#+name: post")
	added := doc[:at] + "#+name: first\n" + first.at + "\necho \"first $v\"\n#+end_src\n\n#+name: counter\n" + refRunCounter.at + "; echo $c\n#+end_src\n\n" + doc[at:]
	id := submitAddingAfter(t, e, rb, doc, added, refRunPre, adderMark, refRunPost, first, refRunCounter)
	outputs := map[string]string{"counter": "C\n", "first :var v=counter": "R\n"}
	var order []string
	var user *Attempt
	for n := 2; n < 6; n++ {
		a := waitLaunches(t, rb.fakeBackend, n+1)[n]
		order = append(order, a.Block)
		if a.Block == "first" {
			user = a
		}
		rb.setOutput(a.ID, outputs[a.Block])
		finish(rb.fakeBackend, a, Finished, 0)
	}
	if i, j := slices.Index(order, "first :var v=counter"), slices.Index(order, "counter"); i < 0 || j < 0 || i > j {
		t.Fatalf("launched %q, want the run for first's reference before counter", order)
	}
	if user == nil || !strings.Contains(user.Script, "v='R'") {
		t.Fatalf("first ran %+v, want the run's value R", user)
	}
	waitState(t, e, id, "first", Finished)
}
