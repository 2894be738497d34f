package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// An Emacs Lisp block found in results that changes the Org buffer, in a
// document with no Emacs Lisp block of its own: org-babel-execute-buffer
// runs it in the buffer it writes, so what it changed is in the document
// written back (found_elisp_no_emacs_edits.org of internal/plan, checked
// with Emacs 28.2). Borges runs it in an Emacs started for it with the
// buffer as written so far, whose report the document is then written
// back from, as from the document's Emacs.

// foundEditsProg inserts text at the end of the buffer.
const foundEditsProg = `(save-excursion (goto-char (point-max)) (insert "\nInserted at the end.\n"))`

// foundEditsRaw is the shell block's results: the block found.
const foundEditsRaw = "#+begin_src emacs-lisp\n" + foundEditsProg + "\n#+end_src\n"

// foundEditsWant is the document Emacs writes.
func foundEditsWant() string {
	return "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '" + foundEditsProg + "' '#+end_src'\n#+end_src\n\n#+RESULTS:\n" + foundEditsRaw +
		"\n#+RESULTS:\n\nText right after.\n\n#+name: later\n#+begin_src sh\necho later\n#+end_src\n\n#+RESULTS: later\n: later\n\nInserted at the end.\n"
}

// reportFoundEdits has the found block's attempt a report the buffer as
// that Emacs holds it once it ran: the shell block's results put in, the
// text it inserted at the end; and ends it, valued nil.
func reportFoundEdits(t *testing.T, rb *reportBackend, a *Attempt) {
	t.Helper()
	reportFoundIn(t, rb, a, "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '"+foundEditsProg+"' '#+end_src'\n#+end_src\n\n#+RESULTS:\n"+foundEditsRaw+
		"\nText right after.\n\n#+name: later\n#+begin_src sh\necho later\n#+end_src\n\nInserted at the end.\n", foundEditsRaw, "#+begin_src sh\necho later\n#+end_src\n")
}

// reportFoundIn has attempt a, of the block found (raw, its text) in the
// first block's results, report buffer, the first block's results put
// in, the later block (laterBlock, its text) not run yet, and ends it,
// valued nil.
func reportFoundIn(t *testing.T, rb *reportBackend, a *Attempt, buffer, raw, laterBlock string) {
	t.Helper()
	// Marked as Emacs marks them: the shell block, its results (the
	// block found, and the blank line after it, as Emacs's region of raw
	// results holds it) put in as written (their digest), the later
	// block, and the block found, with no results yet.
	sh := strings.Index(buffer, "\n#+RESULTS:\n")
	found := strings.Index(buffer, raw)
	end := found + len(raw)
	later := strings.Index(buffer, laterBlock)
	laterEnd := later + len(laterBlock)
	rb.rmu.Lock()
	rb.reports[a.ID] = fmt.Sprintf("3 0\n0 %d %d %d %s =\n%d %d %d %d - =\n%d %d %d %d - =\n", sh, sh, end+1, org.ResultDigest(buffer[sh:end+1]), later, laterEnd, laterEnd, laterEnd, found, end, end, end) + buffer
	rb.rmu.Unlock()
	finishLaunch(rb.fakeBackend, a, "nil")
}

// runFoundEdits runs foundNoEmacsDoc with foundEditsProg to its end,
// checking the document written back, and returns the store's directory,
// the backend, the engine's stop and the document's id.
func runFoundEdits(t *testing.T) (string, *reportBackend, func(), string) {
	t.Helper()
	dir, rb, e, stop, id := submitOnDisk(t, foundNoEmacsDoc(foundEditsProg))
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "later", 1), "later")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundEditsRaw)
	reportFoundEdits(t, rb, launchOf(t, rb.fakeBackend, "block-1-found-1", 1))
	finishedAs(t, e, rb.fakeBackend, id, foundEditsWant(), 3)
	return dir, rb, stop, id
}

