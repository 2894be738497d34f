package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// inlineStopDoc has block before, an inline block at line 6 whose output
// has several lines, block slow and block after, which refers to slow.
const inlineStopDoc = "#+name: before\n#+begin_src sh\necho before\n#+end_src\n\n" +
	"Text src_sh[:results output]{echo 1; echo 2} here.\n\n" +
	"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n"

// inlineRefusedNow has the inline block of document id (inlineStopDoc)
// end with two lines, which org-babel-insert-result refuses inline, and
// returns slow's attempt, still running (the run of slow after's :var
// s=slow makes ended).
func inlineRefusedNow(t *testing.T, e *Engine, rb *reportBackend, id string) *Attempt {
	t.Helper()
	before := launchOf(t, rb.fakeBackend, "before", 1)
	in := launchOf(t, rb.fakeBackend, "inline-1", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	// The run of slow after's :var s=slow makes (Babel runs slow again
	// at the reference), waiting for nothing, started at once before the
	// stop was known: it runs on, and after waits for it.
	ref := launchOf(t, rb.fakeBackend, afterSlowRun, 1)
	endWith(t, e, rb, id, in, "1\n2\n")
	endWith(t, e, rb, id, before, "before\n")
	endWith(t, e, rb, id, ref, "slow\n")
	return slow
}

// wantInlineStop checks that document d stopped at the inline block at
// line 6: block after held, and the stop the only one in its notes.
func wantInlineStop(t *testing.T, d *DocumentView) {
	t.Helper()
	m, _ := blockMessage(d, "after")
	if want := failStopAt + "6, for block inline-1, " + inlineStopWhy + ": Inline error: multiline result cannot be used"; m != want {
		t.Errorf("after: %q, want %q", m, want)
	}
	notes := strings.Join(d.Notes, "\n")
	if strings.Count(notes, "stops this document") != 1 || !strings.Contains(notes, "line 6, for block inline-1, "+inlineStopWhy+` with the error "Inline error: multiline result cannot be used"`) {
		t.Errorf("notes: %q, want the one stop at the inline block", notes)
	}
}

// TestInlineValueStop: an inline block ends with a value Babel refuses
// inline (several lines): Emacs stops there, so the block after it that
// had not started is not run, and the inline block's result is not
// written (the block before it's is). So too in a document with an Emacs
// Lisp block after it, which is not run either.
func TestInlineValueStop(t *testing.T) {
	for _, c := range []struct {
		name string
		doc  string
		held []string // blocks after the stop besides after, not run
	}{
		{"sh", inlineStopDoc, nil},
		{"with Emacs Lisp", inlineStopDoc + "\n#+name: el\n#+begin_src emacs-lisp :results silent\n(+ 1 2)\n#+end_src\n", []string{"el"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, rb, id := submitToReport(t, c.doc)
			slow := inlineRefusedNow(t, e, rb, id)
			finish(rb.fakeBackend, slow, Finished, 0)
			if endedOrLaunched(e, rb, id, "after") {
				t.Fatal("after launched: the inline block's refused value did not stop the document")
			}
			d := waitDocumentEnded(t, e, id)
			wantInlineStop(t, d)
			for _, name := range c.held {
				if m, _ := blockMessage(d, name); !strings.HasPrefix(m, failStopAt+"6,") {
					t.Errorf("%s: %q, want held by the stop", name, m)
				}
			}
			text, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, "Text src_sh[:results output]{echo 1; echo 2} here.\n") || !strings.Contains(text, "#+RESULTS: before\n: before\n") {
				t.Errorf("results document, the inline block's refused result written or before's not:\n%s", text)
			}
		})
	}
}

// TestInlineValueStopAcrossRestart: the server restarts after the inline
// block's refused value stopped the document, before (undecided) or after
// (held) the block after it was decided: the stop stands either way.
func TestInlineValueStopAcrossRestart(t *testing.T) {
	for _, held := range []bool{false, true} {
		t.Run(map[bool]string{false: "undecided", true: "held"}[held], func(t *testing.T) {
			dir, rb, e, stop, id := submitOnDisk(t, inlineStopDoc)
			slow := inlineRefusedNow(t, e, rb, id)
			if held {
				finish(rb.fakeBackend, slow, Finished, 0)
				waitDocumentEnded(t, e, id)
			}
			stop()
			e2, _ := startEngine(t, dir, rb, Config{})
			if !held {
				finish(rb.fakeBackend, slow, Finished, 0)
			}
			if endedOrLaunched(e2, rb, id, "after") {
				t.Fatal("after launched after a server restart: the inline stop was lost")
			}
			wantInlineStop(t, waitDocumentEnded(t, e2, id))
		})
	}
}

