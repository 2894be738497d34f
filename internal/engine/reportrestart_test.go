package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
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
	heldThenEdited(t, false)
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