// TestFoundEmacsLispNoEmacsEdits: the text the block found inserts at the
// end of the buffer is in the document written back, after the later
// block's results.
func TestFoundEmacsLispNoEmacsEdits(t *testing.T) {
	runFoundEdits(t)
}

// TestFoundEmacsLispNoEmacsEditsRestarted: a server started again on
// the store of that document writes it back with the edit, launching
// nothing.
func TestFoundEmacsLispNoEmacsEditsRestarted(t *testing.T) {
	dir, rb, stop, id := runFoundEdits(t)
	stop()
	checkRestartedSame(t, dir, rb, id, foundEditsWant(), 3)
}

// TestFoundEmacsLispNoEmacsEditsRestartedRunning: a server started again
// while the block found runs runs it again (its Emacs is gone with the
// server), in an Emacs started with the buffer as written so far, reads
// the report its new attempt leaves and writes the document with the
// edit.
func TestFoundEmacsLispNoEmacsEditsRestartedRunning(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, foundNoEmacsDoc(foundEditsProg))
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "later", 1), "later")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundEditsRaw)
	found := launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
	rb.sink(Update{AttemptID: found.ID, State: Running})
	waitState(t, e, id, "block-1-found-1", Running)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	again := launchOf(t, rb.fakeBackend, "block-1-found-1", 2)
	if !strings.Contains(again.Script, "(borges--start-buffer ") || !strings.Contains(again.Script, "(borges--found-mark 1073741824 ") {
		t.Errorf("the block found, run again, does not start its Emacs with the buffer as written so far:\n%s", again.Script[max(0, len(again.Script)-1500):])
	}
	reportFoundEdits(t, rb, again)
	finishedAs(t, e2, rb.fakeBackend, id, foundEditsWant(), 4)
}

// The first block's results hold an Emacs Lisp block that inserts a
// character at the end of the buffer and deletes it, so that its Emacs
// reports the buffer changed (as Emacs 28.2 does) with the same text;
// the second's results hold a shell block, found after that report.
const (
	undoneProg  = `(save-excursion (goto-char (point-max)) (insert "x") (delete-char -1) nil)`
	undoneRaw   = "#+begin_src emacs-lisp\n" + undoneProg + "\n#+end_src\n"
	laterRaw    = "#+begin_src sh\necho found-later\n#+end_src\n"
	laterBlock  = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh' 'echo found-later' '#+end_src'\n#+end_src\n"
	undoneFirst = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '" + undoneProg + "' '#+end_src'\n#+end_src\n"
)

// TestFoundEmacsLispNoEmacsEditsFoundLater: a block found in the results
// of a block that ends after the Emacs of a block found before reported
// its buffer changed, a buffer without those results, has its results
// written where Emacs writes them (found_elisp_no_emacs_edits_undone_found_later.org
// of internal/plan, checked with Emacs 28.2), not left out; so does a
// server started again.
func TestFoundEmacsLispNoEmacsEditsFoundLater(t *testing.T) {
	runFoundLater(t, undoneFirst, undoneRaw, "")
}

// runFoundLater submits first (its results raw, an Emacs Lisp block that
// leaves inserted at the end of its Emacs's buffer) before laterBlock,
// has that Emacs report its buffer, then laterBlock and the block found
// in its results end, and checks the document written back, then by a
// server started again, which launches nothing.
func runFoundLater(t *testing.T, first, raw, inserted string) {
	t.Helper()
	dir, rb, e, stop, id := submitOnDisk(t, first+"Text right after.\n\n"+laterBlock+"Text after.\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), raw)
	reportFoundIn(t, rb, launchOf(t, rb.fakeBackend, "block-1-found-1", 1), first+"\n#+RESULTS:\n"+raw+"\nText right after.\n\n"+laterBlock+"Text after.\n"+inserted, raw, laterBlock)
	waitState(t, e, id, "block-1-found-1", Finished)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), laterRaw)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2-found-1", 1), "found-later")
	want := first + "\n#+RESULTS:\n" + raw + "\n#+RESULTS:\n\nText right after.\n\n" + laterBlock + "\n#+RESULTS:\n" + laterRaw + "\n#+RESULTS:\n: found-later\n\nText after.\n" + inserted
	finishedAs(t, e, rb.fakeBackend, id, want, 4)
	stop()
	checkRestartedSame(t, dir, rb, id, want, 4)
}