// TestInlineValueStopByPost: an inline block's :post makes its one-line
// value two lines: the :post's value, written in the block's place, is
// the one Babel refuses, and stops the document at the inline block; the
// block's own value, one line, stopped nothing while the :post ran.
func TestInlineValueStopByPost(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: twice\n#+begin_src sh :var x=\"\" :results output\necho \"$x\"; echo \"$x\"\n#+end_src\n\n"+
		"Posted src_sh[:post twice(x=*this*) :results output]{echo p} here.\n\n"+
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "twice", 1), Finished, 0)
	in := launchOf(t, rb.fakeBackend, "inline-1", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	rb.setOutput(in.ID, "p\n")
	finish(rb.fakeBackend, in, Finished, 0)
	post := launchOf(t, rb.fakeBackend, "inline-1 :post twice(x=*this*)", 1)
	if d, _ := e.Document(id); strings.Contains(strings.Join(d.Notes, "\n"), "stops this document") {
		t.Fatalf("notes %q: stopped by the block's own value, which its :post replaces", d.Notes)
	}
	if stopThenSlow(t, e, rb, id, post, "p\np\n", slow) {
		t.Fatal("after launched: the :post's refused value did not stop the document")
	}
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"6, for block inline-1 (:post twice(x=*this*)), "+inlineStopWhy) {
		t.Errorf("after: %q, want held by the inline stop at line 6", m)
	}
}

// postStopDoc has an inline block at line 6 whose :post makes its value
// two lines (TestInlineValueStopByPost), block slow and block after,
// which refers to slow.
const postStopDoc = "#+name: twice\n#+begin_src sh :var x=\"\" :results output\necho \"$x\"; echo \"$x\"\n#+end_src\n\n" +
	"Posted src_sh[:post twice(x=*this*) :results output]{echo p} here.\n\n" +
	"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n"

// postStopNow has the inline block of document id (postStopDoc) and its
// :post end, the :post's value two lines, and slow end too, once the
// document has ended held by that stop.
func postStopNow(t *testing.T, e *Engine, rb *reportBackend, id string) {
	t.Helper()
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "twice", 1), Finished, 0)
	in := launchOf(t, rb.fakeBackend, "inline-1", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	endWith(t, e, rb, id, in, "p\n")
	if stopThenSlow(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1 :post twice(x=*this*)", 1), "p\np\n", slow) {
		t.Fatal("after launched: the :post's refused value did not stop the document")
	}
	if m, _ := blockMessage(waitDocumentEnded(t, e, id), "after"); !strings.HasPrefix(m, failStopAt+"6, ") {
		t.Fatalf("after: %q, want held by the inline stop at line 6", m)
	}
}

// TestInlinePostStopLifted: the inline block whose :post's value stopped
// the document runs again (a restart), and its :post ends with one line
// this time: Babel writes it, Emacs stops nowhere, and the block the stop
// held runs.
func TestInlinePostStopLifted(t *testing.T) {
	e, rb, id := submitToReport(t, postStopDoc)
	postStopNow(t, e, rb, id)
	if err := e.RestartBlock(context.Background(), id, "inline-1"); err != nil {
		t.Fatal(err)
	}
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 2), "p\n")
	post := launchOf(t, rb.fakeBackend, "inline-1 :post twice(x=*this*)", 2)
	rb.setOutput(post.ID, "one\n")
	finish(rb.fakeBackend, post, Finished, 0)
	if !endedOrLaunched(e, rb, id, "after") {
		d, _ := e.Document(id)
		m, _ := blockMessage(d, "after")
		t.Fatalf("after: %q, notes %q: still held though the :post's new value is written", m, d.Notes)
	}
}

