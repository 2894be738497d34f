package engine

import (
	"context"
	"errors"
	"os"
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

// twoOwnersDoc is found_elisp_no_emacs_two.org of internal/plan, its
// blocks named: two shell blocks each print an Emacs Lisp block their
// raw results hold, the second reading what the first set and counting
// the buffer's lines, a shell block between them.
const twoOwnersDoc = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(setq borges-found 42)' '#+end_src'\n#+end_src\nText right after.\n\n" +
	"#+name: between\n#+begin_src sh\necho between\n#+end_src\n\n" +
	"#+name: second\n#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(list borges-found (count-lines (point-min) (point-max)))' '#+end_src'\n#+end_src\nText after the second.\n"

const (
	twoOwnersRaw1 = "#+begin_src emacs-lisp\n(setq borges-found 42)\n#+end_src\n"
	twoOwnersRaw2 = "#+begin_src emacs-lisp\n(list borges-found (count-lines (point-min) (point-max)))\n#+end_src\n"
)

// twoOwnersWant is twoOwnersDoc as Emacs writes it (the fixture's
// reference: the second block found counts 33 lines).
const twoOwnersWant = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(setq borges-found 42)' '#+end_src'\n#+end_src\n\n#+RESULTS:\n" + twoOwnersRaw1 +
	"\n#+RESULTS:\n: 42\n\nText right after.\n\n#+name: between\n#+begin_src sh\necho between\n#+end_src\n\n#+RESULTS: between\n: between\n\n" +
	"#+name: second\n#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(list borges-found (count-lines (point-min) (point-max)))' '#+end_src'\n#+end_src\n\n#+RESULTS: second\n" + twoOwnersRaw2 +
	"\n#+RESULTS:\n| 42 | 33 |\n\nText after the second.\n"

// TestFoundEmacsLispNoEmacsLaterOwnerFirst: the later shell block ends
// before the earlier one's found Emacs Lisp block starts, in either
// order of the owners' ends: the blocks found run in real Emacs in the
// buffer's order, and the document is written as Emacs writes it.
func TestFoundEmacsLispNoEmacsLaterOwnerFirst(t *testing.T) {
	for _, c := range []struct {
		name  string
		order []string
	}{
		{"second_first", []string{"between", "second", "block-1"}},
		{"first_then_second", []string{"between", "block-1", "second"}},
		{"second_between_first", []string{"second", "between", "block-1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, rb, e, _, id := submitOnDisk(t, twoOwnersDoc)
			em := newEmacsRunner(t, rb)
			out := map[string]string{"between": "between", "second": twoOwnersRaw2, "block-1": twoOwnersRaw1}
			for _, b := range c.order {
				finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, b, 1), out[b])
			}
			for _, b := range []string{"block-1-found-1", "second-found-1"} {
				if msg := em.run(launchOf(t, rb.fakeBackend, b, 1)); msg != "" {
					t.Fatalf("%s signalled: %s", b, msg)
				}
			}
			finishedAs(t, e, rb.fakeBackend, id, twoOwnersWant, 5)
		})
	}
}
