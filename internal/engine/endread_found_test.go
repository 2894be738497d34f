package engine

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// foundStopDoc has block stop, whose output Perl writes to a file
// (:results output): a raw byte in it stops Emacs before its results
// are written, its old ones kept; a source block in its output, written
// in its drawer, is found there otherwise. slow and after follow.
const foundStopDoc = "#+name: stop\n#+begin_src perl :results output drawer\nprint \"found\";\n#+end_src\n\n#+RESULTS: stop\n: old\n\n" + slowAfter

// foundOutput is what stop prints: a source block, then raw (a byte of
// no UTF-8 character, or nothing).
func foundOutput(raw string) string {
	return "#+begin_src sh\necho found\n#+end_src\n" + raw
}

// launchedFound reports whether the block found in stop's output was
// launched, and returns its attempt.
func launchedFound(c *countedReads) *Attempt {
	for _, a := range c.launches() {
		if strings.Contains(a.Script, "echo found") {
			return a
		}
	}
	return nil
}

// TestFoundNotRunPastResultStop: stop's output holds a source block
// and a raw byte, so Emacs stops at stop before it writes that output
// (plan.CodingStopError, its old results kept): the block in the output
// is never in the buffer, and is neither added nor run, while stop's
// output is read nor after; block after is not run. Without the raw
// byte the block is found and run, as Emacs does.
func TestFoundNotRunPastResultStop(t *testing.T) {
	for _, stops := range []bool{true, false} {
		raw := ""
		if stops {
			raw = "\xe9\n"
		}
		e, c, v := submitCounted(t, foundStopDoc)
		stop := launchOf(t, c.fakeBackend, "stop", 1)
		slow := launchOf(t, c.fakeBackend, "slow", 1)
		endHeld(t, c, stop, foundOutput(raw))
		if stops {
			// Sampled while the read is held: nothing found yet.
			for range 50 {
				if a := launchedFound(c); a != nil {
					c.release()
					t.Fatalf("%s, found in stop's output, launched while that output was read", a.Block)
				}
				e.mu.Lock()
				for _, b := range e.docs[v.ID].blocks {
					if b.addedBy != "" {
						e.mu.Unlock()
						c.release()
						t.Fatalf("%s found in stop's output while that output was read", b.name)
					}
				}
				e.mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		}
		c.release()
		finish(c.fakeBackend, slow, Finished, 0)
		if !stops {
			found := waitFoundLaunch(t, c)
			c.setOutput(found.ID, "found\n")
			finish(c.fakeBackend, found, Finished, 0)
			finish(c.fakeBackend, launchOf(t, c.fakeBackend, afterSlowRun, 1), Finished, 0)
			finish(c.fakeBackend, launchOf(t, c.fakeBackend, "after", 1), Finished, 0)
			if d := waitDocumentEnded(t, e, v.ID); d.State != Finished {
				t.Errorf("no stop: document %s, want finished", d.State)
			}
			continue
		}
		// The run of slow after's reference makes, if launched before
		// the stop was known, finished as slow is.
		if endedOrLaunched(e, c.reportBackend, v.ID, "after") {
			t.Error("after launched: Emacs stops at stop")
		}
		d := waitDocumentEnded(t, e, v.ID)
		if a := launchedFound(c); a != nil {
			t.Errorf("%s, found in stop's output, launched: Emacs stops at stop", a.Block)
		}
		for _, b := range d.Blocks {
			if b.AddedBy != "" {
				t.Errorf("%s found in stop's output, whose results Emacs never writes", b.Name)
			}
		}
		stoppedBeforeAfter(t, c.reportBackend, d, 2, 1, plan.CodingStopError)
		doc, err := e.ResultDocument(context.Background(), v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(doc, "#+RESULTS: stop\n: old\n") || strings.Contains(doc, "echo found") {
			t.Errorf("results document:\n%s", doc)
		}
	}
}

// waitFoundLaunch waits, bounded, for the block found in stop's
// output to launch.
func waitFoundLaunch(t *testing.T, c *countedReads) *Attempt {
	t.Helper()
	for range 2000 {
		if a := launchedFound(c); a != nil {
			return a
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the block found in stop's output never launched")
	return nil
}

// TestFoundAfterReadReadsOnce: stop's output, holding a source block, is
// read once its attempt ended, for whether its results stop Emacs; the
// search for the blocks found in its results, after that read, searches
// what it read: stop's output is read once in all. When every try of
// that read fails, the search does not read it again (under the engine's
// lock, with no deadline): the reads after the failed tries would be
// held, and the found block is not run, the notes saying why.
func TestFoundAfterReadReadsOnce(t *testing.T) {
	for _, fails := range []bool{false, true} {
		e, c, v := submitCounted(t, foundStopDoc)
		stop := launchOf(t, c.fakeBackend, "stop", 1)
		slow := launchOf(t, c.fakeBackend, "slow", 1)
		if fails {
			c.failing = resultReadTries
			c.hold(t, stop.ID)
			c.setOutput(stop.ID, foundOutput(""))
			finish(c.fakeBackend, stop, Finished, 0)
		} else {
			c.setOutput(stop.ID, foundOutput(""))
			finish(c.fakeBackend, stop, Finished, 0)
			found := waitFoundLaunch(t, c)
			c.setOutput(found.ID, "found\n")
			finish(c.fakeBackend, found, Finished, 0)
		}
		finish(c.fakeBackend, slow, Finished, 0)
		finish(c.fakeBackend, launchOf(t, c.fakeBackend, afterSlowRun, 1), Finished, 0)
		finish(c.fakeBackend, launchOf(t, c.fakeBackend, "after", 1), Finished, 0)
		d := waitDocumentEnded(t, e, v.ID)
		want := 1
		if fails {
			want = resultReadTries
			if a := launchedFound(c); a != nil {
				t.Errorf("%s launched, found in output that could not be read", a.Block)
			}
			if !slices.ContainsFunc(d.Notes, func(n string) bool {
				return strings.Contains(n, "block stop, at line 1") && strings.Contains(n, "nor searched")
			}) {
				t.Errorf("notes: %q", d.Notes)
			}
		}
		if n := c.reads(stop.ID); n != want {
			t.Errorf("failing reads %v: stop's output read %d times, want %d", fails, n, want)
		}
		c.release()
	}
}

// TestOlderReadingRecordFoundOnce: a record stored by an older Borges,
// which searched a block's results for blocks when its attempt ended,
// says stop's output was still being read (ResultStopReading) while the
// block found in it was added, and ran, already. A server started again
// reads stop's output again, and adopts the found block as stored: not
// found again as a new block, nor run again.
func TestOlderReadingRecordFoundOnce(t *testing.T) {
	dir := t.TempDir()
	e, stop, c, v := submitCountedIn(t, dir, foundStopDoc)
	st := launchOf(t, c.fakeBackend, "stop", 1)
	c.setOutput(st.ID, foundOutput(""))
	finish(c.fakeBackend, st, Finished, 0)
	found := waitFoundLaunch(t, c)
	c.setOutput(found.ID, "found\n")
	finish(c.fakeBackend, found, Finished, 0)
	finish(c.fakeBackend, launchOf(t, c.fakeBackend, "slow", 1), Finished, 0)
	finish(c.fakeBackend, launchOf(t, c.fakeBackend, afterSlowRun, 1), Finished, 0)
	finish(c.fakeBackend, launchOf(t, c.fakeBackend, "after", 1), Finished, 0)
	waitDocumentEnded(t, e, v.ID)
	stop()
	withStored(t, filepath.Join(dir, "borges.db"), v.ID, func(s *store.Store, recs []*store.Instance) {
		for _, r := range recs {
			if r.Block == "stop" {
				r.ResultStopReading = true
				if err := s.PutInstances([]*store.Instance{r}); err != nil {
					t.Fatal(err)
				}
				return
			}
		}
		t.Fatal("no record of stop")
	})
	reads := c.reads(st.ID)
	e2, _ := startEngine(t, dir, c, Config{})
	for i := 0; c.reads(st.ID) == reads; i++ {
		if i == 2000 {
			t.Fatal("stop's output, being read when the server stopped, not read again")
		}
		e2.Document(v.ID) // loaded
		time.Sleep(5 * time.Millisecond)
	}
	waitEndReadsDone(t, e2, v.ID)
	for range 50 {
		if n := countLaunches(c.reportBackend, found.Block); n != 1 {
			t.Fatalf("%s, found in stop's output, launched %d times, want once", found.Block, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	d := waitDocumentEnded(t, e2, v.ID)
	if n := countLaunches(c.reportBackend, found.Block); n != 1 {
		t.Errorf("%s, found in stop's output, launched %d times, want once", found.Block, n)
	}
	adopted := false
	for _, b := range d.Blocks {
		if b.Name == found.Block {
			adopted = b.State == Finished && len(b.Instances) == 1 && b.Instances[0].Attempts == 1
			if !adopted {
				t.Errorf("%s %s: %+v, want finished, its one attempt", b.Name, b.State, b.Instances)
			}
		}
	}
	if !adopted {
		t.Errorf("%s not found again", found.Block)
	}
}

// TestValueReadOfFoundBlockNoStop: a block found in stop's output, whose
// results (a table) may stop Emacs, is referred to by another found
// there: the value of the run of it that reference makes (Babel runs it
// again at the reference, its value that run's) is read once its attempt
// ended, and every read fails. No stop is read for a found block, nor
// for that run: their records keep no result stop, known or not (only a
// block's own run in its place has one).
func TestValueReadOfFoundBlockNoStop(t *testing.T) {
	const out = "#+name: ft\n#+begin_src sh :results table\nprintf 'ft'\n#+end_src\n\n#+begin_src sh :var v=ft\necho \"$v\"\n#+end_src\n"
	e, c, v := submitCounted(t, foundStopDoc)
	stop := launchOf(t, c.fakeBackend, "stop", 1)
	c.setOutput(stop.ID, out)
	finish(c.fakeBackend, stop, Finished, 0)
	var ft, ref *Attempt
	for i := 0; ft == nil || ref == nil; i++ {
		if i == 2000 {
			t.Fatal("ft, found in stop's output, or the run of it the reference makes, never launched")
		}
		for _, a := range c.launches() {
			if strings.Contains(a.Script, "printf 'ft'") {
				if strings.HasSuffix(a.Block, " :var v=ft") {
					ref = a
				} else {
					ft = a
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	finish(c.fakeBackend, ft, Finished, 0)
	c.failing = 1 << 20
	c.hold(t, ref.ID)
	finish(c.fakeBackend, ref, Finished, 0)
	for i := 0; c.reads(ref.ID) < resultReadTries; i++ {
		if i == 2000 {
			t.Fatal("the output of the run of ft the reference makes never read once it ended")
		}
		time.Sleep(5 * time.Millisecond)
	}
	waitEndReadsDone(t, e, v.ID)
	e.mu.Lock()
	defer e.mu.Unlock()
	seen := 0
	for _, b := range e.docs[v.ID].blocks {
		if b.name == ft.Block || b.name == ref.Block {
			seen++
			if r := b.instances[0].rec; r.ResultStop != "" || r.ResultStopUnread || r.ResultStopKept {
				t.Errorf("%s, found in results, given a result stop: %q, unread %v", b.name, r.ResultStop, r.ResultStopUnread)
			}
		}
	}
	if seen != 2 {
		t.Errorf("%d blocks named %s or %s, want one each", seen, ft.Block, ref.Block)
	}
}
