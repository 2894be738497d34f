package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// A run a reference makes (a block of a session run again for a :var,
// a call with arguments) is made by org-babel-execute-buffer at its
// referrer's turn, just before the referrer: a stop before that turn
// holds it as it holds the referrer, though it waits for nothing past
// it (failstop.go's failureStopBefore, refTurn).

// refRunSessionDoc has a JavaScript block js whose value (:results
// silent) may stop the document, a block slow, a block c of a session,
// and after them a block after waiting for slow and referring to c,
// which runs c again in its session ("after :var x=c").
const refRunSessionDoc = "#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n" +
	"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: c\n#+begin_src sh :session s\necho c\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :var s=slow :var x=c\necho after\n#+end_src\n"

// refRunCallDoc has the same js and slow, a block f waiting for slow,
// and a block after calling f with arguments ("f(n=1)", which waits for
// slow too).
const refRunCallDoc = "#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n" +
	"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: f\n#+begin_src sh :var n=0 :var s=slow\necho f$n\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :var x=f(n=1)\necho after\n#+end_src\n"

// jsStopMessage is the message of a block the stop js's value makes at
// line 1 holds.
const jsStopMessage = "not run: org-babel-execute-buffer stopped before it, at the block at line 1, for block js, whose value Emacs could not read: End of file during parsing"

// refRunShapes are the documents of the tests below, by name, with the
// run the reference makes, and the block that run waits for, ended
// after the stop is known.
var refRunShapes = []struct {
	name, doc, run, waitsFor string
}{
	{"session", refRunSessionDoc, "after :var x=c", "c"},
	{"call", refRunCallDoc, "f(n=1)", "slow"},
}

// anyBlockMessage is the message of block name's only instance in d,
// whatever added it ("" and false when d has no such block).
func anyBlockMessage(d *DocumentView, name string) (string, bool) {
	for _, b := range d.Blocks {
		if b.Name == name && len(b.Instances) == 1 {
			return b.Instances[0].Message, true
		}
	}
	return "", false
}

// TestRefRunHeldByKnownStop: the stop js makes is known (its value
// read in Go once it ended) before the run after's reference makes is
// ready: that run is not launched, and says the stop holds it, as after
// does. js run again, its new value one that reads, lifts the stop: the
// run is queued again, waits for js's new value, and runs, after with
// it; so too once the server has started again over the records of the
// runs held (restarted).
func TestRefRunHeldByKnownStop(t *testing.T) {
	for _, s := range refRunShapes {
		for _, restarted := range []bool{false, true} {
			t.Run(s.name+map[bool]string{false: "", true: "/restarted"}[restarted], func(t *testing.T) {
				dir, rb, e, stop, id := submitOnDisk(t, s.doc)
				jsStopsThen(t, e, rb, id, s.waitsFor)
				if m := heldPastStop(t, e, rb, id, s.run, "after"); m != jsStopMessage {
					t.Errorf("%s: %q; want %q", s.run, m, jsStopMessage)
				}
				if restarted {
					stop()
					e, _ = startEngine(t, dir, rb, Config{})
				}
				liftedRuns(t, e, rb, id, s.run)
			})
		}
	}
}