// inlineListStop is an inline block under :results list, which Babel
// refuses inline: a stop known from the document (plan.Plan.Stop).
const inlineListStop = "\nText src_sh[:results list]{echo a} end.\n"

// TestStopBeforePlannedInlineStop: a JavaScript block whose value Emacs
// cannot read, or a reader whose reference Emacs finds no data for,
// stops the document before an inline block the plan knows stops it:
// Emacs stops at the first and never reaches the second, and the notes
// give that first stop only.
func TestStopBeforePlannedInlineStop(t *testing.T) {
	t.Run("javascript", func(t *testing.T) {
		e, rb, id := submitToReport(t, "#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n"+
			"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n"+inlineListStop)
		slow := endJS(t, rb, "'   '\n")
		finish(rb.fakeBackend, slow, Finished, 0)
		for _, a := range rb.launches() {
			if a.Block == "inline-1" {
				finish(rb.fakeBackend, a, Finished, 0)
			}
		}
		onlyStop(t, waitDocumentEnded(t, e, id), "line 1, for block js, "+failStopWhy)
	})
	t.Run("reference", func(t *testing.T) {
		e, rb, id := submitToReport(t, refStopDoc+inlineListStop)
		slow := refErrored(t, e, rb, id)
		finish(rb.fakeBackend, slow, Finished, 0)
		// The run of slow after's :var s=slow makes, started at once
		// before the stop was known, runs on as slow does.
		for _, a := range rb.launches() {
			if a.Block == "inline-1" || a.Block == afterSlowRun {
				finish(rb.fakeBackend, a, Finished, 0)
			}
		}
		onlyStop(t, waitDocumentEnded(t, e, id), refStopWhy)
	})
}

// TestPlannedInlineStopNamedByValue: the inline block the plan knows
// stops the document (:results list; in a heading with no contents) ends
// with a value Babel refuses: Emacs refuses it before it comes to that
// stop, names that error, and the notes give that stop only.
func TestPlannedInlineStopNamedByValue(t *testing.T) {
	for _, c := range []struct{ name, line, out, want string }{
		{"results list", "Text src_sh[:results list]{echo a; echo b} end.\n", "a\nb\n", "Inline error: list result cannot be used"},
		{"heading", "* Head src_sh[:results output]{echo 1; echo 2}\n* Next\n", "1\n2\n", "Inline error: multiline result cannot be used"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, rb, id := submitToReport(t, "#+name: before\n#+begin_src sh\necho before\n#+end_src\n\n"+c.line+"\n#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "before", 1), Finished, 0)
			endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), c.out)
			onlyStop(t, waitDocumentEnded(t, e, id), fmt.Sprintf("line 6, for block inline-1, %s with the error %q", inlineStopWhy, c.want))
		})
	}
}

// onlyStop fails t unless d's notes give one stop, saying want.
func onlyStop(t *testing.T, d *DocumentView, want string) {
	t.Helper()
	notes := strings.Join(d.Notes, "\n")
	if strings.Count(notes, "stops this document") != 1 || !strings.Contains(notes, want) {
		t.Errorf("notes: %q, want one stop, %q", notes, want)
	}
}

// TestInlineValueStopLifted: the inline block whose value stopped the
// document runs again, after a server restart, and ends with one line:
// Babel writes it, Emacs stops nowhere, and the block it held runs.
func TestInlineValueStopLifted(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, inlineStopDoc)
	finish(rb.fakeBackend, inlineRefusedNow(t, e, rb, id), Finished, 0)
	wantInlineStop(t, waitDocumentEnded(t, e, id))
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	rerunLifts(t, e2, rb, id, "inline-1", "1\n", "the inline block's new value is written")
}

