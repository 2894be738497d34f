package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// refRunDoc is a block of session s, the adder, a block user referring
// to counter (a block the adder inserts: refRunCounter) and a block of
// the session after it.
var (
	refRunPre     = markAt{at: "#+begin_src sh :session s\nc=0"}
	refRunUser    = markAt{at: "#+begin_src sh :var v=counter"}
	refRunPost    = markAt{at: "#+begin_src sh :session s\necho post"}
	refRunCounter = markAt{at: "#+begin_src sh :session s\nc=$((c+1))"}
	refRunDoc     = "#+name: pre\n" + refRunPre.at + "\n#+end_src\n\n" + adderDoc("#+name: user\n"+refRunUser.at+"\necho \"ref $v\"\n#+end_src\n\n#+name: post\n"+refRunPost.at+" $c\n#+end_src\n\n")
)

// submitRefRun submits refRunDoc, whose adder inserts counter before
// user, and returns the engine, its backend and the document's id.
func submitRefRun(t *testing.T) (*Engine, *reportBackend, string) {
	t.Helper()
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	at := strings.Index(refRunDoc, "#+name: user")
	added := refRunDoc[:at] + "#+name: counter\n" + refRunCounter.at + "; echo $c\n#+end_src\n\n" + refRunDoc[at:]
	id := submitAddingAfter(t, e, rb, refRunDoc, added, refRunPre, adderMark, refRunUser, refRunPost, refRunCounter)
	return e, rb, id
}

// TestAddedBlockRefRunInSession: a block user of the document refers
// (:var) to counter, a block of session s an Emacs Lisp block inserted
// before it: org-babel-ref-resolve runs counter again as it evaluates
// user, so Borges runs, after counter's own run, a run of it for the
// reference, in the session, before user, which takes its value (2, not
// the 1 of counter's own run); the block of the session after user runs
// after that run (user and post, which do not depend on each other, in
// either order). Before, user failed: its reference ran a block Borges
// did not plan from the document as submitted.
func TestAddedBlockRefRunInSession(t *testing.T) {
	e, rb, id := submitRefRun(t)
	outputs := map[string]string{"counter": "1\n", "user :var v=counter": "2\n"}
	pre := launchOf(t, rb.fakeBackend, "pre", 1)
	var order []string
	var user *Attempt
	for n := 2; n < 6; n++ {
		a := waitLaunches(t, rb.fakeBackend, n+1)[n]
		order = append(order, a.Block)
		if a.Block != "user" && a.Session != pre.Session {
			t.Errorf("%s ran in session %q, pre in %q", a.Block, a.Session, pre.Session)
		}
		if a.Block == "user" {
			user = a
		}
		rb.setOutput(a.ID, outputs[a.Block])
		finish(rb.fakeBackend, a, Finished, 0)
	}
	pos := func(name string) int { return slices.Index(order, name) }
	if pos("counter") != 0 || pos("user :var v=counter") != 1 || pos("user") < 2 || pos("post") < 2 {
		t.Fatalf("ran %q, want counter, its run for user, then user and post", order)
	}
	if user == nil || !strings.Contains(user.Script, "v='2'") {
		t.Fatalf("user ran %q, want v='2'", user.Script)
	}
	waitState(t, e, id, "user", Finished)
	waitState(t, e, id, "user :var v=counter", Finished)
}

// TestAddedBlockRefRunDropped: once the Emacs Lisp block run again no
// longer inserts counter, counter's run for user's reference goes with
// counter (neither is listed), and user, run again, fails with the
// reference error Emacs signals there.
func TestAddedBlockRefRunDropped(t *testing.T) {
	e, rb, id := submitRefRun(t)
	n := finishAll(t, e, rb, id, 2)
	waitState(t, e, id, "user :var v=counter", Finished)
	if err := e.RestartBlock(context.Background(), id, "adder"); err != nil {
		t.Fatal(err)
	}
	again := waitLaunches(t, rb.fakeBackend, n+1)[n]
	if again.Block != "adder" {
		t.Fatalf("launch %d is %s, want adder", n+1, again.Block)
	}
	rb.setReport(again.ID, addedReport(t, "A line.\n"+refRunDoc, refRunPre, adderMark, refRunUser, refRunPost))
	finish(rb.fakeBackend, again, Finished, 0)
	finishAll(t, e, rb, id, n+1)
	waitBlockListed(t, e, id, "counter", false)
	waitBlockListed(t, e, id, "user :var v=counter", false)
	v, _ := e.Document(id)
	for _, b := range v.Blocks {
		if b.Name == "user" && (b.State != Failed || len(b.Instances) == 0 || !strings.Contains(b.Instances[0].Message, "counter")) {
			t.Errorf("user: %s %+v", b.State, b.Instances)
		}
	}
}

// TestAddedElispBlockRefRun: a block of the document refers (:var) to
// tick, an Emacs Lisp block the adder inserted before it: tick's run for
// the reference is a task of the document's Emacs, run there after tick
// (its own run) and before user, which takes its value.
func TestAddedElispBlockRefRun(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	user := markAt{at: "#+begin_src sh :var v=tick"}
	tick := markAt{at: "#+begin_src emacs-lisp\n(tick)"}
	doc := adderDoc("#+name: user\n" + user.at + "\necho \"ref $v\"\n#+end_src\n\n")
	at := strings.Index(doc, "#+name: user")
	added := doc[:at] + "#+name: tick\n" + tick.at + "\n#+end_src\n\n" + doc[at:]
	id := submitAdding(t, e, rb, doc, added, user, tick)
	outputs := map[string]string{"tick": "1", "user :var v=tick": "2"}
	var order []string
	emacs := waitLaunches(t, rb.fakeBackend, 1)[0].Session // the adder's
	for n := 1; n < 4; n++ {
		a := waitLaunches(t, rb.fakeBackend, n+1)[n]
		order = append(order, a.Block)
		if a.Block != "user" {
			if a.Session == "" || a.Session != emacs {
				t.Errorf("%s ran in session %q, want the document's Emacs %q", a.Block, a.Session, emacs)
			}
		} else if !strings.Contains(a.Script, "v='2'") {
			t.Errorf("user ran %q, want v='2'", a.Script)
		}
		rb.setOutput(a.ID, outputs[a.Block])
		finish(rb.fakeBackend, a, Finished, 0)
	}
	if want := []string{"tick", "user :var v=tick", "user"}; !slices.Equal(order, want) {
		t.Fatalf("ran %q, want %q", order, want)
	}
	waitState(t, e, id, "user", Finished)
}