// TestRefRunWaitsForUndecidedStop: an inline block before the referrer
// has ended, and its value, which Babel may refuse inline (a stop there),
// is being read: the run the referrer's reference makes waits for that
// read, as the referrer's own run does, and is not launched; a value of
// one line stops nothing, and the run goes on; a value of two lines
// stops the document there, and holds it.
func TestRefRunWaitsForUndecidedStop(t *testing.T) {
	for _, s := range refRunShapes {
		for _, refused := range []bool{false, true} {
			t.Run(s.name+map[bool]string{false: "/one line", true: "/refused"}[refused], func(t *testing.T) {
				c := newCountedReads()
				e, _ := startEngine(t, t.TempDir(), c, Config{})
				doc := "Text src_sh{echo 1} here.\n\n" + s.doc[strings.Index(s.doc, "#+name: slow"):]
				v, err := e.Submit(context.Background(), doc)
				if err != nil {
					t.Fatal(err)
				}
				in := launchOf(t, c.fakeBackend, "inline-1", 1)
				slow := launchOf(t, c.fakeBackend, "slow", 1)
				out := "1\n"
				if refused {
					out = "1\n2\n"
				}
				endHeld(t, c, in, out)
				if s.waitsFor != "slow" {
					finish(c.fakeBackend, launchOf(t, c.fakeBackend, s.waitsFor, 1), Finished, 0)
				}
				finish(c.fakeBackend, slow, Finished, 0)
				finishLaunchedRunsOf(e, c.reportBackend, v.ID, "slow")
				if !waitsOn(e, v.ID, s.run, "inline-1") {
					t.Fatalf("%s not waiting for the inline block's value", s.run)
				}
				if launchedBlock(c.reportBackend, s.run) {
					t.Fatalf("%s launched while the inline block's value was not known", s.run)
				}
				c.release()
				if refused {
					if endedOrLaunched(e, c.reportBackend, v.ID, s.run) {
						t.Fatalf("%s launched past the inline block's stop", s.run)
					}
					d := waitDocumentEnded(t, e, v.ID)
					if m, _ := anyBlockMessage(d, s.run); !strings.HasPrefix(m, failStopAt+"1, ") {
						t.Errorf("%s: %q, want held by the stop at line 1", s.run, m)
					}
					return
				}
				finishAll(t, e, c.reportBackend, v.ID, len(c.launches()))
				ranAll(t, e, c.reportBackend, v.ID, s.run)
			})
		}
	}
}

// liftedRuns lifts the stop js of document id made (liftStop) and
// checks that every block then runs, run, the run a reference makes,
// among them.
func liftedRuns(t *testing.T, e *Engine, rb *reportBackend, id, run string) {
	t.Helper()
	liftStop(t, e, rb, id)
	ranAll(t, e, rb, id, run)
}

// liftStop runs js of document id again, its new value one Emacs reads,
// lifting the stop it made, and finishes every block launched then
// until the document ends (printing out, if given: finishAll).
func liftStop(t *testing.T, e *Engine, rb *reportBackend, id string, out ...string) {
	t.Helper()
	js := jsRunsAgain(t, e, rb, id, "js")
	finishAll(t, e, rb, id, slices.Index(rb.launches(), js)+1, out...)
}

// jsRunsAgain runs block js of document id again, its new value one
// Emacs reads, and returns that run's attempt, ended.
func jsRunsAgain(t *testing.T, e *Engine, rb *reportBackend, id, js string) *Attempt {
	t.Helper()
	if err := e.RestartBlock(context.Background(), id, js); err != nil {
		t.Fatal(err)
	}
	a := launchOf(t, rb.fakeBackend, js, 2)
	rb.setOutput(a.ID, "1\n")
	finish(rb.fakeBackend, a, Finished, 0)
	return a
}

// ranAll checks that document id has ended, every block run, no stop
// said, run and after launched.
func ranAll(t *testing.T, e *Engine, rb *reportBackend, id, run string) {
	t.Helper()
	d := waitDocumentEnded(t, e, id)
	for _, b := range d.Blocks {
		for _, in := range b.Instances {
			if strings.Contains(in.Message, "stopped") || in.AttemptID == "" {
				t.Errorf("%s: %q, not run; want run, no stop holding it", b.Name, in.Message)
			}
		}
	}
	for _, name := range []string{run, "after"} {
		if !launchedBlock(rb, name) {
			t.Errorf("%s not launched", name)
		}
	}
}