// TestFoundEmacsLispNoEmacsEditsReportReadFails: the report of the Emacs
// the block found ran in, whose first read fails, is read again when its
// attempt ends, as the document's Emacs's reports are (reportOfEmacs):
// the document is written with the edit, not refused as unread.
func TestFoundEmacsLispNoEmacsEditsReportReadFails(t *testing.T) {
	g := newGatedReports(nil)
	e, _ := startEngine(t, t.TempDir(), g, Config{endRead: fastRetry(3)})
	v, err := e.Submit(context.Background(), foundNoEmacsDoc(foundEditsProg))
	if err != nil {
		t.Fatal(err)
	}
	finishLaunch(g.fakeBackend, launchOf(t, g.fakeBackend, "later", 1), "later")
	finishLaunch(g.fakeBackend, launchOf(t, g.fakeBackend, "block-1", 1), foundEditsRaw)
	found := launchOf(t, g.fakeBackend, "block-1-found-1", 1)
	g.mu.Lock()
	g.failing[found.ID] = 1
	g.mu.Unlock()
	reportFoundEdits(t, g.reportBackend, found)
	finishedAs(t, e, g.fakeBackend, v.ID, foundEditsWant(), 3)
}

// TestFoundEmacsLispNoEmacsEditsPrereadFails: a server started again
// reads the report of the Emacs the block found ran in before it writes
// the document (reportsToPreread), again when its first read fails, and
// writes the document with the edit.
func TestFoundEmacsLispNoEmacsEditsPrereadFails(t *testing.T) {
	dir, rb, stop, id := runFoundEdits(t)
	stop()
	g := newGatedReports(rb)
	for _, a := range rb.launches() {
		if a.Block == "block-1-found-1" {
			g.failing[a.ID] = 1
		}
	}
	e2, _ := startEngine(t, dir, g, Config{endRead: &endReadRetry{timeout: time.Minute, tries: 8, first: time.Millisecond, max: time.Millisecond}})
	if got, err := e2.ResultDocument(context.Background(), id); err != nil || got != foundEditsWant() {
		t.Errorf("after the restart: %v\n%s\nwant:\n%s", err, got, foundEditsWant())
	}
}

// editsFirst is the first block of found_elisp_no_emacs_edits_found_later.org
// of internal/plan: its results hold foundEditsProg's block.
const editsFirst = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '" + foundEditsProg + "' '#+end_src'\n#+end_src\n"

// TestFoundEmacsLispNoEmacsEditsInsertFoundLater: the block found in the
// results of a block that ends after the Emacs of a block found before
// reported the text it inserted at the end of the buffer has its results
// written where Emacs writes them, and the insertion stays in the
// document (found_elisp_no_emacs_edits_found_later.org of internal/plan,
// checked with Emacs 28.2): the later block's results are written in that
// Emacs's buffer and searched there, as org-babel-execute-buffer goes on
// in it. So does a server started again, launching nothing.
func TestFoundEmacsLispNoEmacsEditsInsertFoundLater(t *testing.T) {
	runFoundLater(t, editsFirst, foundEditsRaw, "\nInserted at the end.\n")
}