// TestStopSameLine: an inline block after the one that stops the
// document on its line (a value refused inline; a JavaScript value Emacs
// cannot read), ready only once that one has ended, is after the stop in
// the buffer: Emacs never runs it.
func TestStopSameLine(t *testing.T) {
	for _, c := range []struct{ name, first, out, why string }{
		{"inline value", "src_sh[:results output]{echo 1; echo 2}", "1\n2\n", "for block inline-1, " + inlineStopWhy},
		{"javascript", "src_js{return '   '}", "'   '\n", "for block inline-1, " + failStopWhy},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, rb, id := submitToReport(t, "#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n"+
				"Text "+c.first+" and src_sh[:var s=slow]{echo $s} here.\n")
			first := launchOf(t, rb.fakeBackend, "inline-1", 1)
			slow := launchOf(t, rb.fakeBackend, "slow", 1)
			endWith(t, e, rb, id, first, c.out)
			if c.name == "javascript" {
				// The reading of its value in Emacs, launched once it
				// has ended, fails as Emacs does.
				failRan(rb, launchOf(t, rb.fakeBackend, plan.ReaderOf("inline-1"), 1))
			}
			finish(rb.fakeBackend, slow, Finished, 0)
			if endedOrLaunched(e, rb, id, "inline-2") {
				t.Fatal("inline-2 launched: it is after the stop on its line")
			}
			if m, _ := blockMessage(waitDocumentEnded(t, e, id), "inline-2"); !strings.HasPrefix(m, failStopAt+"6, "+c.why) {
				t.Errorf("inline-2: %q, want held by the stop at line 6", m)
			}
		})
	}
}

// inlineFailDoc is inlineStopDoc with an inline block that exits
// non-zero: Emacs's value of it is nil.
var inlineFailDoc = strings.Replace(inlineStopDoc, "src_sh[:results output]{echo 1; echo 2}", "src_sh{echo x; exit 3}", 1)

// TestInlineFailedStops: an inline block that exits non-zero is nil in
// Emacs, which Babel refuses inline ("list result"): Emacs stops there,
// so the block after it that had not started is not run, until it runs
// again and ends with a value Babel writes; its place is left as it was
// until then. Killed, it stops nothing
// (Emacs kills no block).
func TestInlineFailedStops(t *testing.T) {
	for _, end := range []State{Failed, Killed} {
		t.Run(string(end), func(t *testing.T) {
			e, rb, id := submitToReport(t, inlineFailDoc)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "before", 1), Finished, 0)
			in := launchOf(t, rb.fakeBackend, "inline-1", 1)
			slow := launchOf(t, rb.fakeBackend, "slow", 1)
			finish(rb.fakeBackend, in, end, 3)
			waitState(t, e, id, "inline-1", end)
			finish(rb.fakeBackend, slow, Finished, 0)
			launched := endedOrLaunched(e, rb, id, "after")
			if end == Killed {
				if !launched {
					t.Fatal("after not launched: a killed inline block stopped the document")
				}
				return
			}
			if launched {
				t.Fatal("after launched: the failed inline block did not stop the document")
			}
			d := waitDocumentEnded(t, e, id)
			if m, _ := blockMessage(d, "after"); m != failStopAt+"6, for block inline-1, "+inlineStopWhy+": Inline error: list result cannot be used" {
				t.Errorf("after: %q, want held by the inline stop at line 6", m)
			}
			// Org refuses the nil before it writes anything: the
			// inline block's place is left as it was (README).
			if text, err := e.ResultDocument(context.Background(), id); err != nil || !strings.Contains(text, "Text src_sh{echo x; exit 3} here.\n") {
				t.Errorf("the failed inline block's place written (%v):\n%s", err, text)
			}
			rerunLifts(t, e, rb, id, "inline-1", "x\n", "the inline block ran again and wrote its value")
		})
	}
}

// TestPlannedStopMessagesNameEarlierStop: a value refused at line 6
// stops the document before the inline block at line 8 the plan knows
// stops it (:results list): the block after both, decided at once by the
// plan, says the stop Emacs makes, as the notes do.
func TestPlannedStopMessagesNameEarlierStop(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: before\n#+begin_src sh\necho before\n#+end_src\n\n"+
		"Text src_sh[:results output]{echo 1; echo 2} here.\n\nList src_sh[:results list]{echo a} end.\n\n"+
		"#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
	// inline-2 waits for nothing: launched at once, with the others.
	ends := map[string]string{"inline-2": "a\n", "inline-1": "1\n2\n", "before": "before\n"}
	for _, name := range []string{"inline-2", "inline-1", "before"} {
		endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, name, 1), ends[name])
	}
	d := waitDocumentEnded(t, e, id)
	onlyStop(t, d, "line 6, for block inline-1, "+inlineStopWhy)
	if m, _ := blockMessage(d, "after"); m != failStopAt+"6, for block inline-1, "+inlineStopWhy+": Inline error: multiline result cannot be used" {
		t.Errorf("after: %q, want held by the stop at line 6", m)
	}
}

