package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/session"
)

// emacsRunner runs the programs of the document's Emacs that the engine
// launches on a fake backend in real Emacs, as the local backend runs
// them: one Emacs (the session's host, on a terminal) per session id,
// each program evaluated whole in it, its value the attempt's output,
// its report of its Org buffer the attempt's (BufferFile). So the Lisp
// Borges generates (the buffer's marks, results put in) runs for real.
type emacsRunner struct {
	t     *testing.T
	rb    *reportBackend
	mu    sync.Mutex
	conns map[string]*session.Conn
}

func newEmacsRunner(t *testing.T, rb *reportBackend) *emacsRunner {
	t.Helper()
	outside.Need(t, "emacs-nox", "emacs")
	return &emacsRunner{t: t, rb: rb, conns: map[string]*session.Conn{}}
}

// conn is the Emacs of attempt a's session, started by its first
// attempt.
func (r *emacsRunner) conn(a *Attempt) *session.Conn {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c := r.conns[a.Session]; c != nil {
		return c
	}
	dir := r.t.TempDir()
	env := append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, session.Env()...)
	tty := proctest.StartOnTerminal(r.t, dir, env, a.Task.Session.Command)
	c := session.NewConn(session.Emacs, tty, tty)
	r.conns[a.Session] = c
	return c
}

// run evaluates attempt a (a task of the document's Emacs) and ends it
// as its Emacs answered: finished with its value, or failed with the
// error it signalled. It returns the error's message, "" for none.
func (r *emacsRunner) run(a *Attempt) string {
	r.t.Helper()
	if a.Task.Session == nil || a.Task.Session.Kind != string(session.Emacs) {
		r.t.Fatalf("%s is not a task of the document's Emacs", a.Block)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	reply, err := r.conn(a).Eval(ctx, session.Request{Body: a.Script, Value: true})
	if reply.Buffer != "" {
		r.rb.setReport(a.ID, reply.Buffer)
	}
	if errors.Is(err, session.ErrSignalled) {
		msg := strings.TrimPrefix(err.Error(), session.ErrSignalled.Error()+": ")
		signalled(r.rb, a, msg)
		return msg
	}
	if err != nil {
		r.t.Fatalf("%s: %v", a.Block, err)
	}
	finishLaunch(r.rb.fakeBackend, a, reply.Result)
	return ""
}

// foundElispTwo is found_elisp_no_emacs_two.org of internal/plan and
// the document Emacs 28.2 writes of it (its committed reference): two
// shell blocks (block-1, block-3) each print an Emacs Lisp block their
// raw results hold, the second reading what the first set and counting
// the buffer's lines, a shell block (block-2) between them.
func foundElispTwo(t *testing.T) (doc, want string) {
	t.Helper()
	return fixtureAndRef(t, "found_elisp_no_emacs_two")
}

// fixtureAndRef is internal/plan's fixture name.org and the document
// Emacs 28.2 writes of it (its committed reference, past its header).
func fixtureAndRef(t *testing.T, name string) (doc, want string) {
	t.Helper()
	d, err := os.ReadFile(filepath.Join("..", "plan", "testdata", name+".org"))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := os.ReadFile(filepath.Join("..", "plan", "testdata", "emacs", name+".ref"))
	if err != nil {
		t.Fatal(err)
	}
	_, want, ok := strings.Cut(string(ref), "\n\n") // past the reference's header
	if !ok {
		t.Fatal("the reference has no header")
	}
	return string(d), want
}

// foundElispTwoOut is what the shell blocks of foundElispTwo print.
var foundElispTwoOut = map[string]string{
	"block-1": "#+begin_src emacs-lisp\n(setq borges-found 42)\n#+end_src\n",
	"block-2": "between",
	"block-3": "#+begin_src emacs-lisp\n(list borges-found (count-lines (point-min) (point-max)))\n#+end_src\n",
}

// finishShell finishes the n-th launch of shell block name of
// foundElispTwo with what it prints.
func finishShell(t *testing.T, rb *reportBackend, name string, n int) {
	t.Helper()
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, name, n), foundElispTwoOut[name])
}

// laterFirstOnDisk submits foundElispTwo to an engine storing in a new
// directory (submitOnDisk) and has its shell blocks end the later owner
// first (block-2, block-3, then block-1). It returns the directory, the
// backend, the engine, what stops it, the document's id and the document
// Emacs writes.
func laterFirstOnDisk(t *testing.T) (dir string, rb *reportBackend, e *Engine, stop func(), id, want string) {
	t.Helper()
	doc, want := foundElispTwo(t)
	dir, rb, e, stop, id = submitOnDisk(t, doc)
	for _, b := range []string{"block-2", "block-3", "block-1"} {
		finishShell(t, rb, b, 1)
	}
	return dir, rb, e, stop, id, want
}

// foundRun is the n-th launch of a block found.
type foundRun struct {
	name string
	n    int
}

// runFoundInEmacs runs the launches of the blocks found, in order, in
// em's Emacs, failing the test on a Lisp error: each launches only once
// those before it ended, as Emacs meets them in that order.
func runFoundInEmacs(t *testing.T, em *emacsRunner, rb *reportBackend, runs ...foundRun) {
	t.Helper()
	for i, r := range runs {
		a := launchOf(t, rb.fakeBackend, r.name, r.n)
		for _, later := range runs[i+1:] {
			if launchedBlock(rb, later.name) && later.n == 1 {
				t.Fatalf("%s launched before %s ended", later.name, r.name)
			}
		}
		if msg := em.run(a); msg != "" {
			t.Fatalf("%s signalled: %s", r.name, msg)
		}
	}
}

