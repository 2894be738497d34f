package engine

import (
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// TestPostColnamesStopKeepsBlockResults: a :post calling a block (cn())
// whose :colnames yes takes column names that are a rule (its :var
// table indexed to one row, tt[1:2]) stops the document inside the
// :post (Wrong type argument: sequencep, hline, checked with Emacs
// 28.2): main's results stay as they were, the block after that had not
// started is not run, and the notes say the stop is at main; so after a
// server restart as well.
func TestPostColnamesStopKeepsBlockResults(t *testing.T) {
	const doc = "#+name: tt\n| a | b | c |\n|---+---+---|\n| 1 | 2 | 3 |\n| x | y | z |\n\n" +
		"#+name: main\n#+begin_src sh :post cn()\necho main\n#+end_src\n\n#+RESULTS: main\n: old main\n\n" +
		"#+name: cn\n#+begin_src sh :var tb=tt[1:2] :colnames yes\necho \"$tb\"\n#+end_src\n\n#+RESULTS: cn\n: old cn\n\n" +
		slowAfter
	dir, rb, e, stop, id := submitOnDisk(t, doc)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	endLaunch(t, rb, "main", 1, "main\n", Finished)
	endLaunch(t, rb, "main :post cn()", 1, "1\t2\t3\n", Finished)
	// cn's own turn, started beside main as it waits for nothing, stops
	// as well; slow ends once the stop is known.
	endLaunch(t, rb, "cn", 1, "1\t2\t3\n", Finished)
	waitMessage(t, e, id, "main", postStopKept)
	finish(rb.fakeBackend, slow, Finished, 0)
	d := endedFinishingLaunched(t, e, rb, id)
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"7, ") || !strings.Contains(m, plan.ColnamesStopError) {
		t.Errorf("after: %q, want not run for the stop at main (line 7)", m)
	}
	for _, a := range rb.launches() {
		if a.Block == "after" {
			t.Errorf("after launched, past the stop at main")
		}
	}
	resultsKept(t, e, id, "#+RESULTS: cn\n: old cn\n")
	mainStopKept(t, dir, rb, e, stop, id, 7)
}

// TestPostColnamesStopAtReferrer: the same :post stop of a block (main)
// that an earlier block's :var refers to stops Emacs resolving that
// reference, which runs main and its :post: user is not run, its
// results kept, and the block after main is not run.
func TestPostColnamesStopAtReferrer(t *testing.T) {
	const doc = "#+name: tt\n| a | b | c |\n|---+---+---|\n| 1 | 2 | 3 |\n| x | y | z |\n\n" +
		"#+name: user\n#+begin_src sh :var m=main\necho \"user $m\"\n#+end_src\n\n#+RESULTS: user\n: old user\n\n" +
		"#+name: main\n#+begin_src sh :post cn()\necho main\n#+end_src\n\n" +
		"#+name: cn\n#+begin_src sh :var tb=tt[1:2] :colnames yes\necho \"$tb\"\n#+end_src\n\n" +
		slowAfter
	e, rb, id := submitToReport(t, doc)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	// user's reference runs main again (a run of its own, as in Emacs),
	// and that run's :post stops.
	endLaunch(t, rb, "user :var m=main", 1, "main\n", Finished)
	endLaunch(t, rb, "user :var m=main :post cn()", 1, "1\t2\t3\n", Finished)
	endLaunch(t, rb, "cn", 1, "1\t2\t3\n", Finished)
	waitMessage(t, e, id, "user", failStopIn+"7, ")
	finish(rb.fakeBackend, slow, Finished, 0)
	// main's own run and its :post, and after's reference's run of
	// slow, may have been launched before the stop was known: they
	// run on.
	d := endedFinishingLaunched(t, e, rb, id)
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"7, ") || !strings.Contains(m, plan.ColnamesStopError) {
		t.Errorf("after: %q, want not run for the stop at user (line 7)", m)
	}
	for _, a := range rb.launches() {
		if a.Block == "user" || a.Block == "after" {
			t.Errorf("%s launched, though Emacs stops resolving user's reference", a.Block)
		}
	}
	resultsKept(t, e, id, "#+RESULTS: user\n: old user\n")
}

// TestPostFailedColnamesStop: a :post calling a block (cn()) whose
// :colnames yes takes column names that are a rule and which exits
// non-zero: Babel's value is nil, cn's column names are taken all the
// same inside the :post, and Emacs stops at the calling block, its
// results as they were, the block after it not run (fixture
// stop_index_colnames_ref_post_fails). The engine weighs the failed
// :post task for the stop (resultStopRun): without it "after" is
// launched, the stop missed; it is not put at cn's own line, further
// down, either.
func TestPostFailedColnamesStop(t *testing.T) {
	const doc = "#+name: tt\n| a | b | c |\n|---+---+---|\n| 1 | 2 | 3 |\n| x | y | z |\n\n" +
		"#+name: stop\n#+begin_src sh :post cn()\necho hi\n#+end_src\n\n#+RESULTS: stop\n: old\n\n" +
		slowAfter + "\n#+name: cn\n#+begin_src sh :var tb=tt[1:2] :colnames yes\necho \"$tb\"; exit 4\n#+end_src\n"
	postFailedStop(t, doc, "hi\n", "cn()", "1\t2\t3\n", 7, plan.ColnamesStopError)
}

// endedFinishingLaunched waits, bounded, for document id to end,
// finishing every attempt launched that has not ended (launched before
// a stop was known, they run on).
func endedFinishingLaunched(t *testing.T, e *Engine, rb *reportBackend, id string) *DocumentView {
	t.Helper()
	for range 4000 {
		d, _ := e.Document(id)
		if d == nil || d.State != Running && d.State != Queued {
			break
		}
		for _, a := range rb.launches() {
			for _, b := range d.Blocks {
				if b.Name == a.Block && len(b.Instances) == 1 && b.Instances[0].AttemptID == a.ID && !b.Instances[0].State.Terminal() {
					finish(rb.fakeBackend, a, Finished, 0)
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return waitDocumentEnded(t, e, id)
}