// TestRefRunBeforeStopRuns: after, whose reference calls f with
// arguments, stands before the JavaScript block whose value stops the
// document, and f past it: Emacs makes the call at after's turn, before
// the stop, so its run (waiting for slow, which ends after the stop is
// known) runs, and after with it; f's own turn, past the stop, is held.
func TestRefRunBeforeStopRuns(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: after\n#+begin_src sh :var x=f(n=1)\necho after\n#+end_src\n\n"+
		"#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n"+
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n"+
		"#+name: f\n#+begin_src sh :var n=0 :var s=slow\necho f$n\n#+end_src\n")
	jsStopsThen(t, e, rb, id, "slow")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "f(n=1)", 1), "f1\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), "after\n")
	d := waitDocumentEnded(t, e, id)
	const why = "not run: org-babel-execute-buffer stopped before it, at the block at line 6, for block js, whose value Emacs could not read: End of file during parsing"
	if m, _ := blockMessage(d, "f"); m != why {
		t.Errorf("f: %q; want %q", m, why)
	}
	if launchedBlock(rb, "f") {
		t.Error("f launched past the stop")
	}
}

// TestRefRunAtStopPlace: block user refers to the JavaScript block js,
// after it in the buffer, whose value Emacs cannot read, and to block c
// of a session, run again for it: Emacs stops at user's turn, resolving
// its reference to js (readStopReferred). Resolved before that one, the
// reference to c made its run, which runs; resolved after it, Emacs
// never made it, and the stop holds it, as it holds user.
func TestRefRunAtStopPlace(t *testing.T) {
	for _, before := range []bool{true, false} {
		t.Run(map[bool]string{true: "resolved before", false: "resolved after"}[before], func(t *testing.T) {
			vars := ":var j=js :var x=c"
			if before {
				vars = ":var x=c :var j=js"
			}
			e, rb, id := submitToReport(t, "#+name: c\n#+begin_src sh :session s\necho c\n#+end_src\n\n"+
				"#+name: user\n#+begin_src sh "+vars+"\necho user\n#+end_src\n\n"+
				"#+name: js\n#+begin_src js\nreturn '   '\n#+end_src\n")
			jsStopsUserThen(t, e, rb, id, "c")
			// c, js and its reading ended.
			if m := runsOrHeld(t, e, rb, id, "user :var x=c", "user", 3, !before); !before && !strings.HasPrefix(m, failStopIn) {
				t.Errorf("user :var x=c: %q, want Emacs stopped in user", m)
			}
		})
	}
}

// jsStopsUserThen has the run of js block user's reference :var j=js
// makes (Emacs running js again at user's turn) of document id end with
// a value Emacs cannot read, its reading fail, and user end held by that
// stop; js's own run, past user, ends so too; then the block waitsFor
// (launched once before) ends.
func jsStopsUserThen(t *testing.T, e *Engine, rb *reportBackend, id, waitsFor string) {
	t.Helper()
	w := launchOf(t, rb.fakeBackend, waitsFor, 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "user :var j=js", 1), "'   '\n")
	failRan(rb, launchOf(t, rb.fakeBackend, "user :var j=js output read by Emacs", 1))
	waitState(t, e, id, "user", Finished)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "js", 1), "'   '\n")
	failRan(rb, launchOf(t, rb.fakeBackend, "js output read by Emacs", 1))
	finish(rb.fakeBackend, w, Finished, 0)
}

