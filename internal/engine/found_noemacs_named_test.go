package engine

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

// runShLaunch runs a launch's script with sh, as a backend would: its
// standard output.
func runShLaunch(t *testing.T, a *Attempt) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", a.Script)
	for k, v := range a.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "PATH="+os.Getenv("PATH"))
	out, err := cmd.Output()
	if err != nil {
		t.Logf("%s: %v", a.Block, err)
	}
	return string(out)
}

// driveFixture runs every launch of fixture's document for real (shell
// blocks with sh, Emacs tasks in Emacs), shell launches first where
// emacsLast, else Emacs tasks first, until the document ends; its
// results document and Emacs's.
func driveFixture(t *testing.T, fixture string, emacsLast bool) (got, want string, err error) {
	doc, want := fixtureAndRef(t, fixture)
	_, rb, e, _, id := submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	done := map[string]bool{}
	isEmacs := func(a *Attempt) bool { return a.Task.Session != nil && a.Task.Session.Kind == string(session.Emacs) }
	idle := 0
	for range 6000 {
		var pend []*Attempt
		for _, a := range rb.launches() {
			if !done[a.ID] {
				pend = append(pend, a)
			}
		}
		if len(pend) == 0 {
			if d, _ := e.Document(id); d != nil && d.State.Terminal() {
				break
			}
			time.Sleep(5 * time.Millisecond)
			continue
		}
		var pick *Attempt
		for _, a := range pend {
			if isEmacs(a) != emacsLast {
				pick = a
				break
			}
		}
		if pick == nil {
			// Wait a while for a launch of the kind preferred.
			if idle++; idle < 40 {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			pick = pend[0]
		}
		idle = 0
		done[pick.ID] = true
		if isEmacs(pick) {
			em.run(pick)
		} else {
			finishLaunch(rb.fakeBackend, pick, runShLaunch(t, pick))
		}
	}
	waitDocumentFinished(t, e, id)
	got, err = e.ResultDocument(context.Background(), id)
	return got, want, err
}

// TestFoundNamedTableChanged: an Emacs Lisp block found in results
// changes a named table in those results (and, in the first, the block
// found after it, which reads the table by :var): Emacs runs that block
// with the table as changed. Borges binds :var from the results written:
// the document is refused, naming the table's line, in every order.
func TestFoundNamedTableChanged(t *testing.T) {
	// The first changes the block found too, which the search of the
	// results written refuses first (the block at line 15).
	for fx, says := range map[string]string{
		"found_elisp_no_emacs_named_table_var": "the block at line 15 of its Org buffer",
		"found_elisp_no_emacs_table_only":      "line 9 of its Org buffer (an Emacs Lisp block found in results changed the element named tbl there",
	} {
		for _, emacsLast := range []bool{false, true} {
			got, _, err := driveFixture(t, fx, emacsLast)
			if err == nil {
				t.Errorf("%s (Emacs last %v): written, not refused:\n%s", fx, emacsLast, got)
				continue
			}
			if !errors.Is(err, org.ErrFoundMarkNotFound) || !strings.Contains(err.Error(), says) {
				t.Errorf("%s (Emacs last %v): %v", fx, emacsLast, err)
			}
		}
	}
}

// TestFoundDeletesLaterLaunched: an Emacs Lisp block found in results
// deletes the block found after it, once the block found in a later
// block's results launched (block-1 ends before block-2): the search from
// its report would key that launched block otherwise. The document is
// refused (not two blocks of one name, nor a block that could not start
// written as its results).
func TestFoundDeletesLaterLaunched(t *testing.T) {
	doc, _ := fixtureAndRef(t, "found_elisp_no_emacs_delete_found")
	_, rb, e, _, id := submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	b1 := launchOf(t, rb.fakeBackend, "block-1", 1)
	b2 := launchOf(t, rb.fakeBackend, "block-2", 1)
	finishLaunch(rb.fakeBackend, b1, runShLaunch(t, b1))
	finishLaunch(rb.fakeBackend, b2, runShLaunch(t, b2))
	em.run(launchOf(t, rb.fakeBackend, "block-1-found-1", 1))
	f2 := launchOf(t, rb.fakeBackend, "block-1-found-2", 1)
	later := launchOf(t, rb.fakeBackend, "block-2-found-1", 1)
	finishLaunch(rb.fakeBackend, f2, runShLaunch(t, f2))
	finishLaunch(rb.fakeBackend, later, runShLaunch(t, later))
	for range 4000 {
		if v, _ := e.Document(id); v != nil && v.State.Terminal() {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	d, _ := e.Document(id)
	names := map[string]bool{}
	for _, b := range d.Blocks {
		if names[b.Name] {
			t.Errorf("two blocks named %s", b.Name)
		}
		names[b.Name] = true
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err == nil || !errors.Is(err, org.ErrFoundMarkNotFound) || !strings.Contains(err.Error(), "line ") {
		t.Fatalf("not refused naming a line: %v\n%s", err, got)
	}
}
