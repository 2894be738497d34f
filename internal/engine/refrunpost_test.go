package engine

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A task whose value is made of a run a stop holds (a :post calling a
// block whose :var makes a call held as its referrer is, a :post of a
// call held) is held with it, saying what it says: it never runs over a
// dependency that ended unrun, whose value it would miss.

// refRunPostDoc has js (its value, :results silent, may stop the
// document at line 1), slow, f waiting for slow, g whose :var calls f
// (f(n=2)), and after, past the stop, waiting for nothing, whose :post
// calls g (g(m=5), making the call of f).
var refRunPostDoc = refRunCallDoc[:strings.Index(refRunCallDoc, "#+name: after")] +
	"#+name: g\n#+begin_src sh :var m=0 :var y=f(n=2)\necho g$m\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :post g(m=5)\necho after\n#+end_src\n"

// TestRefRunPostOverHeldCall: after, past the stop js makes, ran before
// the stop was known (it waits for nothing); the call f(n=2) its :post
// makes through g, waiting for slow, is held as after's turn is, and the
// :post, whose value is made of it, is held too, saying so, never run
// with an empty y. js run again with a value that reads lifts the stop:
// the call runs, and the :post with its value; so too once the server
// has started again over the records of the runs held (restarted).
func TestRefRunPostOverHeldCall(t *testing.T) {
	const call, post = "g :var y=f(n=2)", "after :post g(m=5)"
	for _, restarted := range []bool{false, true} {
		t.Run(map[bool]string{false: "live", true: "restarted"}[restarted], func(t *testing.T) {
			dir, rb, e, stop, id := submitOnDisk(t, refRunPostDoc)
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), "after\n")
			jsStopsThen(t, e, rb, id, "slow")
			if endedOrLaunched(e, rb, id, post) {
				t.Fatalf("%s launched over %s, held by the stop:\n%s", post, call, scriptOf(rb, post))
			}
			d := waitDocumentEnded(t, e, id)
			for _, run := range []string{call, post} {
				if m, _ := anyBlockMessage(d, run); m != jsStopMessage {
					t.Errorf("%s: %q; want %q", run, m, jsStopMessage)
				}
			}
			if restarted {
				stop()
				e, _ = startEngine(t, dir, rb, Config{})
			}
			liftStop(t, e, rb, id, "x\n")
			if s := scriptOf(rb, post); !strings.Contains(s, "y='x'") {
				t.Errorf("%s, once the stop was lifted, not run with its call's value:\n%s", post, s)
			}
		})
	}
}

// TestRefRunPostHeldByEarlierStop: as TestRefRunPostOverHeldCall, the
// stop ljs makes holding the call after's :post makes and the :post;
// ejs, before it in the buffer, stops the document too, known later:
// both say the earlier stop holds them. ejs run again, its value one
// that reads, leaves them to the stop ljs makes; ljs run again so too,
// they run.
func TestRefRunPostHeldByEarlierStop(t *testing.T) {
	const call, post = "g :var y=f(n=2)", "after :post g(m=5)"
	e, rb, id := submitToReport(t, "#+name: ejs\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n"+
		"#+name: ljs\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n"+
		refRunPostDoc[strings.Index(refRunPostDoc, "#+name: slow"):])
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), "after\n")
	ejs := launchOf(t, rb.fakeBackend, "ejs", 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "ljs", 1), "'   '\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "slow", 1), "x\n")
	// Each run of f runs slow again for its :var s=slow (f's own turn,
	// the call g's turn makes, the call after's :post makes through g),
	// a run of its own, launched at once: the call waits for its own.
	finishLaunchedRunsOf(e, rb, id, "slow")
	at := func(line int, by string) string {
		return fmt.Sprintf(failStopAt+"%d, for block %s, whose value Emacs could not read: End of file during parsing", line, by)
	}
	for _, run := range []string{call, post} {
		waitMessage(t, e, id, run, at(6, "ljs"))
	}
	endWith(t, e, rb, id, ejs, "'   '\n")
	for _, run := range []string{call, post} {
		waitMessage(t, e, id, run, at(1, "ejs"))
	}
	for n, js := range []string{"ejs", "ljs"} {
		a := jsRunsAgain(t, e, rb, id, js)
		if n == 0 {
			for _, run := range []string{call, post} {
				waitMessage(t, e, id, run, at(6, "ljs"))
			}
			if launchedBlock(rb, post) {
				t.Fatalf("%s launched while ljs's stop held it", post)
			}
			continue
		}
		finishAll(t, e, rb, id, slices.Index(rb.launches(), a)+1, "x\n")
	}
	if s := scriptOf(rb, post); !strings.Contains(s, "y='x'") {
		t.Errorf("%s, once both stops were lifted, not run with its call's value:\n%s", post, s)
	}
}