// TestRefRunWaitsForFoundRefusedCall: as
// TestFoundRefusedCallStopsDocumentBlocks, block after, past the block
// :eval never refuses found in a's results, refers to c, a block of a
// session run again for it: that run waits for the refused block's
// call, as after does, which stops the document before after's turn (a
// raw byte) and holds it, or lets it run.
func TestRefRunWaitsForFoundRefusedCall(t *testing.T) {
	doc := "#+name: c\n#+begin_src sh :session s\necho c\n#+end_src\n\n" +
		"#+name: maker\n#+begin_src sh :var n=1\nif [ \"$n\" = 2 ]; then printf 'a\\377b'; else echo \"n=$n\"; fi\n#+end_src\n\n" +
		"#+name: a\n#+begin_src sh :results raw\nprintf x\n#+end_src\nText right after.\n\n" +
		"#+name: after\n#+begin_src sh :var x=a :var y=c\necho after\n#+end_src\n"
	out := "#+begin_src sh :eval never :var m=maker(n=2)\necho skipped\n#+end_src\n"
	const run = "after :var y=c"
	for _, tc := range refusedCallOutputs {
		t.Run(tc.name, func(t *testing.T) {
			e, rb, id := submitToReport(t, doc)
			c := launchOf(t, rb.fakeBackend, "c", 1)
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "maker", 1), "n=1\n")
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 1), out)
			call := launchOf(t, rb.fakeBackend, foundRefusedCall, 1)
			// The run of a after's :var x=a makes, launched with it.
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after :var x=a", 1), Finished, 0)
			finish(rb.fakeBackend, c, Finished, 0)
			if !waitsOn(e, id, run, foundRefusedCall) {
				t.Fatalf("%s not waiting for the refused block's call", run)
			}
			if launchedBlock(rb, run) {
				t.Fatalf("%s launched before the call of the refused block before its referrer ended", run)
			}
			finishLaunch(rb.fakeBackend, call, tc.callOut)
			// c, maker, a, its run for after and the call ended.
			if m := runsOrHeld(t, e, rb, id, run, "after", 5, tc.stops); tc.stops && !strings.Contains(m, "End of file during parsing") {
				t.Errorf("%s: %q, want held by the call's stop", run, m)
			}
		})
	}
}

// TestRefRunOfRefusedBlockHeld: the call f(n=1) a block :eval no
// refuses makes in its :var values, which Emacs runs at that block's
// turn, before it refuses the block, stands past the stop js makes: it
// is not run, saying so; js run again with a value that reads lifts the
// stop, and it runs.
func TestRefRunOfRefusedBlockHeld(t *testing.T) {
	doc := "#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n" +
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
		"#+name: f\n#+begin_src sh :var n=0 :var s=slow\necho f$n\n#+end_src\n\n" +
		"#+name: refused\n#+begin_src sh :eval no :var x=f(n=1)\necho refused\n#+end_src\n"
	const run = "f(n=1)"
	e, rb, id := submitToReport(t, doc)
	jsStopsThen(t, e, rb, id, "slow")
	if endedOrLaunched(e, rb, id, run) {
		t.Fatalf("%s launched past the stop at line 1, before the refused block's turn", run)
	}
	d := waitDocumentEnded(t, e, id)
	if m, _ := anyBlockMessage(d, run); m != jsStopMessage {
		t.Errorf("%s: %q; want %q", run, m, jsStopMessage)
	}
	liftStop(t, e, rb, id)
	if !launchedBlock(rb, run) {
		t.Errorf("%s not run once the stop was lifted", run)
	}
}

// jsStopsThen has js of document id end with a value Emacs cannot read,
// the stop known, then the block waitsFor (launched once) and slow end,
// with the runs of slow its references make (launched with it, waiting
// for nothing: finishLaunchedRunsOf).
func jsStopsThen(t *testing.T, e *Engine, rb *reportBackend, id, waitsFor string) {
	t.Helper()
	js := launchOf(t, rb.fakeBackend, "js", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	endWith(t, e, rb, id, js, "'   '\n")
	if waitsFor != "slow" {
		finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, waitsFor, 1), Finished, 0)
	}
	finish(rb.fakeBackend, slow, Finished, 0)
	finishLaunchedRunsOf(e, rb, id, "slow")
}