// failingReads is a reportBackend whose reads of the blocks' output fail
// while fail is set, as when an agent keeping it cannot be reached.
type failingReads struct {
	*reportBackend
	mu   sync.Mutex
	fail bool
	// only, when set, limits the failing reads to attempts whose id
	// holds it, so other blocks' ends read their outputs at once.
	only   string
	failed int // reads failed
}

func (f *failingReads) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	f.mu.Lock()
	fail := f.fail && stream != session.BufferFile && strings.Contains(id, f.only)
	if fail {
		f.failed++
	}
	f.mu.Unlock()
	if fail {
		return nil, 0, errors.New("the agent cannot be reached")
	}
	return f.reportBackend.ReadLog(ctx, id, stream, offset, max)
}

// failedAtLeast waits, bounded, until n reads have failed, and reports
// whether they have.
func (f *failingReads) failedAtLeast(n int) bool {
	for range 12000 {
		f.mu.Lock()
		failed := f.failed
		f.mu.Unlock()
		if failed >= n {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

// failReads sets whether f's reads of the blocks' output fail.
func (f *failingReads) failReads(fail bool) {
	f.mu.Lock()
	f.fail = fail
	f.mu.Unlock()
}

// TestInlineValueReadFails: the output of an inline block cannot be read
// when it ends: that is no value (nil, which Babel refuses) nor an empty
// output, so nothing stops the document then, and once the output can
// be read again its value decides: one line (value) stops nothing, two
// lines (output) stop it. The reads are tried again for as long as they
// fail (the schedule the test's own), and let succeed after a few tries.
func TestInlineValueReadFails(t *testing.T) {
	for _, c := range []struct{ name, inline, out, stop string }{
		{"value", "src_sh{echo 1}", "1\n", ""},
		{"output", "src_sh[:results output]{echo 1; echo 2}", "1\n2\n", "Inline error: multiline result cannot be used"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fr := &failingReads{reportBackend: newReportBackend()}
			e, _ := startEngine(t, t.TempDir(), fr, Config{endRead: fastRetry(neverGivesUp)})
			v, err := e.Submit(context.Background(), "Text "+c.inline+" here.\n\n"+
				"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n"+
				"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n")
			if err != nil {
				t.Fatal(err)
			}
			in := launchOf(t, fr.fakeBackend, "inline-1", 1)
			slow := launchOf(t, fr.fakeBackend, "slow", 1)
			fr.failReads(true)
			endWith(t, e, fr.reportBackend, v.ID, in, c.out)
			d, _ := e.Document(v.ID)
			if notes := strings.Join(d.Notes, "\n"); strings.Contains(notes, "stops this document") {
				t.Errorf("notes %q: a stop made of an output not read", notes)
			}
			if !fr.failedAtLeast(5) {
				t.Fatal("the inline block's output not read again after a failure")
			}
			fr.failReads(false)
			finish(fr.fakeBackend, slow, Finished, 0)
			launched := endedOrLaunched(e, fr.reportBackend, v.ID, "after")
			if c.stop == "" {
				if !launched {
					t.Fatal("after not launched: the inline block's one line, read at last, stopped the document")
				}
				return
			}
			if launched {
				t.Fatal("after launched: the inline block's two lines, read at last, did not stop the document")
			}
			onlyStop(t, waitDocumentEnded(t, e, v.ID), c.stop)
		})
	}
}

// failedPostDoc is postStopDoc with an inline block that exits non-zero:
// Emacs calls its :post with org-babel-eval's nil as *this*.
var failedPostDoc = strings.Replace(postStopDoc, "{echo p}", "{echo p; exit 3}", 1)

// TestInlineFailedPost: an inline block with a :post exits non-zero:
// Emacs calls the :post with nil (x is bound to nothing, not to what the
// block printed) and writes its value inline, or refuses it, and stops
// there, when it has several lines. Killed, the block stops nothing and
// its :post is not run (Emacs kills no block).
func TestInlineFailedPost(t *testing.T) {
	for _, c := range []struct {
		name, out string
		end       State
		stops     bool
	}{
		{"several lines", "n\nn\n", Failed, true},
		{"one line", "one\n", Failed, false},
		{"killed", "", Killed, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, rb, id := submitToReport(t, failedPostDoc)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "twice", 1), Finished, 0)
			in := launchOf(t, rb.fakeBackend, "inline-1", 1)
			slow := launchOf(t, rb.fakeBackend, "slow", 1)
			rb.setOutput(in.ID, "p\n")
			finish(rb.fakeBackend, in, c.end, 3)
			waitState(t, e, id, "inline-1", c.end)
			if c.end == Killed {
				finish(rb.fakeBackend, slow, Finished, 0)
				if !endedOrLaunched(e, rb, id, "after") {
					t.Fatal("after not launched: a killed inline block stopped the document")
				}
				if launchedBlock(rb, "inline-1 :post twice(x=*this*)") {
					t.Error("the :post of a killed inline block ran")
				}
				return
			}
			postThenSlow(t, e, rb, id, "inline-1 :post twice(x=*this*)", true, c.out, slow, c.stops)
			if c.stops {
				m, _ := blockMessage(waitDocumentEnded(t, e, id), "after")
				if !strings.HasPrefix(m, failStopAt+"6, for block inline-1 (:post twice(x=*this*)), "+inlineStopWhy) {
					t.Errorf("after: %q, want held by the inline stop at line 6", m)
				}
				text, err := e.ResultDocument(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(text, "{echo p; exit 3} here.\n") {
					t.Errorf("results document, a result written in place of the stopped inline block:\n%s", text)
				}
				return
			}
			afterThenWritten(t, e, rb, id, "{echo p; exit 3} {{{results(=one=)}}} here.")
		})
	}
}

