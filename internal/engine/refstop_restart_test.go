package engine

import (
	"context"
	"strings"
	"testing"
)

// TestRefStopAcrossRestart: a reader whose reference Emacs finds no data
// for stops the document (refStopDoc); a server started again keeps that
// stop (its note, and the block after the reader not run), and lifts it
// once the writer and then the reader run again fine, as Emacs runs the
// buffer again once the data are there.
func TestRefStopAcrossRestart(t *testing.T) {
	t.Run("undecided", func(t *testing.T) {
		dir, rb, e, stop, id := submitOnDisk(t, refStopDoc)
		writer := launchOf(t, rb.fakeBackend, "block-1", 1)
		slow := launchOf(t, rb.fakeBackend, "slow", 1)
		rb.setOutput(writer.ID, "")
		finish(rb.fakeBackend, writer, Finished, 0)
		waitStored(t, e, id, "user", Failed)
		d, _ := e.Document(id)
		t.Logf("before restart notes: %q", d.Notes)
		stop()
		e2, _ := startEngine(t, dir, rb, Config{})
		d, _ = e2.Document(id)
		t.Logf("after restart notes: %q", d.Notes)
		finish(rb.fakeBackend, slow, Finished, 0)
		if endedOrLaunched(e2, rb, id, "after") {
			t.Errorf("after launched after a server restart: the reference-error stop was lost")
		}
		d = waitDocumentEnded(t, e2, id)
		m, _ := blockMessage(d, "after")
		t.Logf("after: %q; notes %q", m, d.Notes)
	})
	t.Run("lift", func(t *testing.T) {
		dir, rb, e, stop, id := submitOnDisk(t, refStopDoc)
		writer := launchOf(t, rb.fakeBackend, "block-1", 1)
		slow := launchOf(t, rb.fakeBackend, "slow", 1)
		rb.setOutput(writer.ID, "")
		finish(rb.fakeBackend, writer, Finished, 0)
		waitStored(t, e, id, "user", Failed)
		finish(rb.fakeBackend, slow, Finished, 0)
		d := waitDocumentEnded(t, e, id)
		m, _ := blockMessage(d, "after")
		t.Logf("held: %q", m)
		stop()
		e2, _ := startEngine(t, dir, rb, Config{})
		d, _ = e2.Document(id)
		if !strings.Contains(strings.Join(d.Notes, "\n"), "stops this document") {
			t.Errorf("notes after the server restart lost the stop: %q (after says %q)", d.Notes, m)
		}
		if err := e2.RestartBlock(context.Background(), id, "block-1"); err != nil {
			t.Fatal(err)
		}
		w2 := launchOf(t, rb.fakeBackend, "block-1", 2)
		rb.setOutput(w2.ID, "new\n")
		finish(rb.fakeBackend, w2, Finished, 0)
		waitStored(t, e2, id, "block-1", Finished)
		if err := e2.RestartBlock(context.Background(), id, "user"); err != nil {
			t.Fatal(err)
		}
		user := launchOf(t, rb.fakeBackend, "user", 1)
		finish(rb.fakeBackend, user, Finished, 0)
		if !endedOrLaunched(e2, rb, id, "after") {
			d, _ := e2.Document(id)
			m, _ := blockMessage(d, "after")
			t.Errorf("after never launched once the reader ran fine after a server restart: %q notes %q", m, d.Notes)
		}
	})
}