// finishLaunchedRunsOf finishes every run a reference of document id
// makes of block name ("REFERRER :var x=name", "~N" when repeated) that
// has been launched and has not ended.
func finishLaunchedRunsOf(e *Engine, rb *reportBackend, id, name string) {
	d, _ := e.Document(id)
	if d == nil {
		return
	}
	for _, b := range d.Blocks {
		n, _, _ := strings.Cut(b.Name, "~")
		if !strings.HasSuffix(n, "="+name) || !strings.Contains(n, " :var ") || len(b.Instances) != 1 {
			continue
		}
		in := b.Instances[0]
		for _, a := range rb.launches() {
			if a.ID == in.AttemptID && !in.State.Terminal() {
				finish(rb.fakeBackend, a, Finished, 0)
			}
		}
	}
}

// runsOrHeld checks run, a run a reference makes, held as block
// referrer is (heldPastStop), returning what it says, or, not held, that
// it runs: the launches of document id after the first done, all ended,
// are finished until it ends, run among them.
func runsOrHeld(t *testing.T, e *Engine, rb *reportBackend, id, run, referrer string, done int, held bool) string {
	t.Helper()
	if held {
		return heldPastStop(t, e, rb, id, run, referrer)
	}
	finishAll(t, e, rb, id, done)
	if !launchedBlock(rb, run) {
		t.Errorf("%s not run", run)
	}
	return ""
}

// heldPastStop fails t unless run, a run a reference makes, is not
// launched, and says, once document id has ended, what block referrer
// says, a stop holding both; it returns what it says.
func heldPastStop(t *testing.T, e *Engine, rb *reportBackend, id, run, referrer string) string {
	t.Helper()
	if endedOrLaunched(e, rb, id, run) {
		t.Fatalf("%s launched past the stop, which holds %s", run, referrer)
	}
	d := waitDocumentEnded(t, e, id)
	want, _ := blockMessage(d, referrer)
	m, _ := anyBlockMessage(d, run)
	if m != want || !failStopMessage(m) {
		t.Errorf("%s: %q; want held as %s is (%q)", run, m, referrer, want)
	}
	return m
}

// TestRefRunHeldByEarlierStop: the run after's reference makes of c, a
// block of a session, is held by the stop ljs makes; ejs, before it in
// the buffer, stops the document too, known later: the run says the
// earlier stop holds it, as after does. ejs run again, its value one
// that reads, leaves it to the stop ljs makes; ljs run again so too, it
// runs.
func TestRefRunHeldByEarlierStop(t *testing.T) {
	const run = "after :var x=c"
	e, rb, id := submitToReport(t, "#+name: ejs\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n"+
		"#+name: ljs\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n"+
		refRunSessionDoc[strings.Index(refRunSessionDoc, "#+name: slow"):])
	ejs := launchOf(t, rb.fakeBackend, "ejs", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "ljs", 1), "'   '\n")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "c", 1), Finished, 0)
	at := func(line int, by string) string {
		return fmt.Sprintf(failStopAt+"%d, for block %s, whose value Emacs could not read: End of file during parsing", line, by)
	}
	waitMessage(t, e, id, run, at(6, "ljs"))
	endWith(t, e, rb, id, ejs, "'   '\n")
	waitMessage(t, e, id, run, at(1, "ejs"))
	finish(rb.fakeBackend, slow, Finished, 0)
	finishLaunchedRunsOf(e, rb, id, "slow")
	if m := heldPastStop(t, e, rb, id, run, "after"); m != at(1, "ejs") {
		t.Errorf("%s: %q, want held by ejs's stop", run, m)
	}
	for n, js := range []string{"ejs", "ljs"} {
		a := jsRunsAgain(t, e, rb, id, js)
		if n == 0 {
			if m := heldPastStop(t, e, rb, id, run, "after"); m != at(6, "ljs") {
				t.Errorf("%s: %q, want held by ljs's stop again", run, m)
			}
			continue
		}
		finishAll(t, e, rb, id, slices.Index(rb.launches(), a)+1)
		ranAll(t, e, rb, id, run)
	}
}