// TestFoundEmacsLispNoEmacsLaterOwnerFirst: the later shell block ends
// before the earlier one's found Emacs Lisp block starts, in any order
// of the owners' ends: the blocks found are keyed in the buffer's order
// (found_order.go), run in real Emacs in that order, and the document is
// written byte for byte as Emacs writes it. Keyed in the order their
// owners ended, the first block found had Emacs mark the later one's
// first, which its buffer does not hold yet: "The block found in results
// at line 23 of the Org buffer is not there in this Emacs's buffer".
func TestFoundEmacsLispNoEmacsLaterOwnerFirst(t *testing.T) {
	doc, want := foundElispTwo(t)
	for _, order := range [][]string{
		{"block-2", "block-3", "block-1"},
		{"block-3", "block-2", "block-1"},
		{"block-2", "block-1", "block-3"},
	} {
		t.Run(strings.Join(order, "_"), func(t *testing.T) {
			_, rb, e, _, id := submitOnDisk(t, doc)
			em := newEmacsRunner(t, rb)
			for _, b := range order {
				finishShell(t, rb, b, 1)
			}
			runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 1}, foundRun{"block-3-found-1", 1})
			finishedAs(t, e, rb.fakeBackend, id, want, 5)
		})
	}
}

// TestFoundEmacsLispNoEmacsLaterOwnerRestarted: the later owner ended
// first, and is run again once the earlier one ended, before the block
// found in the earlier one's results runs: its block found is dropped
// and found again when it ends again, keyed after the earlier one's, and
// runs in the Emacs after it; the document is written as Emacs writes
// it.
func TestFoundEmacsLispNoEmacsLaterOwnerRestarted(t *testing.T) {
	_, rb, e, _, id, want := laterFirstOnDisk(t)
	em := newEmacsRunner(t, rb)
	first := launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
	if err := e.RestartBlock(t.Context(), id, "block-3"); err != nil {
		t.Fatal(err)
	}
	if msg := em.run(first); msg != "" {
		t.Fatalf("block-1-found-1 signalled: %s", msg)
	}
	finishShell(t, rb, "block-3", 2)
	runFoundInEmacs(t, em, rb, foundRun{"block-3-found-1", 1})
	finishedAs(t, e, rb.fakeBackend, id, want, 6)
}

// TestFoundEmacsLispNoEmacsLaterOwnerFirstServerRestarted: a server
// started again on the store of the document, the later owner ended
// first: while the earlier owner runs (it ends on the new server, which
// keys again the blocks found), or while the block found in its results
// runs (the new server runs it again, in a new Emacs); the blocks found
// run in the buffer's order, and the document is written as Emacs writes
// it.
func TestFoundEmacsLispNoEmacsLaterOwnerFirstServerRestarted(t *testing.T) {
	doc, want := foundElispTwo(t)
	t.Run("owner_running", func(t *testing.T) {
		dir, rb, _, stop, id := submitOnDisk(t, doc)
		finishShell(t, rb, "block-2", 1)
		finishShell(t, rb, "block-3", 1)
		owner := launchOf(t, rb.fakeBackend, "block-1", 1)
		stop()
		e, _ := startEngine(t, dir, rb, Config{})
		em := newEmacsRunner(t, rb)
		finishLaunch(rb.fakeBackend, owner, foundElispTwoOut["block-1"])
		runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 1}, foundRun{"block-3-found-1", 1})
		finishedAs(t, e, rb.fakeBackend, id, want, 5)
	})
	t.Run("found_running", func(t *testing.T) {
		dir, rb, _, stop, id, want := laterFirstOnDisk(t)
		launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
		stop()
		e, _ := startEngine(t, dir, rb, Config{})
		em := newEmacsRunner(t, rb)
		runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 2}, foundRun{"block-3-found-1", 1})
		finishedAs(t, e, rb.fakeBackend, id, want, 6)
	})
}

// TestFoundEmacsLispNoEmacsEarlierOwnerRestarted: the later owner ended
// first; the earlier one is run again once the block found in its
// results ran, while the later one's runs: that one runs on, and the
// block found again in the earlier owner's new results starts the Emacs
// again; the document is written as Emacs writes it.
func TestFoundEmacsLispNoEmacsEarlierOwnerRestarted(t *testing.T) {
	_, rb, e, _, id, want := laterFirstOnDisk(t)
	em := newEmacsRunner(t, rb)
	runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 1})
	second := launchOf(t, rb.fakeBackend, "block-3-found-1", 1)
	if err := e.RestartBlock(t.Context(), id, "block-1"); err != nil {
		t.Fatal(err)
	}
	if msg := em.run(second); msg != "" {
		t.Fatalf("block-3-found-1 signalled: %s", msg)
	}
	finishShell(t, rb, "block-1", 2)
	again := launchOf(t, rb.fakeBackend, "block-1-found-1", 2)
	if !strings.Contains(again.Script, "(borges--start-buffer ") {
		t.Errorf("the block found again does not start the Emacs again:\n%s", again.Script[max(0, len(again.Script)-1500):])
	}
	if msg := em.run(again); msg != "" {
		t.Fatalf("block-1-found-1 run again signalled: %s", msg)
	}
	finishedAs(t, e, rb.fakeBackend, id, want, 7)
}
