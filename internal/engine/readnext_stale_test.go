package engine

import (
	"strings"
	"testing"
)

// staleNextDoc: the writer (block-1) writes nothing over the data named
// data, which then names no element; the next element of that name is
// the results of another block (block-2) before the reader, which
// rewrites them (fresh over stale) before the reader runs, as Emacs
// runs the buffer: the reader reads them rewritten (plan testdata
// stalenext_before.org).
const staleNextDoc = writerOverData +
	"#+begin_src sh :results output\necho fresh\n#+end_src\n\n#+name: data\n#+RESULTS:\n: stale\n\n" +
	"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n"

// TestReadNextResultsRewritten: in either order of the writer's and the
// other block's ends, and across a server restart between them, the
// reader binds the other block's new results, not those submitted.
func TestReadNextResultsRewritten(t *testing.T) {
	for _, c := range []struct {
		name    string
		first   string // the block that ends first, before any restart
		restart bool
	}{
		{"writer first", "block-1", false},
		{"other first", "block-2", false},
		{"writer first, restart", "block-1", true},
		{"other first, restart", "block-2", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, rb, e, stop, id := submitOnDisk(t, staleNextDoc)
			outs := map[string]string{"block-1": "", "block-2": "fresh\n"}
			second := "block-2"
			if c.first == "block-2" {
				second = "block-1"
			}
			launchOf(t, rb.fakeBackend, second, 1) // launched before the restart
			endLaunch(t, rb, c.first, 1, outs[c.first], Finished)
			waitStored(t, e, id, c.first, Finished)
			if c.restart {
				stop()
				e, _ = startEngine(t, dir, rb, Config{})
			}
			endLaunch(t, rb, second, 1, outs[second], Finished)
			userBinds(t, rb, "x='fresh'")
			waitDocumentEnded(t, e, id)
		})
	}
}

// TestReadNextResultsWriterWrote: the writer wrote data: the reader
// reads them, whatever the other block printed.
func TestReadNextResultsWriterWrote(t *testing.T) {
	e, rb, id := submitToReport(t, staleNextDoc)
	endEach(t, rb, "block-2", "fresh\n", "block-1", "new\n")
	userBinds(t, rb, "x='new'")
	waitDocumentEnded(t, e, id)
}

// TestReadNextResultsStand: the other block runs after the reader, or
// its results are silent: Emacs reads them as the document has them,
// whatever it printed, even when it ends first here.
func TestReadNextResultsStand(t *testing.T) {
	other := "#+begin_src sh :results output\necho fresh\n#+end_src\n\n#+name: data\n#+RESULTS:\n: stale\n\n"
	user := "#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n"
	for name, doc := range map[string]string{
		"after":  writerOverData + user + other,
		"silent": writerOverData + strings.Replace(other, "output", "output silent", 1) + user,
	} {
		t.Run(name, func(t *testing.T) {
			e, rb, id := submitToReport(t, doc)
			otherBlock := "block-2"
			if name == "after" {
				otherBlock = "block-3"
			}
			endLaunch(t, rb, otherBlock, 1, "fresh\n", Finished)
			waitStored(t, e, id, otherBlock, Finished)
			endLaunch(t, rb, "block-1", 1, "", Finished)
			userBinds(t, rb, "x='stale'")
			waitDocumentEnded(t, e, id)
		})
	}
}

// TestReadNextResultsWrittenOrFail: the next element of the name is the
// results of block-2, with append, or block-2 refers to the reader: the
// document runs, and the reader binds the writer's data when it wrote
// some; when it wrote nothing the reader fails saying why, naming the
// line at fault, and the document ends (block-2, waiting for the reader,
// not waited for). Where block-2 refers to the reader, its reference is
// a run of the reader of its own (binding block-2's results as they
// stand), so block-2 does not wait for the reader's own run, which then
// reads block-2's rewritten results, as Emacs does (checked in Emacs
// 28.2: the run prints "[stale]", the reader "[fresh]").
func TestReadNextResultsWrittenOrFail(t *testing.T) {
	other := "#+begin_src sh :results output\necho fresh\n#+end_src\n\n#+name: data\n#+RESULTS:\n: stale\n\n"
	user := "#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n"
	newData := strings.Replace(writerOverData, "true", "echo new", 1)
	for _, c := range []struct{ name, other, want string }{
		{"append", strings.Replace(other, "output", "output append", 1), "(:results append)"},
		{"B refers", strings.Replace(other, "output", "output :var y=user", 1), "the block at line 9 refers to block \"user\""},
	} {
		t.Run(c.name+", data", func(t *testing.T) {
			e, rb, id := submitToReport(t, newData+c.other+user)
			endEach(t, rb, "block-1", "new\n")
			if c.name == "append" {
				endEach(t, rb, "block-2", "fresh\n")
			}
			userBinds(t, rb, "x='new'")
			if c.name != "append" {
				// block-2's reference is a run of user of its own,
				// which binds the writer's data too.
				run := endLaunch(t, rb, "block-2 :var y=user", 1, "[new]\n", Finished)
				if !strings.Contains(run.Script, "x='new'") {
					t.Errorf("the run of the reader block-2's reference makes does not bind %q: %q", "x='new'", run.Script)
				}
				endEach(t, rb, "block-2", "fresh [new]\n")
			}
			waitDocumentEnded(t, e, id)
		})
		t.Run(c.name+", nothing", func(t *testing.T) {
			e, rb, id := submitToReport(t, writerOverData+c.other+user)
			endEach(t, rb, "block-1", "")
			if c.name == "append" {
				endEach(t, rb, "block-2", "fresh\n")
			} else {
				// block-2's reference is a run of user of its own,
				// within block-2's evaluation, before block-2
				// writes its results: the next element of the name
				// is block-2's results as the document has them,
				// which it binds, as Emacs does.
				run := endLaunch(t, rb, "block-2 :var y=user", 1, "[stale]\n", Finished)
				if !strings.Contains(run.Script, "x='stale'") {
					t.Errorf("the run of the reader block-2's reference makes does not bind %q: %q", "x='stale'", run.Script)
				}
				endEach(t, rb, "block-2", "fresh [stale]\n")
				// block-2 no longer waits for user's own run: user
				// reads block-2's results, rewritten, as Emacs does.
				userBinds(t, rb, "x='fresh [stale]'")
				waitDocumentEnded(t, e, id)
				return
			}
			d := waitDocumentEnded(t, e, id)
			if launchedBlock(rb, "user") {
				t.Error("the reader ran")
			}
			if m, _ := blockMessage(d, "user"); !strings.Contains(m, c.want) || !strings.Contains(m, "wrote nothing") {
				t.Errorf("user: %q, want it to say %q", m, c.want)
			}
		})
	}
}
