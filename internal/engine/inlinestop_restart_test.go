package engine

import (
	"context"
	"strings"
	"testing"
)

// TestAddedInlineStopAdderRestart: restarting the Emacs Lisp block that added a refused inline block, whose new run adds one accepted, lifts the stop: the block it held runs.
func TestAddedInlineStopAdderRestart(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, addedInlineDoc)
	adder := launchOf(t, rb.fakeBackend, "adder", 1)
	buffer := strings.Replace(addedInlineDoc, "PLACE HERE", "PLACE HERE src_sh[:results output]{echo 1; echo 2}", 1)
	rb.rmu.Lock()
	rb.reports[adder.ID] = addedReport(t, buffer, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh\necho slow"}, markAt{at: "#+begin_src sh :var"}, markAt{at: "src_sh["})
	rb.rmu.Unlock()
	finish(rb.fakeBackend, adder, Finished, 0)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	if stopThenSlow(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), "1\n2\n", slow) {
		t.Fatal("after launched")
	}
	waitDocumentEnded(t, e, id)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	d := waitDocumentEnded(t, e2, id)
	m, _ := blockMessage(d, "after")
	t.Logf("after server restart: after=%q notes=%q", m, d.Notes)
	if !strings.HasPrefix(m, failStopAt) {
		t.Errorf("added stop lost over a server restart: %q", m)
	}
	// Restart the Emacs Lisp block: its new buffer adds a one-line inline block.
	if err := e2.RestartBlock(context.Background(), id, "adder"); err != nil {
		t.Fatal(err)
	}
	adder2 := launchOf(t, rb.fakeBackend, "adder", 2)
	buffer2 := strings.Replace(addedInlineDoc, "PLACE HERE", "PLACE HERE src_sh[:results output]{echo 1}", 1)
	rb.rmu.Lock()
	rb.reports[adder2.ID] = addedReport(t, buffer2, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh\necho slow"}, markAt{at: "#+begin_src sh :var"}, markAt{at: "src_sh["})
	rb.rmu.Unlock()
	finish(rb.fakeBackend, adder2, Finished, 0)
	for _, a := range rb.launches() {
		t.Logf("launch %s %s", a.Block, a.ID)
	}
	if in2 := launchOf(t, rb.fakeBackend, "inline-1", 2); in2 != nil {
		rb.setOutput(in2.ID, "1\n")
		finish(rb.fakeBackend, in2, Finished, 0)
	}
	for _, a := range rb.launches() {
		if a.Block == "slow" && a != slow {
			finish(rb.fakeBackend, a, Finished, 0)
		}
	}
	if !endedOrLaunched(e2, rb, id, "after") {
		d, _ := e2.Document(id)
		m, _ := blockMessage(d, "after")
		t.Errorf("after still held after the adder ran again: %q %q", m, d.Notes)
	}
}

// TestAddedInlineStopRestartItself: restarting the inline block an Emacs
// Lisp block added, whose value stopped the document, lifts the stop: its
// new value, of one line, is written, and the block the stop held runs.
func TestAddedInlineStopRestartItself(t *testing.T) {
	e, rb, id := submitToReport(t, addedInlineDoc)
	adder := launchOf(t, rb.fakeBackend, "adder", 1)
	buffer := strings.Replace(addedInlineDoc, "PLACE HERE", "PLACE HERE src_sh[:results output]{echo 1; echo 2}", 1)
	rb.rmu.Lock()
	rb.reports[adder.ID] = addedReport(t, buffer, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh\necho slow"}, markAt{at: "#+begin_src sh :var"}, markAt{at: "src_sh["})
	rb.rmu.Unlock()
	finish(rb.fakeBackend, adder, Finished, 0)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	if stopThenSlow(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), "1\n2\n", slow) {
		t.Fatal("after launched")
	}
	waitDocumentEnded(t, e, id)
	if err := e.RestartBlock(context.Background(), id, "inline-1"); err != nil {
		t.Fatal(err)
	}
	in2 := launchOf(t, rb.fakeBackend, "inline-1", 2)
	rb.setOutput(in2.ID, "1\n")
	finish(rb.fakeBackend, in2, Finished, 0)
	if !endedOrLaunched(e, rb, id, "after") {
		d, _ := e.Document(id)
		m, _ := blockMessage(d, "after")
		t.Errorf("after still held after the inline block ran again: %q %q", m, d.Notes)
	}
}
