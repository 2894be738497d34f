package engine

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// These tests are of a launch's intent (the store's Intend): written,
// synced, while the block before runs, so that the launch itself is
// journaled without a sync of its own; and of a server started again
// from the disk as it was between the intent and the launch, or after
// the launch.

func intentBackend() *fakeBackend {
	return &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}, envs: map[string]string{}}
}

// stored is the engine's record of the first instance of block name.
func stored(e *Engine, doc, name string) store.Instance {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.docs[doc].byName[name].instances[0].rec
}

// nextAttempt is the id of the next attempt of block name's first
// instance.
func nextAttempt(e *Engine, doc, name string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	b := e.docs[doc].byName[name]
	return AttemptID(doc, b.index, b.name, 0, b.instances[0].rec.Attempts+1)
}

// c1Attempt is the id of attempt number n of block c1's first instance.
func c1Attempt(e *Engine, doc string, n int) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return AttemptID(doc, e.docs[doc].byName["c1"].index, "c1", 0, n)
}

// waitIntent waits until the launch journal in dir, e's, holds the
// intent of attempt id, synced (its record is in the file before its
// sync, made without the journal's lock), at most a bounded number of
// times.
func waitIntent(t *testing.T, e *Engine, dir, id string) {
	t.Helper()
	for i := 0; i < 2000; i++ {
		if e.store.IntentOpen(id) {
			data, err := os.ReadFile(filepath.Join(dir, "borges.db-journal"))
			if err == nil && bytes.Contains(data, []byte(`"attempt":"`+id+`"`)) {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no intent of attempt %s in the launch journal", id)
}

// orderedChain is chainText with each block run :after the one before
// rather than taking its result through :var: a chain of n tasks, each
// waiting for the one before, where a chain of references is n(n+1)/2
// runs (Babel runs the block a reference names again at it), whose
// attempts the intents would hold too.
func orderedChain(n int) string {
	return strings.ReplaceAll(chainText(n), " :var x=", " :after ")
}

// startChain starts an engine on dir with a chain of n blocks.
func startChain(t *testing.T, dir string, n int) (*Engine, *fakeBackend, func(), *DocumentView) {
	t.Helper()
	return startDoc(t, dir, orderedChain(n))
}

// startDoc starts an engine on dir with document text.
func startDoc(t *testing.T, dir, text string) (*Engine, *fakeBackend, func(), *DocumentView) {
	t.Helper()
	fb := intentBackend()
	e, stop := startEngine(t, dir, fb, Config{})
	v, err := e.Submit(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	return e, fb, stop, v
}

// crashBeforeLaunch runs a chain of two blocks until the second one's
// intent is on disk, and returns a copy of the disk then (a server that
// died before its first block ended) and the first block's attempt.
func crashBeforeLaunch(t *testing.T) (crashed, doc string, first *Attempt) {
	return crashBeforeLaunchOf(t, orderedChain(2))
}

// crashBeforeLaunchOf is crashBeforeLaunch on document text, whose
// blocks c0 and c1 are a chain.
func crashBeforeLaunchOf(t *testing.T, text string) (crashed, doc string, first *Attempt) {
	dir, crashed := t.TempDir(), t.TempDir()
	e, fb, stop, v := startDoc(t, dir, text)
	first = waitLaunches(t, fb, 1)[0]
	next := nextAttempt(e, v.ID, "c1")
	waitIntent(t, e, dir, next)
	if err := copyDisk(dir, crashed); err != nil {
		t.Fatal(err)
	}
	stop()
	// The copy's store reads the intent back (on a copy of its own: a
	// store that opens replays the journal).
	probe := t.TempDir()
	if err := copyDisk(crashed, probe); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(probe, "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, it := range st.Intents() {
		if it.AttemptID == next && it.Block == "c1" {
			return crashed, v.ID, first
		}
	}
	t.Fatalf("intents read back: %+v; want c1's attempt %s", st.Intents(), next)
	return
}

// A server that died between a block's intent and its launch, started
// again on the same boot: the launch never happened (its record, written
// before the program runs, would be in the page cache): the block is
// queued, no attempt counted, nothing lost, and it runs once its
// dependency ends.
func TestCrashBetweenIntentAndLaunch(t *testing.T) {
	crashed, doc, first := crashBeforeLaunch(t)
	fb := intentBackend()
	e, _ := startEngine(t, crashed, fb, Config{})
	if r := stored(e, doc, "c1"); State(r.State) != Queued || r.Attempts != 0 || r.Lost != 0 {
		t.Fatalf("c1 after the restart: %+v; want queued, no attempt", r)
	}
	if len(fb.recover) != 1 || fb.recover[0].ID != first.ID {
		t.Fatalf("recovered %v; want c0's attempt alone", fb.recover)
	}
	finish(fb, first, Finished, 0)
	l := waitLaunches(t, fb, 1)
	if l[0].Block != "c1" {
		t.Fatalf("launched %s", l[0].Block)
	}
	finish(fb, l[0], Finished, 0)
	waitState(t, e, doc, "c1", Finished)
	if r := stored(e, doc, "c1"); r.Attempts != 1 || r.Lost != 0 {
		t.Fatalf("c1 ran as %+v; want one attempt, none lost", r)
	}
	if n := len(fb.launches()); n != 1 {
		t.Fatalf("%d launches; want c1's alone", n)
	}
}

// The same, the dependency failing after the restart: the block ends as
// the decisions say (its dependency failed), never launched.
func TestIntentOfABlockWhoseDependencyFails(t *testing.T) {
	crashed, doc, first := crashBeforeLaunch(t)
	fb := intentBackend()
	e, _ := startEngine(t, crashed, fb, Config{})
	finish(fb, first, Failed, 1)
	waitState(t, e, doc, "c1", Failed)
	if n := len(fb.launches()); n != 0 {
		t.Fatalf("%d launches after the dependency failed", n)
	}
}

// Started again after the machine's restart (another boot id), the
// launch may have happened and its record be lost: the attempt is
// treated as a launched one the backend does not know — recovered, and
// run again once reported lost.
func TestIntentAfterAReboot(t *testing.T) {
	crashed, doc, first := crashBeforeLaunch(t)
	fb := intentBackend()
	e, _ := startEngine(t, crashed, fb, Config{BootID: func() (string, error) { return "another boot", nil }})
	r := stored(e, doc, "c1")
	if State(r.State) != Staged || r.Attempts != 1 {
		t.Fatalf("c1 after a reboot: %+v; want staged, its attempt counted", r)
	}
	ids := map[string]bool{}
	for _, a := range fb.recover {
		ids[a.ID] = true
	}
	if !ids[first.ID] || !ids[r.AttemptID] || len(ids) != 2 {
		t.Fatalf("recovered %v; want c0's and c1's attempts", ids)
	}
	// Reported lost (unknown to its backend): it may never have run,
	// and is queued again with no loss, backoff or history counted.
	fb.sink(Update{AttemptID: r.AttemptID, State: Lost, Message: "unknown"})
	waitState(t, e, doc, "c1", Queued)
	r = stored(e, doc, "c1")
	if r.Attempts != 1 || r.Lost != 0 || r.NextRunAt != nil || r.QuickExits != 0 {
		t.Fatalf("c1 after its intent's attempt was reported lost: %+v; want queued, attempts 1, none lost, no backoff", r)
	}
	e.mu.Lock()
	past := len(e.docs[doc].byName["c1"].instances[0].past)
	e.mu.Unlock()
	if past != 0 {
		t.Fatalf("%d past attempts of c1; want none", past)
	}
	finish(fb, first, Finished, 0)
	l := waitLaunches(t, fb, 1)
	finish(fb, l[0], Finished, 0)
	waitState(t, e, doc, "c1", Finished)
	if r := stored(e, doc, "c1"); r.Attempts != 2 || r.Lost != 0 {
		t.Fatalf("c1 ran as %+v; want its second attempt (the first id is spent), none lost", r)
	}
}

// An intent's attempt reported lost after a reboot is no try: a block
// with :retries 1 whose first real launch fails is retried, and its
// status and history count the tries launched.
func TestIntentLostIsNoTry(t *testing.T) {
	text := strings.Replace(orderedChain(2), ":after c0", ":after c0 :retries 1", 1)
	crashed, doc, first := crashBeforeLaunchOf(t, text)
	fb := intentBackend()
	e, _ := startEngine(t, crashed, fb, Config{BootID: func() (string, error) { return "another boot", nil }})
	r := stored(e, doc, "c1")
	if State(r.State) != Staged {
		t.Fatalf("c1 after a reboot: %+v; want staged", r)
	}
	fb.sink(Update{AttemptID: r.AttemptID, State: Lost, Message: "unknown"})
	waitState(t, e, doc, "c1", Queued)
	finish(fb, first, Finished, 0)
	l := waitLaunches(t, fb, 1)
	if l[0].ID == r.AttemptID {
		t.Fatalf("the attempt id %s of the intent lost was given again", l[0].ID)
	}
	finish(fb, l[0], Failed, 1)
	var after store.Instance
	for i := 0; i < 2000; i++ {
		if after = stored(e, doc, "c1"); after.FinishedAt != nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if State(after.State) != Queued || after.NextRunAt == nil {
		t.Fatalf("c1 after its first launch failed: %+v; want queued for its one retry", after)
	}
	v, err := e.Document(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range v.Blocks {
		if b.Name != "c1" {
			continue
		}
		if len(b.Instances) != 1 || b.Instances[0].Attempts != 1 {
			t.Fatalf("c1's status: %+v; want one attempt", b.Instances)
		}
	}
}

// A clean stop forgets the intents: a start after a planned reboot,
// while the block before still runs, leaves the next block queued.
func TestIntentsForgottenAtCleanStop(t *testing.T) {
	dir := t.TempDir()
	e, fb, stop, v := startChain(t, dir, 2)
	first := waitLaunches(t, fb, 1)[0]
	waitIntent(t, e, dir, nextAttempt(e, v.ID, "c1"))
	stop()
	fb2 := intentBackend()
	e2, _ := startEngine(t, dir, fb2, Config{BootID: func() (string, error) { return "another boot", nil }})
	if r := stored(e2, v.ID, "c1"); State(r.State) != Queued || r.Attempts != 0 || r.Lost != 0 {
		t.Fatalf("c1 after a clean stop and a reboot: %+v; want queued, no attempt", r)
	}
	if len(fb2.recover) != 1 || fb2.recover[0].ID != first.ID {
		t.Fatalf("recovered %v; want c0's attempt alone", fb2.recover)
	}
}

// A server that died after the launch, written without a sync: the page
// cache kept it, and the attempt is recovered as any launched one.
func TestCrashAfterUnsyncedLaunch(t *testing.T) {
	dir, crashed := t.TempDir(), t.TempDir()
	fb := intentBackend()
	copied := make(chan error, 1)
	fb.duringLaunch = func(a *Attempt) {
		if a.Block == "c1" {
			copied <- copyDisk(dir, crashed)
		}
	}
	e, stop := startEngine(t, dir, fb, Config{})
	v, err := e.Submit(context.Background(), orderedChain(2))
	if err != nil {
		t.Fatal(err)
	}
	first := waitLaunches(t, fb, 1)[0]
	next := nextAttempt(e, v.ID, "c1")
	waitIntent(t, e, dir, next)
	finish(fb, first, Finished, 0)
	waitCopied(t, copied)
	if launches, _ := e.store.JournalSyncs(); launches != 1 {
		t.Fatalf("%d synced launches; want c0's alone", launches)
	}
	stop()
	fb2 := intentBackend()
	e2, _ := startEngine(t, crashed, fb2, Config{})
	r := stored(e2, v.ID, "c1")
	if State(r.State) != Staged || r.AttemptID != next || r.Attempts != 1 {
		t.Fatalf("c1 after the restart: %+v; want staged as %s", r, next)
	}
	// c0 too, if its end, stored with a later batch, was not yet.
	var c1 *Attempt
	for _, a := range fb2.recover {
		if a.ID == next {
			c1 = a
		} else if a.ID != first.ID {
			t.Fatalf("recovered %s", a.ID)
		}
	}
	if c1 == nil {
		t.Fatalf("c1's attempt %s not recovered", next)
	}
	finish(fb2, first, Finished, 0)
	finish(fb2, c1, Finished, 0)
	waitState(t, e2, v.ID, "c1", Finished)
	if n := len(fb2.launches()); n != 0 {
		t.Fatalf("%d launches after the restart", n)
	}
}

// On the hop of a chain, the launch of a block whose intent was written
// while the block before ran does no fdatasync: only the first block's
// launch does.
func TestChainHopDoesNotSync(t *testing.T) {
	dir := t.TempDir()
	fb := intentBackend()
	e, stop := startEngine(t, dir, fb, Config{})
	defer stop()
	const n = 5
	v, err := e.Submit(context.Background(), orderedChain(n))
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < n; k++ {
		l := waitLaunches(t, fb, k+1)
		if k < n-1 {
			waitIntent(t, e, dir, nextAttempt(e, v.ID, "c"+string(rune('1'+k))))
		}
		finish(fb, l[k], Finished, 0)
	}
	waitState(t, e, v.ID, "c4", Finished)
	if launches, _ := e.store.JournalSyncs(); launches != 1 {
		t.Fatalf("%d synced launches in a chain of %d; want 1 (the first block's)", launches, n)
	}
}

// An intent whose instance the database holds in another state than the
// queued one it was written from (its requeue was to be stored with a
// later batch): a finished chain, and a journal holding c0 staged as its
// second attempt and c1's intent of its second. After a reboot c1 is
// that attempt, staged, not left finished with its first (whose id the
// next launch would take again).
//
// Its record's launch boot ticks, its first attempt's (from a boot
// before: they may be later than every process of this one), are not
// the intent's attempt's: that is recovered with them unknown (0), lest
// the backend take no process for its wrapper.
func TestIntentOfAnInstanceStoredEnded(t *testing.T) {
	e, doc, c1, next := rebootAfterEnds(t, nil)
	if c1.LaunchTicks == 0 {
		t.Fatalf("c1's first attempt stored without its launch's boot ticks: %+v", c1)
	}
	if r := stored(e, doc, "c1"); State(r.State) != Staged || r.Attempts != 2 || r.AttemptID != next || r.LaunchTicks != 0 {
		t.Fatalf("c1 after a reboot: %+v; want staged as %s, its launch's boot ticks unknown (c1 was %+v)", r, next, c1)
	}
	for _, a := range e.backend.(*fakeBackend).recover {
		if a.ID == next && a.LaunchTicks != 0 {
			t.Errorf("the intent's attempt recovered with launch boot ticks %d, its record's earlier attempt's; want 0", a.LaunchTicks)
		}
	}
}

// rebootAfterEnds runs a chain of two blocks to their ends, then starts
// a server after a reboot from that disk with c0's second attempt
// journaled, staged, and the intent of c1's second in the journal; change,
// if not nil, rewrites c1's stored record first. It returns the server,
// the document, c1's record (as change left it), and the intent's
// attempt.
func rebootAfterEnds(t *testing.T, change func(c1 *store.Instance)) (e2 *Engine, doc string, c1 store.Instance, next string) {
	t.Helper()
	e2, _, doc, c1, next = rebootAfterEndsIn(t, t.TempDir(), change)
	return e2, doc, c1, next
}

// rebootAfterEndsIn is rebootAfterEnds in dir; it returns the way to
// stop the server started after the reboot too.
func rebootAfterEndsIn(t *testing.T, dir string, change func(c1 *store.Instance)) (e2 *Engine, stop2 func(), doc string, c1 store.Instance, next string) {
	t.Helper()
	return rebootWithIntentIn(t, dir, 2, change)
}

// rebootWithIntentIn is rebootAfterEndsIn with the intent of c1's
// attempt number attempts in the journal.
func rebootWithIntentIn(t *testing.T, dir string, attempts int, change func(c1 *store.Instance)) (e2 *Engine, stop2 func(), doc string, c1 store.Instance, next string) {
	t.Helper()
	e, fb, stop, v := startChain(t, dir, 2)
	for k := 0; k < 2; k++ {
		finish(fb, waitLaunches(t, fb, k+1)[k], Finished, 0)
	}
	waitState(t, e, v.ID, "c1", Finished)
	c0, c1 := stored(e, v.ID, "c0"), stored(e, v.ID, "c1")
	c0.State, c0.Attempts, c0.AttemptID = string(Staged), 2, nextAttempt(e, v.ID, "c0")
	c0.FinishedAt, c0.ExitCode = nil, nil
	next = c1Attempt(e, v.ID, attempts)
	stop()
	st, err := store.Open(filepath.Join(dir, "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			st.Close() // after a failure
		}
	}()
	if change != nil {
		change(&c1)
		if err := st.PutInstances([]*store.Instance{&c1}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Journal([]*store.Instance{&c0}); err != nil {
		t.Fatal(err)
	}
	if err := st.Intend([]store.Intent{{DocID: v.ID, Block: "c1", Instance: 0, AttemptID: next, Attempts: attempts, BootID: "a boot"}}); err != nil {
		t.Fatal(err)
	}
	closed = true
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	e2, stop2 = startEngine(t, dir, intentBackend(), Config{BootID: func() (string, error) { return "another boot", nil }})
	return e2, stop2, v.ID, c1, next
}

// A start that cannot tell its boot treats the intents it finds as
// after a reboot (their attempts may have been launched), and says so
// once, as a warning.
func TestIntentsWithoutABootID(t *testing.T) {
	crashed, doc, _ := crashBeforeLaunch(t)
	var logged syncBuffer
	log := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelWarn}))
	fb := intentBackend()
	e, stop := startEngine(t, crashed, fb, Config{Logger: log, BootID: func() (string, error) { return "", nil }})
	if r := stored(e, doc, "c1"); State(r.State) != Staged || r.Attempts != 1 {
		t.Fatalf("c1 after a start without a boot id: %+v; want staged, its attempt counted", r)
	}
	stop()
	if n := strings.Count(logged.String(), "level=WARN msg=\"launch intents"); n != 1 {
		t.Fatalf("%d warnings of launch intents without a boot id; want 1:\n%s", n, logged.String())
	}
}

// rewriteStored opens the store on dir (a server's, stopped) and has
// change rewrite the records of document doc, by block name.
func rewriteStored(t *testing.T, dir, doc string, change func(byName map[string]*store.Instance)) {
	t.Helper()
	withStored(t, filepath.Join(dir, "borges.db"), doc, func(st *store.Store, recs []*store.Instance) {
		byName := map[string]*store.Instance{}
		for _, r := range recs {
			byName[r.Block] = r
		}
		change(byName)
		if err := st.PutInstances(recs); err != nil {
			t.Fatal(err)
		}
	})
}

// A crash, after a reboot, between the dependency's end record and the
// launch of the block its intent is of: the block's record is the queued
// one stored before its intent (intentLoop), so the document is not one
// whose records have all ended (lazy.go's stubs): it is planned at start,
// and the intent staged as an attempt perhaps launched.
func TestIntentAfterItsDependencysEnd(t *testing.T) {
	crashed, doc, _ := crashBeforeLaunch(t)
	now := time.Now()
	rewriteStored(t, crashed, doc, func(byName map[string]*store.Instance) {
		c0 := byName["c0"]
		if c0 == nil || byName["c1"] == nil || State(byName["c1"].State) != Queued {
			t.Fatalf("stored records: %+v; want c0, and c1 queued", byName)
		}
		code := 0
		c0.State, c0.FinishedAt, c0.ExitCode = string(Finished), &now, &code
	})
	fb := intentBackend()
	e, _ := startEngine(t, crashed, fb, Config{BootID: func() (string, error) { return "another boot", nil }})
	r := stored(e, doc, "c1")
	if State(r.State) != Staged || !r.FromIntent || r.Attempts != 1 {
		t.Fatalf("c1 after a reboot: %+v; want staged from its intent", r)
	}
	if len(fb.recover) != 1 || fb.recover[0].ID != r.AttemptID {
		t.Fatalf("recovered %v; want c1's attempt alone", fb.recover)
	}
}

// A document whose records have all ended is a stub at start, whose
// intents are not looked at. Rightly: the record an intent's instance
// had when the intent was written is queued (stored first: intentLoop);
// one stored ended since is either the end of the intent's attempt (an
// attempt as late: the intent is passed over, applyIntents), or an end
// decided without that launch (its dependency failed, a kill, its
// results standing), and the launch never happened. Here c0 failed:
// after a reboot c1 stays failed, nothing recovered or launched.
func TestIntentOfAnEndedDocument(t *testing.T) {
	crashed, doc, _ := crashBeforeLaunch(t)
	now := time.Now()
	rewriteStored(t, crashed, doc, func(byName map[string]*store.Instance) {
		c0, c1 := byName["c0"], byName["c1"]
		if c0 == nil || c1 == nil {
			t.Fatalf("stored records: %+v; want c0 and c1", byName)
		}
		code := 1
		c0.State, c0.FinishedAt, c0.ExitCode = string(Failed), &now, &code
		c1.State, c1.FinishedAt, c1.Message = string(Failed), &now, "c0 failed"
	})
	fb := intentBackend()
	e, _ := startEngine(t, crashed, fb, Config{BootID: func() (string, error) { return "another boot", nil }})
	e.mu.Lock()
	stub := e.docs[doc] != nil && e.docs[doc].lazy != nil
	e.mu.Unlock()
	if !stub {
		t.Fatal("the ended document was planned at start; want a stub")
	}
	if _, err := e.Document(doc); err != nil {
		t.Fatal(err)
	}
	if r := stored(e, doc, "c1"); State(r.State) != Failed || r.Attempts != 0 || r.FromIntent {
		t.Fatalf("c1 after a reboot: %+v; want failed, never launched", r)
	}
	if len(fb.recover) != 0 || len(fb.launches()) != 0 {
		t.Fatalf("recovered %v, launched %v; want nothing", fb.recover, fb.launches())
	}
}
