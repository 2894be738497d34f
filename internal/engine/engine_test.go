package engine

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proclist"
	"github.com/wallyqs/borges/internal/sandboxfs"
	"github.com/wallyqs/borges/internal/session"
	"github.com/wallyqs/borges/internal/store"
)

// fakeBackend records launches and lets the test end attempts. Its output
// for an attempt is what the test says, else the attempt's script.
type fakeBackend struct {
	mu       sync.Mutex
	sink     func(Update)
	launched []*Attempt
	killed   []string
	outputs  map[string]string
	capacity plan.Resources
	full     bool // Capacity says nothing is free (setFull)
	recover  []*Attempt
	closed   []string          // sessions closed
	envs     map[string]string // the environment an attempt of the document's Emacs reported
	readErr  map[string]error  // what ReadLog answers for an attempt, if set
	// noSandboxFiles: ReadLog of a file of a sandbox (a stream other
	// than stdout and stderr) answers that the sandbox has none.
	noSandboxFiles bool
	// duringKill, when set, runs before Kill returns (after the
	// attempt's end is sent): what happens while a slow kill is under way.
	duringKill func()
	// duringLaunch, when set, runs in Launch before it returns: what the
	// machine holds as the attempt's program starts.
	duringLaunch func(*Attempt)
}

func (f *fakeBackend) Name() string        { return "fake" }
func (f *fakeBackend) Limits() plan.Limits { return plan.Limits{Max: f.capacity} }
func (f *fakeBackend) Capacity() (plan.Resources, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.full {
		return plan.Resources{}, true
	}
	return f.capacity, true
}

// setFull has the backend say that nothing (full) or all of its
// capacity is free: what it launches from then on waits, queued.
func (f *fakeBackend) setFull(full bool) {
	f.mu.Lock()
	f.full = full
	f.mu.Unlock()
}
func (f *fakeBackend) Start(ctx context.Context, sink func(Update)) error {
	f.sink = sink
	return nil
}
func (f *fakeBackend) Launch(ctx context.Context, a *Attempt) error {
	f.mu.Lock()
	f.launched = append(f.launched, a)
	during := f.duringLaunch
	f.mu.Unlock()
	if during != nil {
		during(a)
	}
	return nil
}
func (f *fakeBackend) Kill(ctx context.Context, id string) error {
	f.mu.Lock()
	f.killed = append(f.killed, id)
	during := f.duringKill
	f.mu.Unlock()
	go f.sink(Update{AttemptID: id, State: Killed})
	if during != nil {
		during()
	}
	return nil
}
func (f *fakeBackend) Recover(ctx context.Context, attempts []*Attempt) error {
	f.recover = attempts
	return nil
}
func (f *fakeBackend) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	f.mu.Lock()
	if err := f.readErr[id]; err != nil {
		f.mu.Unlock()
		return nil, 0, err
	}
	if f.noSandboxFiles && stream != "stdout" && stream != "stderr" && stream != session.EnvironmentFile {
		f.mu.Unlock()
		return nil, 0, fmt.Errorf("%s of attempt %s: %w", stream, id, sandboxfs.ErrRefused)
	}
	out, ok := f.outputs[id]
	if stream == session.EnvironmentFile {
		// Only what the test says the document's Emacs reported.
		out, ok = f.envs[id], true
	}
	if !ok {
		for _, a := range f.launched {
			if a.ID == id {
				out = a.Script
			}
		}
	}
	f.mu.Unlock()
	if offset >= int64(len(out)) {
		return nil, int64(len(out)), nil
	}
	end := min(int64(len(out)), offset+int64(max))
	return []byte(out[offset:end]), int64(len(out)), nil
}

func (f *fakeBackend) CloseSession(ctx context.Context, session string) error {
	f.mu.Lock()
	f.closed = append(f.closed, session)
	f.mu.Unlock()
	return nil
}