// The blocks of found_elisp_no_emacs_edits_two.org of internal/plan: two
// shell blocks whose results hold an Emacs Lisp block inserting text at
// the end of the buffer, a shell block between them.
const (
	twoFirstProg  = `(save-excursion (goto-char (point-max)) (insert "\nFirst insertion.\n"))`
	twoSecondProg = `(save-excursion (goto-char (point-max)) (insert "\nSecond insertion.\n"))`
	twoFirstRaw   = "#+begin_src emacs-lisp\n" + twoFirstProg + "\n#+end_src\n"
	twoSecondRaw  = "#+begin_src emacs-lisp\n" + twoSecondProg + "\n#+end_src\n"
	twoFirst      = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '" + twoFirstProg + "' '#+end_src'\n#+end_src\n"
	twoBetween    = "#+begin_src sh\necho between\n#+end_src\n"
	twoSecond     = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '" + twoSecondProg + "' '#+end_src'\n#+end_src\n"
)

// twoWant is the document Emacs writes.
const twoWant = twoFirst + "\n#+RESULTS:\n" + twoFirstRaw + "\n#+RESULTS:\n\nText right after.\n\n" + twoBetween + "\n#+RESULTS:\n: between\n\n" +
	twoSecond + "\n#+RESULTS:\n" + twoSecondRaw + "\n#+RESULTS:\n\nText after the second.\n\nFirst insertion.\n\nSecond insertion.\n"

// TestFoundEmacsLispNoEmacsEditsTwo: the second Emacs Lisp block found,
// run in the Emacs the first ran in (which inserted text at the end of
// its buffer) after the results of the blocks before it are put in
// there, the first's own results among them, is marked where the buffer
// then holds it, not past results still to put in (borges--found-mark
// would find it there only shifted by the growth of the whole buffer,
// which the first's insertion, after it, throws off); the document is
// written with both insertions, and so by a server started again,
// launching nothing.
func TestFoundEmacsLispNoEmacsEditsTwo(t *testing.T) {
	dir, rb, e, stop, id := twoFirstDone(t)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-3", 1), twoSecondRaw)
	second := launchOf(t, rb.fakeBackend, "block-3-found-1", 1)
	put := strings.Index(second.Script, "(borges--put-result 1073741824 ")
	mark := strings.Index(second.Script, "(borges--found-mark 1073741825 ")
	if put < 0 || mark < 0 || put > mark {
		t.Errorf("the first block found's results (at %d) are not put in before the second marks itself (at %d):\n%s", put, mark, second.Script[max(0, len(second.Script)-2500):])
	}
	twoSecondRan(rb, second)
	finishedAs(t, e, rb.fakeBackend, id, twoWant, 5)
	stop()
	checkRestartedSame(t, dir, rb, id, twoWant, 5)
}

// twoFirstDone submits found_elisp_no_emacs_edits_two.org's document and
// has the first block, the block found in its results (twoFirstRan) and
// the block between end, as submitOnDisk returns.
func twoFirstDone(t *testing.T) (string, *reportBackend, *Engine, func(), string) {
	t.Helper()
	dir, rb, e, stop, id := submitOnDisk(t, twoFirst+"Text right after.\n\n"+twoBetween+"\n"+twoSecond+"Text after the second.\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), twoFirstRaw)
	twoFirstRan(rb, launchOf(t, rb.fakeBackend, "block-1-found-1", 1))
	waitState(t, e, id, "block-1-found-1", Finished)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), "between")
	waitState(t, e, id, "block-2", Finished)
	return dir, rb, e, stop, id
}

// twoFirstRan has the first block found (attempt a) report its Emacs's
// buffer once it ran: the first block's results put in, the text it
// inserted; and ends it, valued nil.
func twoFirstRan(rb *reportBackend, a *Attempt) {
	rb.rmu.Lock()
	rb.reports[a.ID] = twoReport(twoFirst+"\n#+RESULTS:\n"+twoFirstRaw+"\nText right after.\n\n"+twoBetween+"\n"+twoSecond+"Text after the second.\n\nFirst insertion.\n", false)
	rb.rmu.Unlock()
	finishLaunch(rb.fakeBackend, a, "nil")
}

