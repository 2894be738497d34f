package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestBufferReportUnreadableAfterRestart: a report of the Org buffer
// read before a restart (the results document written from it) that,
// on the server started again, cannot be read (every read fails, its
// file is gone, or what is read is no report) is not taken as no
// report: the results document is an error (to try again later, or
// the report lost), never one written as the document was submitted.
// Once the backend answers again, it is written from the report.
func TestBufferReportUnreadableAfterRestart(t *testing.T) {
	for _, c := range []struct {
		name  string
		fault func(g *gatedReports, e1, e2 string)
		heals bool
	}{
		{"read fails", func(g *gatedReports, e1, e2 string) { g.failingReads(e1, e2) }, true},
		{"gone", func(g *gatedReports, e1, e2 string) { g.setReport(e1, ""); g.setReport(e2, "") }, false},
		{"corrupt", func(g *gatedReports, e1, e2 string) {
			g.setReport(e1, "not a report\n")
			g.setReport(e2, "not a report\n")
		}, false},
	} {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			dir := t.TempDir()
			g := newGatedReports(nil)
			e, stop := startEngine(t, dir, g, Config{endRead: fastRetry(3)})
			v, err := e.Submit(context.Background(), twoEditorsDoc)
			if err != nil {
				t.Fatal(err)
			}
			byBlock := finishReporting(t, e, g.reportBackend, v.ID, reportText(t, twoEditorsDoc, "Prefix.\n"))
			readsDrained(t, e)
			text, err := e.ResultDocument(context.Background(), v.ID)
			if err != nil || !strings.Contains(text, "Prefix.") {
				t.Fatalf("results document before the restart: err %v, written:\n%s", err, text)
			}
			stop()
			g2 := newGatedReports(g.reportBackend)
			c.fault(g2, byBlock["e1"].ID, byBlock["e2"].ID)
			e, _ = startEngine(t, dir, g2, Config{endRead: fastRetry(3)})
			text, err = e.ResultDocument(context.Background(), v.ID)
			if err == nil && !strings.Contains(text, "Prefix.") {
				t.Errorf("results document after a restart, the report unreadable: written without the buffer's edits:\n%s", text)
			}
			if err != nil && !errors.Is(err, ErrReportUnread) && !errors.Is(err, ErrReportLost) {
				t.Errorf("results document after a restart, the report unreadable: err %v, want ErrReportUnread or ErrReportLost", err)
			}
			readsDrained(t, e)
		})
	}
}

// TestBufferReportUnreadableAfterRestartHoldsBlocks: a block decided
// from a report of the Org buffer read before a restart (editor's,
// which changes after's body) that the server started again cannot read
// is not launched as submitted: it waits, and once the backend answers
// again runs as the buffer has it.
func TestBufferReportUnreadableAfterRestartHoldsBlocks(t *testing.T) {
	dir := t.TempDir()
	g := newGatedReports(nil)
	e, stop := startEngine(t, dir, g, Config{endRead: fastRetry(3)})
	v, err := e.Submit(context.Background(), lostDoc)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(lostDoc, "echo after", "echo edited", 1)
	editor := waitLaunches(t, g.fakeBackend, 1)[0]
	g.setReport(editor.ID, marksReport(t, edited, "", 2))
	finish(g.fakeBackend, editor, Finished, 0)
	slow := waitLaunches(t, g.fakeBackend, 2)[1]
	readsDrained(t, e)
	stop()
	g2 := newGatedReports(g.reportBackend)
	heal := g2.failingReads(editor.ID)
	// Pauses between the reads again long enough for the test to see
	// after held, then heal, before the report is lost.
	slowRetry := &endReadRetry{timeout: time.Minute, tries: prereadTries, first: time.Millisecond, max: 2 * time.Second}
	e, _ = startEngine(t, dir, g2, Config{endRead: slowRetry})
	if _, err := e.Document(v.ID); err != nil {
		t.Fatal(err)
	}
	finish(g2.fakeBackend, slow, Finished, 0)
	for i := 0; i < 4000 && g2.readsOf(editor.ID) <= prereadTries; i++ {
		time.Sleep(5 * time.Millisecond)
	}
	waitState(t, e, v.ID, "slow", Finished)
	for _, l := range g2.launches() {
		if l.Block == "after" {
			t.Fatalf("after launched while editor's report could not be read: %q", l.Script)
		}
	}
	heal()
	var after *Attempt
	for range 4000 {
		for _, l := range g2.launches() {
			if l.Block == "after" {
				after = l
			}
		}
		if after != nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if after == nil {
		t.Fatal("after never launched once editor's report could be read")
	}
	if !strings.Contains(after.Script, "echo edited") {
		t.Errorf("after launched as submitted, not as editor's buffer has it: %q", after.Script)
	}
}

// TestBufferReportKeptReadFailsNoOlder: the latest report among the
// buffered attempts, kept (read before, let go), that fails to read is
// an error for the results document, not a reason to write it from an
// earlier report (bufferReportRead), which would be silently wrong.
func TestBufferReportKeptReadFailsNoOlder(t *testing.T) {
	withReportBudget(t, 1)
	g := newGatedReports(nil)
	e, _ := startEngine(t, t.TempDir(), g, Config{endRead: fastRetry(3)})
	v, err := e.Submit(context.Background(), twoEditorsDoc)
	if err != nil {
		t.Fatal(err)
	}
	byBlock := finishReporting(t, e, g.reportBackend, v.ID, reportText(t, twoEditorsDoc, "Prefix.\n"))
	readsDrained(t, e)
	e1, e2 := byBlock["e1"].ID, byBlock["e2"].ID
	g.failingReads(e2)
	rep, err := e.bufferReport([]string{e2, e1})
	if rep != nil || err == nil {
		t.Errorf("latest report failing to read: report %v, err %v; want no report and an error", rep != nil, err)
	}
}