// refRunPostCalleeDoc has js, slow, fp waiting for slow, whose :post
// calls p, p, and after, calling fp with arguments (fp(n=1), whose
// :post calls p too).
var refRunPostCalleeDoc = refRunCallDoc[:strings.Index(refRunCallDoc, "#+name: f")] + fpPostBlocks +
	"#+name: after\n#+begin_src sh :var x=fp(n=1)\necho after\n#+end_src\n"

// fpPostBlocks are fp, waiting for slow, whose :post calls p, and p.
const fpPostBlocks = "#+name: fp\n#+begin_src sh :var n=0 :var s=slow :post p(d=*this*)\necho f$n\n#+end_src\n\n" +
	"#+name: p\n#+begin_src sh :var d=\"\"\necho \"$d\"\n#+end_src\n\n"

// TestRefRunPostOfHeldSaysStop: the :post of fp, held by the stop js
// makes, and that of the call fp(n=1) after makes, held as after is,
// say that stop holds them, as fp and the call do: not that cached
// results stand (nothing has :cache). Lifted, both run again.
func TestRefRunPostOfHeldSaysStop(t *testing.T) {
	const ownPost, callPost = "fp :post p(d=*this*)", "fp(n=1) :post p(d=*this*)"
	e, rb, id := submitToReport(t, refRunPostCalleeDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "p", 1), "p\n")
	jsStopsThen(t, e, rb, id, "slow")
	d := waitDocumentEnded(t, e, id)
	for _, run := range []string{"fp", ownPost, "fp(n=1)", callPost, "after"} {
		if m, _ := anyBlockMessage(d, run); m != jsStopMessage {
			t.Errorf("%s: %q; want %q", run, m, jsStopMessage)
		}
	}
	liftStop(t, e, rb, id, "x\n")
	ranAll(t, e, rb, id, callPost)
	if !launchedBlock(rb, ownPost) {
		t.Errorf("%s not run once the stop was lifted", ownPost)
	}
}

// TestRefRunAtStopPlacePostCallee: as TestRefRunAtStopPlace, resolved
// after, with a call of a block that has a :post: user's reference to
// js, which Emacs cannot read, stops Emacs before it resolves x, and
// neither the call fp(n=1) nor its :post is made; both are held as user
// is.
func TestRefRunAtStopPlacePostCallee(t *testing.T) {
	e, rb, id := submitToReport(t, fpPostBlocks+
		"#+name: user\n#+begin_src sh :var j=js :var x=fp(n=1)\necho user\n#+end_src\n\n"+
		"#+name: js\n#+begin_src js\nreturn '   '\n#+end_src\n\n"+
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n")
	jsStopsUserThen(t, e, rb, id, "slow")
	// fp's :var s=slow runs slow again at each run of fp, a run of its
	// own, waiting for nothing: at fp's own turn, and for the call
	// fp(n=1) (launched before the stop was known; Emacs, stopped
	// before it resolves x, never makes it nor the call).
	for _, run := range []string{"fp :var s=slow", "fp :var s=slow~2"} {
		finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, run, 1), Finished, 0)
	}
	// fp's own turn, and its :post's, come before the stop.
	for _, own := range []string{"p", "fp", "fp :post p(d=*this*)"} {
		finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, own, 1), "x\n")
	}
	heldPastStop(t, e, rb, id, "fp(n=1)", "user")
	heldPastStop(t, e, rb, id, "fp(n=1) :post p(d=*this*)", "user")
}

// scriptOf is the script of the last launch of block name ("" for none).
func scriptOf(rb *reportBackend, name string) string {
	for _, a := range slices.Backward(rb.launches()) {
		if a.Block == name {
			return a.Script
		}
	}
	return ""
}