// twoSecondRan has the second block found (attempt a) report its
// Emacs's buffer once it ran, every result but its own put in, both
// insertions made; and ends it, valued nil.
func twoSecondRan(rb *reportBackend, a *Attempt) {
	buf := twoFirst + "\n#+RESULTS:\n" + twoFirstRaw + "\n#+RESULTS:\n\nText right after.\n\n" + twoBetween + "\n#+RESULTS:\n: between\n\n" +
		twoSecond + "\n#+RESULTS:\n" + twoSecondRaw + "\nText after the second.\n\nFirst insertion.\n\nSecond insertion.\n"
	rb.rmu.Lock()
	rb.reports[a.ID] = twoReport(buf, true)
	rb.rmu.Unlock()
	finishLaunch(rb.fakeBackend, a, "nil")
}

// twoReport is the report of buffer, a buffer of
// found_elisp_no_emacs_edits_two.org's found Emacs: the first block's
// results put in and the first block found marked; with second, every
// block's results put in but the second found's, which is marked too.
func twoReport(buffer string, second bool) string {
	region := func(from, block, raw string) (int, int, int, int, string) {
		p := strings.Index(buffer, from)
		be := p + len(block)
		if raw == "" || !strings.HasPrefix(buffer[be:], "\n#+RESULTS:\n"+raw) {
			return p, be, be, be, "-"
		}
		end := be + len("\n#+RESULTS:\n"+raw)
		if raw != ": between\n" {
			end++ // the blank line after raw results
		}
		return p, be, be, end, org.ResultDigest(buffer[be:end])
	}
	var lines []string
	add := func(p, be, s, e int, d string) {
		lines = append(lines, fmt.Sprintf("%d %d %d %d %s =", p, be, s, e, d))
	}
	add(region(twoFirst, twoFirst, twoFirstRaw))
	if second {
		add(region(twoBetween, twoBetween, ": between\n"))
		add(region(twoSecond, twoSecond, twoSecondRaw))
	} else {
		add(region(twoBetween, twoBetween, ""))
		add(region(twoSecond, twoSecond, ""))
	}
	first := "\n" + twoFirstRaw
	p := strings.Index(buffer, first) + 1
	be := p + len(twoFirstRaw)
	if second && strings.HasPrefix(buffer[be:], "\n#+RESULTS:\n") {
		add(p, be, be, be+len("\n#+RESULTS:\n"), org.ResultDigest("\n#+RESULTS:\n"))
	} else {
		add(p, be, be, be, "-")
	}
	if second {
		p := strings.Index(buffer, "\n"+twoSecondRaw) + 1
		add(p, p+len(twoSecondRaw), p+len(twoSecondRaw), p+len(twoSecondRaw), "-")
	}
	return fmt.Sprintf("%d 0\n", len(lines)) + strings.Join(lines, "\n") + "\n" + buffer
}

// TestFoundEmacsLispNoEmacsEditsTwoRestarted: a server started again
// once the first block found ran, before the third block ends, has the
// Emacs the first ran in, gone with the old server, run again (the first
// block found in a new Emacs started with the buffer as written so far,
// the second after it there), and writes the document with both
// insertions; the second, run in an Emacs with no buffer, stopped
// the document.
func TestFoundEmacsLispNoEmacsEditsTwoRestarted(t *testing.T) {
	dir, rb, e, stop, id := twoFirstDone(t)
	third := launchOf(t, rb.fakeBackend, "block-3", 1)
	rb.sink(Update{AttemptID: third.ID, State: Running})
	waitState(t, e, id, "block-3", Running)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	finishLaunch(rb.fakeBackend, third, twoSecondRaw) // it runs on: the backend keeps it
	// Its Emacs gone with the server, the first block found runs again
	// in a new one, started with the buffer as written so far.
	again := launchOf(t, rb.fakeBackend, "block-1-found-1", 2)
	if !strings.Contains(again.Script, "(borges--start-buffer ") {
		t.Errorf("the first block found, run again, does not start its Emacs with the buffer:\n%s", again.Script[max(0, len(again.Script)-2500):])
	}
	twoFirstRan(rb, again)
	second := launchOf(t, rb.fakeBackend, "block-3-found-1", 1)
	if strings.Contains(second.Script, "(borges--start-buffer ") || !strings.Contains(second.Script, "(borges--found-mark 1073741825 ") {
		t.Errorf("the second block found does not run in the Emacs the first ran in again:\n%s", second.Script[max(0, len(second.Script)-2500):])
	}
	twoSecondRan(rb, second)
	finishedAs(t, e2, rb.fakeBackend, id, twoWant, 6)
}