// postThenSlow has the :post task post of document id launch (fails t
// unless its script binds x to nil, when nilThis: its block failed) and
// end printing out, then slow end, and fails t unless block after
// launches or not as stops says.
func postThenSlow(t *testing.T, e *Engine, rb *reportBackend, id, post string, nilThis bool, out string, slow *Attempt, stops bool) {
	t.Helper()
	a := launchOf(t, rb.fakeBackend, post, 1)
	if nilThis && !strings.HasPrefix(a.Script, "x=''\n") {
		t.Errorf(":post's script binds x to what the failed block printed, not nil:\n%s", a.Script)
	}
	if launched := stopThenSlow(t, e, rb, id, a, out, slow); launched == stops {
		t.Fatalf("after launched: %v, want %v", launched, !stops)
	}
}

// afterThenWritten ends block after of document id, waits for the
// document to end, and fails t unless its results document holds want
// (a :post's value written inline).
func afterThenWritten(t *testing.T, e *Engine, rb *reportBackend, id, want string) {
	t.Helper()
	// The run of slow after's :var s=slow makes (afterSlowRun),
	// which after waits for, finished as launched.
	if !endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after not launched")
	}
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	waitDocumentEnded(t, e, id)
	text, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, want) {
		t.Errorf("results document, the :post's value not written inline (want %q):\n%s", want, text)
	}
}

// TestInlineFailedContinueWritesNote: an inline block under
// :on-failure continue, Borges's own, that exits non-zero stops nothing
// (Emacs, which has no such argument, would stop at Org's refusal of
// org-babel-eval's nil inline): the block after it runs, and its place
// says it failed, in the inline form of a failed block's drawer, its
// note alone, as for an inline block Borges's :timeout ended
// (TestInlineTimedOutNoStop), never left as it was, which would show
// an earlier value as this run's. The document's Emacs, running an
// Emacs Lisp block after it, has the same put in its buffer.
func TestInlineFailedContinueWritesNote(t *testing.T) {
	const inline = "src_sh[:on-failure continue]{echo x; exit 3}"
	const note = " {{{results(=borges: failed — exit status 3=)}}}"
	doc := strings.Replace(inlineStopDoc, "src_sh[:results output]{echo 1; echo 2}", inline, 1) +
		"\n#+name: look\n#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "before", 1), Finished, 0)
	in := launchOf(t, rb.fakeBackend, "inline-1", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	inlineExitsThenSlow(t, e, rb, id, in, slow, "x\n")
	// The run of slow after's :var s=slow makes finished as it
	// launches (endedOrLaunched), after runs: no stop.
	if !endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after not launched: the inline block under :on-failure continue stopped the document")
	}
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	look := launchOf(t, rb.fakeBackend, "look", 1)
	if !strings.Contains(look.Script, `"`+note+`"`) {
		t.Errorf("look's program does not put %q in the buffer:\n%s", note, look.Script)
	}
	finish(rb.fakeBackend, look, Finished, 0)
	noStop(t, waitDocumentEnded(t, e, id))
	resultsKept(t, e, id, "Text "+inline+note+" here.\n")
}

