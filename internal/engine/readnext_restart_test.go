package engine

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// ranForReaderThenEdited submits, to a new engine storing in a new
// directory, a document whose later block of the name (with headers
// more) runs for the reader's reference, and has the Lisp block between
// them change that block's body in the buffer ("echo edited"); it
// returns once the document has ended, as submitOnDisk does.
func ranForReaderThenEdited(t *testing.T, headers string) (string, *reportBackend, *Engine, func(), string) {
	t.Helper()
	doc := readNextAround("#+name: lisp\n#+begin_src emacs-lisp :results silent\n(ignore)\n#+end_src\n\n",
		"#+begin_src sh :results output"+headers+"\necho later\n#+end_src\n")
	dir, rb, e, stop, id := submitOnDisk(t, doc)
	endEach(t, rb, "block-1", "", "data", "later\n", "user", "[later]\n")
	lisp := launchOf(t, rb.fakeBackend, "lisp", 1)
	edited := strings.Replace(doc, "echo later\n", "echo edited\n", 1)
	rb.rmu.Lock()
	rb.reports[lisp.ID] = marksReport(t, edited, "", 3)
	rb.rmu.Unlock()
	finish(rb.fakeBackend, lisp, Finished, 0)
	waitDocumentEnded(t, e, id)
	return dir, rb, e, stop, id
}

// TestReadNextRunForAcrossRestart: the later block of the name (:cache
// yes) ran for the reader's reference, in the reader's place, where no
// Emacs Lisp block ran before it; the Lisp block between the reader and
// it then changed its body in the buffer. Its results are written back
// as decided where it ran (the hash of the body it ran), and after a
// server restart still so: which reader it ran for is kept with its
// record. A record of an older Borges, which did not keep it, has the
// block decided in its own place, as that Borges did (the hash of the
// body as the Lisp block left it).
func TestReadNextRunForAcrossRestart(t *testing.T) {
	for _, older := range []bool{false, true} {
		t.Run(map[bool]string{false: "kept", true: "older record"}[older], func(t *testing.T) {
			dir, rb, e, stop, id := ranForReaderThenEdited(t, " :cache yes")
			ran, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			stop()
			if older {
				withStored(t, filepath.Join(dir, "borges.db"), id, func(st *store.Store, recs []*store.Instance) {
					for _, r := range recs {
						if r.Block == "data" {
							if r.RunFor != "user" {
								t.Errorf("data's record: run for %q, want user", r.RunFor)
							}
							r.RunFor = ""
							if err := st.PutInstances([]*store.Instance{r}); err != nil {
								t.Fatal(err)
							}
						}
					}
				})
			}
			e2, _ := startEngine(t, dir, rb, Config{})
			got, err := e2.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if older {
				if got == ran || !strings.Contains(got, "echo edited\n") {
					t.Errorf("an older record: written back as decided where it ran:\n%s", got)
				}
			} else if got != ran {
				t.Errorf("after a restart:\n%s\nwant:\n%s", got, ran)
			}
		})
	}
}

// TestReadNextRunForRestartedQueued: the later block of the name ran for
// the reader's reference; the document ended, and the block, restarted
// on its own, runs in its own place (after the Lisp block that changed
// its body in the buffer). Still queued when the server stops (nothing
// free to run it), it runs there after a server restart too, with the
// body the Lisp block left: its record no longer names the reader it
// once ran for.
func TestReadNextRunForRestartedQueued(t *testing.T) {
	dir, rb, e, stop, id := ranForReaderThenEdited(t, "")
	rb.setFull(true)
	if err := e.RestartBlock(context.Background(), id, "data"); err != nil {
		t.Fatal(err)
	}
	stop()
	withStored(t, filepath.Join(dir, "borges.db"), id, func(_ *store.Store, recs []*store.Instance) {
		for _, r := range recs {
			if r.Block == "data" && (r.State != string(Queued) || r.RunFor != "") {
				t.Errorf("data's record: %s, run for %q; want queued, run for none", r.State, r.RunFor)
			}
		}
	})
	rb.setFull(false)
	startEngine(t, dir, rb, Config{})
	if a := launchOf(t, rb.fakeBackend, "data", 2); !strings.Contains(a.Script, "echo edited") {
		t.Errorf("data run again after a server restart: %q, want the body the Lisp block left", a.Script)
	}
}

// TestReadNextRunForIntent: the launch intent of a block run for a
// reader's reference names that reader (store.Intent.RunFor), and an
// attempt staged from it after a crash is decided at the reader's place,
// as it launched: its record says so.
func TestReadNextRunForIntent(t *testing.T) {
	e, rb, id := submitToReport(t, readNextAround("#+name: lisp\n#+begin_src emacs-lisp :results silent\n(ignore)\n#+end_src\n\n",
		"#+begin_src sh :results output\necho later\n#+end_src\n"))
	writer := launchOf(t, rb.fakeBackend, "block-1", 1)
	rb.setFull(true) // data, run for user, stays queued
	rb.setOutput(writer.ID, "")
	finish(rb.fakeBackend, writer, Finished, 0)
	e.mu.Lock()
	defer e.mu.Unlock()
	ds := e.docs[id]
	data := ds.byName["data"]
	in := data.instances[0]
	for i := 0; data.runFor == nil && i < 2000; i++ {
		e.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
		e.mu.Lock()
	}
	if data.runFor != ds.byName["user"] || State(in.rec.State) != Queued {
		t.Fatalf("data: %s, run for %v; want queued, run for user", in.rec.State, data.runFor)
	}
	n := in.rec.Attempts + 1
	next := AttemptID(id, data.index, data.name, 0, n)
	in.prepared = next
	e.mu.Unlock()
	its := e.intentsOf([]prepareReq{{doc: id, id: next, task: data.task, in: in, n: n}})
	e.mu.Lock()
	if len(its) != 1 || its[0].RunFor != "user" {
		t.Fatalf("intents: %+v; want data's, run for user", its)
	}
	in.rec.RunFor = ""              // as stored before the launch
	its[0].BootID = "an older boot" // found after a reboot: it may have launched
	e.applyIntents(ds, map[string]store.Intent{string(in.rec.Key()): its[0]})
	if State(in.rec.State) != Staged || in.rec.RunFor != "user" {
		t.Errorf("data staged from its intent: %s, run for %q; want staged, run for user", in.rec.State, in.rec.RunFor)
	}
}