// TestFoundEmacsLispNoEmacsEditsFoundLaterFails: a block found in the
// results of a block that ends after the Emacs of a block found before
// reported the text it inserted, whose run fails, has its failure written
// where Emacs writes its results (Borges's failure drawer: README,
// Results), and the insertion stays: its results are not left out for
// want of a place among the finished ones.
func TestFoundEmacsLispNoEmacsEditsFoundLaterFails(t *testing.T) {
	const inserted = "\nInserted at the end.\n"
	_, rb, e, _, id := submitOnDisk(t, editsFirst+"Text right after.\n\n"+laterBlock+"Text after.\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundEditsRaw)
	reportFoundIn(t, rb, launchOf(t, rb.fakeBackend, "block-1-found-1", 1), editsFirst+"\n#+RESULTS:\n"+foundEditsRaw+"\nText right after.\n\n"+laterBlock+"Text after.\n"+inserted, foundEditsRaw, laterBlock)
	waitState(t, e, id, "block-1-found-1", Finished)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), laterRaw)
	failed := launchOf(t, rb.fakeBackend, "block-2-found-1", 1)
	rb.setOutput(failed.ID, "found-later")
	finish(rb.fakeBackend, failed, Failed, 1)
	waitDocState(t, e, id, Failed)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	at := strings.Index(got, laterRaw+"\n#+RESULTS:\n")
	after := strings.Index(got, "Text after.\n"+inserted)
	if at < 0 || after < at || !strings.Contains(got[at:after], "found-later") {
		t.Errorf("no failure written under the block found later, or the insertion left out:\n%s", got)
	}
}

// TestFoundEmacsLispNoEmacsEditsFoundLaterNoPlace: where the Emacs of a
// block found before deleted the block whose results hold a block found
// later, that block's results have no place in its buffer: the document
// is written from the results (without that Emacs's edit), its results
// there, and a note of the document says so; it is not refused.
func TestFoundEmacsLispNoEmacsEditsFoundLaterNoPlace(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, editsFirst+"Text right after.\n\n"+laterBlock+"Text after.\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundEditsRaw)
	found := launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
	// That Emacs's buffer: the later block deleted (its mark x).
	buffer := editsFirst + "\n#+RESULTS:\n" + foundEditsRaw + "\nText right after.\n\nText after.\n"
	sh := strings.Index(buffer, "\n#+RESULTS:\n")
	fb := strings.Index(buffer, foundEditsRaw)
	end := fb + len(foundEditsRaw)
	gone := strings.Index(buffer, "Text after.")
	rb.rmu.Lock()
	rb.reports[found.ID] = fmt.Sprintf("3 0\n0 %d %d %d %s =\n%d %d %d %d - x\n%d %d %d %d - =\n", sh, sh, end+1, org.ResultDigest(buffer[sh:end+1]), gone, gone, gone, gone, fb, end, end, end) + buffer
	rb.rmu.Unlock()
	finishLaunch(rb.fakeBackend, found, "nil")
	waitState(t, e, id, "block-1-found-1", Finished)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), laterRaw)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2-found-1", 1), "found-later")
	waitDocumentFinished(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, laterRaw+"\n#+RESULTS:\n: found-later\n") {
		t.Errorf("the block found later's results not written from the results:\n%s", got)
	}
	v, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(v.Notes, "\n"), "found block 2 have no place") {
		t.Errorf("no note of the write-back from the results: %q", v.Notes)
	}
}