// inlineExitsThenSlow has attempt in of document id's inline-1 print
// out and exit 3, waits until it has failed, then has slow finish.
func inlineExitsThenSlow(t *testing.T, e *Engine, rb *reportBackend, id string, in, slow *Attempt, out string) {
	t.Helper()
	rb.setOutput(in.ID, out)
	finish(rb.fakeBackend, in, Failed, 3)
	waitState(t, e, id, "inline-1", Failed)
	finish(rb.fakeBackend, slow, Finished, 0)
}

// TestInlineFailedValueFilePost: an inline Python value block that exits
// non-zero with a :post has its :post run, *this* its value file's
// empty text (not what it printed), and the :post's value written
// inline (TestAgainstEmacs/postcaller:_post_of_a_failed_inline_python_value_block).
func TestInlineFailedValueFilePost(t *testing.T) {
	const inline = "src_python[:post twice(x=*this*)]{import sys; sys.exit(3)}"
	e, rb, id := submitToReport(t, strings.Replace(postStopDoc, "src_sh[:post twice(x=*this*) :results output]{echo p}", inline, 1))
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "twice", 1), Finished, 0)
	slow, post := exitsThenPost(t, e, rb, id, "inline-1", "slow", "twice(x=*this*)", "")
	if !strings.HasPrefix(post.Script, "x=''\n") {
		t.Errorf(":post's script does not bind x to the empty text:\n%s", post.Script)
	}
	endWith(t, e, rb, id, post, "one\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	// The run of slow after's :var s=slow makes finished as it
	// launches (endedOrLaunched), after runs: no stop.
	if !endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after not launched: the :post's one line stopped the document")
	}
	afterThenWritten(t, e, rb, id, inline+" {{{results(=one=)}}} here.")
}

// TestInlineFailedValueFileNoStop: an inline Python or Ruby value block
// that exits non-zero stops nothing: Babel reads its value file whatever
// org-babel-eval gave, the empty text, which Org writes inline, and
// Emacs goes on (checked with Emacs 28.2 / Org 9.5.5: src_python{import
// sys; sys.exit(3)} and src_ruby{exit 3} get {{{results(==)}}}, the
// block after them runs). Its place says it failed, as for any inline
// block that failed and stops nothing (TestInlineFailedContinueWritesNote),
// the difference of every failed block's results from Emacs's (README,
// Results).
func TestInlineFailedValueFileNoStop(t *testing.T) {
	for _, inline := range []string{"src_python{import sys; sys.exit(3)}", "src_ruby{exit 3}"} {
		t.Run(inline[:strings.Index(inline, "{")], func(t *testing.T) {
			e, rb, id := submitToReport(t, strings.Replace(inlineStopDoc, "src_sh[:results output]{echo 1; echo 2}", inline, 1))
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "before", 1), Finished, 0)
			in := launchOf(t, rb.fakeBackend, "inline-1", 1)
			slow := launchOf(t, rb.fakeBackend, "slow", 1)
			inlineExitsThenSlow(t, e, rb, id, in, slow, "")
			if !endedOrLaunched(e, rb, id, "after") {
				t.Fatal("after not launched: the failed inline value block stopped the document")
			}
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
			noStop(t, waitDocumentEnded(t, e, id))
			resultsKept(t, e, id, "Text "+inline+" {{{results(=borges: failed — exit status 3=)}}} here.\n")
		})
	}
}