// recordKill records that the test's backend was asked to kill attempt
// id, for a backend that reports its end later, if at all.
func (f *fakeBackend) recordKill(id string) {
	f.mu.Lock()
	f.killed = append(f.killed, id)
	f.mu.Unlock()
}

func (f *fakeBackend) launches() []*Attempt {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*Attempt(nil), f.launched...)
}

// setOutput is what the attempt id printed, as the test says.
func (f *fakeBackend) setOutput(id, out string) {
	f.mu.Lock()
	f.outputs[id] = out
	f.mu.Unlock()
}

// waitLaunches waits until n attempts were launched.
func waitLaunches(t testing.TB, f *fakeBackend, n int) []*Attempt {
	t.Helper()
	for i := 0; i < 2000; i++ {
		if l := f.launches(); len(l) >= n {
			return l
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("waited for %d launches, got %d", n, len(f.launches()))
	return nil
}

func waitState(t *testing.T, e *Engine, id, block string, want State) {
	t.Helper()
	for i := 0; i < 2000; i++ {
		v, _ := e.Document(id)
		for _, b := range v.Blocks {
			if b.Name == block && b.State == want {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	v, _ := e.Document(id)
	t.Fatalf("block %s never reached %s: %+v", block, want, v)
}

func newTestEngine(t *testing.T, dir string, clock ...func() time.Time) (*Engine, *fakeBackend, context.CancelFunc) {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	fb := &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}, envs: map[string]string{}}
	cfg := Config{Backend: fb, Store: st}
	if len(clock) > 0 {
		cfg.Now = clock[0]
	}
	e := New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// Stopped as a server stops: the writer stores what it holds before
	// the store closes.
	return e, fb, func() { cancel(); <-e.stopped; st.Close() }
}

func finish(f *fakeBackend, a *Attempt, state State, code int) {
	f.sink(Update{AttemptID: a.ID, State: Running})
	f.sink(Update{AttemptID: a.ID, State: state, ExitCode: &code})
}

const depsDoc = `#+title: deps
#+name: first
#+begin_src sh
echo one two
#+end_src

#+name: second
#+begin_src sh :var x=first
echo "$x"
#+end_src

#+begin_src sh :after second
echo last
#+end_src
`

func TestDependencyOrderAndValues(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	v, err := e.Submit(context.Background(), depsDoc)
	if err != nil {
		t.Fatal(err)
	}
	// second's :var x=first runs first again (Babel runs the block at
	// the reference), a run of its own that second takes its value
	// from: it and first's own run are launched, second waits.
	l := waitLaunches(t, fb, 2)
	if names := []string{l[0].Block, l[1].Block}; !slices.Contains(names, "first") || !slices.Contains(names, "second :var x=first") {
		t.Fatalf("first launches %v, want first and second :var x=first", names)
	}
	time.Sleep(20 * time.Millisecond)
	if n := len(fb.launches()); n != 2 {
		t.Fatalf("%d launches before first's runs finished", n)
	}
	for _, a := range l {
		fb.setOutput(a.ID, "one two\n")
		finish(fb, a, Finished, 0)
	}
	l = waitLaunches(t, fb, 3)
	if l[2].Block != "second" || !strings.HasPrefix(l[2].Script, "x='one two'\n") {
		t.Fatalf("second: %s %q", l[2].Block, l[2].Script)
	}
	finish(fb, l[2], Finished, 0)
	l = waitLaunches(t, fb, 4)
	finish(fb, l[3], Finished, 0)
	waitState(t, e, v.ID, "block-3", Finished)
	d := waitDocumentEnded(t, e, v.ID) // block-3's output read (readAtEnd)
	if d.State != Finished || d.Title != "deps" {
		t.Fatalf("document %+v", d)
	}
	res, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res, "#+RESULTS: first\n: one two\n") {
		t.Fatalf("results document:\n%s", res)
	}
}

func TestFailedDependencyBlocks(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	v, _ := e.Submit(context.Background(), depsDoc)
	// second depends on the run of first its :var x=first makes, which
	// fails as first's own run does.
	finish(fb, launchOf(t, fb, "first", 1), Failed, 2)
	finish(fb, launchOf(t, fb, "second :var x=first", 1), Failed, 2)
	waitState(t, e, v.ID, "second", Failed)
	waitState(t, e, v.ID, "block-3", Failed)
	d, _ := e.Document(v.ID)
	if m, _ := blockMessage(d, "second"); m != "dependency first failed" || d.State != Failed {
		t.Fatalf("second: %q, document %s", m, d.State)
	}
}

func TestKeepRunningRestartsAndKill(t *testing.T) {
	now := time.Now()
	var mu sync.Mutex
	e, fb, stop := newTestEngine(t, t.TempDir(), func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	defer stop()
	v, _ := e.Submit(context.Background(), "#+name: redis\n#+begin_src sh :ensure it-keeps-running\nredis-server\n#+end_src\n")
	l := waitLaunches(t, fb, 1)
	finish(fb, l[0], Failed, 1)
	waitState(t, e, v.ID, "redis", Queued)
	d, _ := e.Document(v.ID)
	mu.Lock()
	due := now.Add(time.Second)
	mu.Unlock()
	if d.Blocks[0].Instances[0].NextRunAt == nil || !d.Blocks[0].Instances[0].NextRunAt.Equal(due) {
		t.Fatalf("restart not scheduled with backoff: %+v", d.Blocks[0].Instances[0])
	}
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	e.poke()
	l = waitLaunches(t, fb, 2)
	if l[1].Number != 2 {
		t.Fatalf("attempt number %d", l[1].Number)
	}
	fb.sink(Update{AttemptID: l[1].ID, State: Running})
	waitState(t, e, v.ID, "redis", Running)
	if err := e.KillDocument(context.Background(), v.ID); err != nil {
		t.Fatal(err)
	}
	waitState(t, e, v.ID, "redis", Killed)
	time.Sleep(20 * time.Millisecond)
	if n := len(fb.launches()); n != 2 {
		t.Fatalf("killed keep-running task relaunched (%d launches)", n)
	}
}

func TestCapacityQueues(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	var doc strings.Builder
	for i := 0; i < 5; i++ {
		fmt.Fprintf(&doc, "#+begin_src sh :cpu 1\nsleep 1\n#+end_src\n\n")
	}
	e.Submit(context.Background(), doc.String())
	l := waitLaunches(t, fb, 2)
	time.Sleep(20 * time.Millisecond)
	if n := len(fb.launches()); n != 2 {
		t.Fatalf("%d launched on a 2-CPU capacity", n)
	}
	finish(fb, l[0], Finished, 0)
	waitLaunches(t, fb, 3)
}

// TestRejectedWhole submits documents with each kind of problem, next to
// good blocks, and checks that nothing of them is kept or run.
func TestRejectedWhole(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	good := "#+name: ok\n#+begin_src sh\ntrue\n#+end_src\n"
	cases := map[string]string{
		"negative cpu":  "#+begin_src sh :cpu -1\ntrue\n#+end_src\n",
		"mem in words":  "#+begin_src sh :mem lots\ntrue\n#+end_src\n",
		"too big":       "#+begin_src sh :cpu 64\ntrue\n#+end_src\n",
		"unknown after": "#+begin_src sh :after ghost\ntrue\n#+end_src\n",
		"unknown var":   "#+begin_src sh :var x=ghost\ntrue\n#+end_src\n",
		"cycle":         "#+name: a\n#+begin_src sh :after b\ntrue\n#+end_src\n#+name: b\n#+begin_src sh :after a\ntrue\n#+end_src\n",
		"no image":      "#+begin_src sh :dockerize t\ntrue\n#+end_src\n",
		"bad header":    "#+begin_src sh :results\ntrue\n#+end_src\n",
	}
	for name, bad := range cases {
		_, err := e.Submit(context.Background(), good+bad)
		var rej *plan.RejectError
		if !errors.As(err, &rej) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	time.Sleep(50 * time.Millisecond)
	if len(fb.launches()) != 0 || len(e.Documents()) != 0 {
		t.Fatalf("something of a rejected document was kept or run: %d launches, %d documents", len(fb.launches()), len(e.Documents()))
	}
}

// TestRestartRecovers: a restarted server's backend is given the
// attempt that was running, with its launch's boot clock, stamped before
// its backend was given it and stored (the local backend tells its
// wrapper from a process started before it by it).
func TestRestartRecovers(t *testing.T) {
	dir := t.TempDir()
	e, fb, stop := newTestEngine(t, dir)
	before := proclist.BootTicks()
	v, _ := e.Submit(context.Background(), depsDoc)
	// first, and the run of first second's :var x=first makes (Babel
	// runs first again at the reference), both waiting for nothing.
	l := []*Attempt{launchOf(t, fb, "first", 1), launchOf(t, fb, "second :var x=first", 1)}
	after := proclist.BootTicks()
	for _, a := range l {
		if got := a.LaunchTicks; got < before || got > after || got == 0 {
			t.Errorf("%s launched with boot ticks %d, want between %d and %d", a.Block, got, before, after)
		}
		fb.sink(Update{AttemptID: a.ID, State: Running})
		waitState(t, e, v.ID, a.Block, Running)
	}
	stop()

	e2, fb2, stop2 := newTestEngine(t, dir)
	defer stop2()
	if len(fb2.recover) != len(l) {
		t.Fatalf("recover = %+v, want %d attempts", fb2.recover, len(l))
	}
	for _, a := range l {
		if !slices.ContainsFunc(fb2.recover, func(r *Attempt) bool { return r.ID == a.ID && r.LaunchTicks == a.LaunchTicks }) {
			t.Fatalf("recover = %+v, want attempt %s launched at boot tick %d", fb2.recover, a.ID, a.LaunchTicks)
		}
	}
	fb2.sink(Update{AttemptID: l[0].ID, State: Lost, Message: "gone"})
	if l2 := launchOf(t, fb2, "first", 1); l2.Number != 2 {
		t.Fatalf("relaunch %+v", l2)
	}
	if docs := e2.Documents(); len(docs) != 1 || docs[0].ID != v.ID {
		t.Fatalf("documents after restart: %+v", docs)
	}
}

func TestNotFound(t *testing.T) {
	e, _, stop := newTestEngine(t, t.TempDir())
	defer stop()
	if _, err := e.Document("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	v, _ := e.Submit(context.Background(), "#+begin_src haskell\n1\n#+end_src\n")
	if err := e.RestartBlock(context.Background(), v.ID, "block-1"); !errors.Is(err, ErrConflict) {
		t.Fatalf("restart of a non-runnable block: %v", err)
	}
	if err := e.KillBlock(context.Background(), v.ID, "ghost"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
}

// TestDocumentLookup: every entry point that names a document answers
// an unknown one with the same error, and lets go of the engine's lock
// whatever it answers (a lock left held would stop the server).
func TestDocumentLookup(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	ctx := context.Background()
	v, err := e.Submit(ctx, "#+name: a\n#+begin_src sh\necho hi\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	waitLaunches(t, fb, 1)
	calls := []struct {
		name string
		call func(id string) error
	}{
		{"Document", func(id string) error { _, err := e.Document(id); return err }},
		{"DocumentPage", func(id string) error { _, err := e.DocumentPage(id, 0, 10); return err }},
		{"ResultDocument", func(id string) error { _, err := e.ResultDocument(ctx, id); return err }},
		{"ReadLog", func(id string) error { _, _, _, err := e.ReadLog(ctx, id, "a", 0, "stdout", 0, 100); return err }},
		{"ReadFile", func(id string) error { _, err := e.ReadFile(ctx, id, "out.txt"); return err }},
		{"RestartBlock", func(id string) error { return e.RestartBlock(ctx, id, "a") }},
		{"KillBlock", func(id string) error { return e.KillBlock(ctx, id, "a") }},
		{"KillDocument", func(id string) error { return e.KillDocument(ctx, id) }},
		{"RemoveDocument", func(id string) error { return e.RemoveDocument(ctx, id) }},
	}
	// The engine's own goroutines (the scheduler, updates) take the lock
	// for a moment: one left held is never free again, and the calls
	// after would wait for it forever.
	unlocked := func() bool {
		for i := 0; i < 10000; i++ {
			if e.mu.TryLock() {
				e.mu.Unlock()
				return true
			}
			time.Sleep(time.Millisecond)
		}
		return false
	}
	for _, c := range calls {
		err := c.call("nope")
		if !errors.Is(err, ErrNotFound) || err.Error() != "document nope: not found" {
			t.Errorf("%s of an unknown document: %v", c.name, err)
		}
		if !unlocked() {
			t.Fatalf("%s of an unknown document left the engine's lock held", c.name)
		}
		c.call(v.ID) // its answer is other tests' concern
		if !unlocked() {
			t.Fatalf("%s left the engine's lock held", c.name)
		}
	}
}

// TestSubmitDOSDocument: a document sent as its file holds it (curl
// --data-binary), its lines ending in CRLF and a UTF-8 BOM before its
// first, is read as Emacs reads the file: its blocks are found (failed
// first: no block found, a line ending in CR is no Org syntax). The
// document given back is what Emacs saves (utf-8-with-signature-dos: the
// BOM, every line ending CRLF), also after a restart; ResultText is the
// buffer's text. Failed first: given back with LF line ends, no BOM.
func TestSubmitDOSDocument(t *testing.T) {
	checkGivenBack(t, givenBack{
		file:   "\ufeff#+begin_src sh\r\necho dos\r\n#+end_src\r\n",
		output: "dos\n",
		buffer: "#+begin_src sh\necho dos\n#+end_src\n\n#+RESULTS:\n: dos\n",
		saved:  "\ufeff#+begin_src sh\r\necho dos\r\n#+end_src\r\n\r\n#+RESULTS:\r\n: dos\r\n",
		enc:    org.Encoding{BOM: true, EOL: "\r\n", File: true},
	})
}

// givenBack is a document submitted as its file holds it, the output of
// its one block, and the buffer's text and the file's bytes Emacs saves
// with the block's results (checkGivenBack).
type givenBack struct {
	file, output, buffer, saved string
	enc                         org.Encoding
}

// checkGivenBack submits g's file, runs its one block with g's output, and
// holds ResultText to the buffer's text and ResultDocument to the bytes
// Emacs saves, also after a restart (where the output was the fake
// backend's: the encoding is what is checked).
func checkGivenBack(t *testing.T, g givenBack) {
	t.Helper()
	dir := t.TempDir()
	e, fb, stop := newTestEngine(t, dir)
	defer func() { stop() }()
	v, err := e.Submit(context.Background(), g.file)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Blocks) != 1 || !v.Blocks[0].Runnable {
		t.Fatalf("blocks %+v, want the one sh block, runnable", v.Blocks)
	}
	l := waitLaunches(t, fb, 1)
	fb.setOutput(l[0].ID, g.output)
	finish(fb, l[0], Finished, 0)
	waitState(t, e, v.ID, v.Blocks[0].Name, Finished)
	if got, err := e.ResultText(context.Background(), v.ID); err != nil || got != g.buffer {
		t.Fatalf("results text %q (%v), want %q", got, err, g.buffer)
	}
	if got, err := e.ResultDocument(context.Background(), v.ID); err != nil || got != g.saved {
		t.Fatalf("results document %q (%v), want %q", got, err, g.saved)
	}
	stop()
	e, _, stop = newTestEngine(t, dir)
	text, err := e.ResultText(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.ResultDocument(context.Background(), v.ID)
	head, _, _ := strings.Cut(g.saved, "\n")
	if want, _ := g.enc.Encode(text); err != nil || got != want || !strings.HasPrefix(got, head) {
		t.Fatalf("results document after a restart %q (%v), want %q", got, err, want)
	}
}

// TestSubmitDecodedDocument: text sent decoded already (an Emacs
// buffer's) is not decoded again: a lone CR before a line end and a
// second BOM stay, as in the buffer; it is given back encoded as said.
func TestSubmitDecodedDocument(t *testing.T) {
	e, _, stop := newTestEngine(t, t.TempDir())
	defer stop()
	for _, c := range []struct {
		text string
		enc  org.Encoding
		want string
	}{
		{"\ufeff* h\r\n", org.Encoding{}, "\ufeff* h\r\n"},
		{"* a\r\n* b\r\n", org.Encoding{EOL: "\r\n"}, "* a\r\r\n* b\r\r\n"},
		{"* a\n", org.Encoding{BOM: true, EOL: "\r"}, "\ufeff* a\r"},
	} {
		v, err := e.SubmitDecoded(context.Background(), c.text, org.Visit{}, c.enc)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := e.ResultText(context.Background(), v.ID); err != nil || got != c.text {
			t.Errorf("%q: results text %q (%v), want it as sent", c.text, got, err)
		}
		if got, err := e.ResultDocument(context.Background(), v.ID); err != nil || got != c.want {
			t.Errorf("%q %+v: results document %q (%v), want %q", c.text, c.enc, got, err, c.want)
		}
	}
}

// TestSubmitLatin1Document: a document whose coding cookie names
// Latin-1, sent as its file holds it, is read as Emacs reads it (its
// bytes as Latin-1 characters) and given back as Emacs 28.2 saves it,
// results written in Latin-1 and the line ends the file had, also after
// a restart (the coding kept with the document). Failed first: refused,
// "not valid UTF-8".
func TestSubmitLatin1Document(t *testing.T) {
	checkGivenBack(t, givenBack{
		file:   "# -*- coding: latin-1 -*-\r\n#+begin_src sh\r\necho caf\xe9\r\n#+end_src\r\n",
		output: "café\n",
		buffer: "# -*- coding: latin-1 -*-\n#+begin_src sh\necho café\n#+end_src\n\n#+RESULTS:\n: café\n",
		saved:  "# -*- coding: latin-1 -*-\r\n#+begin_src sh\r\necho caf\xe9\r\n#+end_src\r\n\r\n#+RESULTS:\r\n: caf\xe9\r\n",
		enc:    org.Encoding{Coding: "iso-latin-1", EOL: "\r\n", File: true},
	})
}

// TestLatin1ResultsEmacsCannotSave: results holding a character Latin-1
// has not (€) make Emacs ask which coding to save the document in
// (select-safe-coding-system; in batch it saves nothing): Borges gives no
// document back, saying where, rather than other bytes. The buffer's text
// is still there to see.
func TestLatin1ResultsEmacsCannotSave(t *testing.T) {
	dir := t.TempDir()
	e, fb, stop := newTestEngine(t, dir)
	defer func() { stop() }()
	v, err := e.Submit(context.Background(), "# -*- coding: latin-1 -*-\n#+begin_src sh\necho 5 euros\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, fb, 1)
	fb.setOutput(l[0].ID, "5 €\n")
	finish(fb, l[0], Finished, 0)
	waitState(t, e, v.ID, v.Blocks[0].Name, Finished)
	if _, err := e.ResultText(context.Background(), v.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.ResultDocument(context.Background(), v.ID)
	if !errors.Is(err, org.ErrCannotSave) || !strings.Contains(err.Error(), "line 7: the character € cannot be saved in iso-latin-1") {
		t.Fatalf("results document: %v, want org.ErrCannotSave at line 7", err)
	}
}
