package store

import (
	"os"
	"strings"
	"sync"
	"testing"
)

func intentFor(doc, block string, attempts int, id string) Intent {
	return Intent{DocID: doc, Block: block, AttemptID: id, Attempts: attempts, BootID: "boot-1"}
}

// A launch whose intent is on disk, synced, is journaled without a sync
// of its own; after a restart the intent and the launch are both read
// back (the launch from the page cache: the server died, not the
// machine), and the database has the launch.
func TestIntentThenUnsyncedLaunch(t *testing.T) {
	path, s := journalStore(t)
	if err := s.Intend([]Intent{intentFor("a", "x", 1, "a.x.0.1"), intentFor("a", "y", 1, "a.y.0.1")}); err != nil {
		t.Fatal(err)
	}
	launches, intents := s.JournalSyncs()
	if launches != 0 || intents != 1 {
		t.Fatalf("syncs after the intent: %d launches, %d intents; want 0, 1", launches, intents)
	}
	if _, err := s.Journal([]*Instance{{DocID: "a", Block: "x", State: "staged", Attempts: 1, AttemptID: "a.x.0.1"}}); err != nil {
		t.Fatal(err)
	}
	if launches, _ := s.JournalSyncs(); launches != 0 {
		t.Fatalf("the launch of an intended attempt synced the journal (%d)", launches)
	}
	// Another attempt than the one intended is synced as ever.
	if _, err := s.Journal([]*Instance{{DocID: "b", Block: "x", State: "staged", Attempts: 1, AttemptID: "b.x.0.1"}}); err != nil {
		t.Fatal(err)
	}
	if launches, _ := s.JournalSyncs(); launches != 1 {
		t.Fatalf("a launch without an intent: %d syncs, want 1", launches)
	}
	s, got := reopen(t, path, s)
	if in := got["a/x"]; in.State != "staged" || in.AttemptID != "a.x.0.1" {
		t.Fatalf("a/x = %+v", in)
	}
	if in := got["a/y"]; in.State != "queued" || in.Attempts != 0 {
		t.Fatalf("a/y = %+v", in)
	}
	read := map[string]Intent{}
	for _, it := range s.Intents() {
		read[it.AttemptID] = it
	}
	if len(read) != 2 || read["a.y.0.1"] != intentFor("a", "y", 1, "a.y.0.1") || read["a.x.0.1"].Block != "x" {
		t.Fatalf("intents read back: %+v", s.Intents())
	}
	// Once the engine has dealt with them, they are not read again.
	if err := s.ForgetIntents(); err != nil {
		t.Fatal(err)
	}
	s, _ = reopen(t, path, s)
	if n := len(s.Intents()); n != 0 {
		t.Fatalf("%d intents read after they were forgotten", n)
	}
}

// An intent outlives the journal's starting over (it is written again
// at its beginning) until it is launched, or has been carried over
// maxCarried times: one never launched keeps nothing from starting over,
// and its launch is then synced. Intents never fill the journal.
func TestIntentAcrossStartingOver(t *testing.T) {
	path, s := journalStore(t)
	big := strings.Repeat("m", 100<<10)
	if err := s.Intend([]Intent{intentFor("a", "y", 1, "a.y.0.1")}); err != nil {
		t.Fatal(err)
	}
	// Another block's launches and their batches, more than the
	// journal holds: it starts over.
	starts := 0
	for i := 1; i <= 60; i++ {
		in := &Instance{DocID: "b", Block: "x", State: "staged", Attempts: i, Message: big}
		seq, err := s.Journal([]*Instance{in})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.PutInstancesUpTo([]*Instance{in}, seq); err != nil {
			t.Fatal(err)
		}
		s.journal.mu.Lock()
		if s.journal.pos < 1024 {
			starts++
		}
		s.journal.mu.Unlock()
	}
	if starts == 0 {
		t.Fatal("the journal never started over")
	}
	before, _ := s.JournalSyncs()
	if _, err := s.Journal([]*Instance{{DocID: "a", Block: "y", State: "staged", Attempts: 1, AttemptID: "a.y.0.1"}}); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.JournalSyncs(); after != before {
		t.Fatal("the launch of an intent carried over synced the journal")
	}
	// Many intents and launches, a batch after each: the journal never
	// fills; an intent never launched is let go.
	if err := s.Intend([]Intent{intentFor("a", "x", 1, "a.x.0.1")}); err != nil {
		t.Fatal(err)
	}
	for i := 2; i <= 400; i++ {
		id := "a.y.0." + string(rune('0'+i%10))
		if err := s.Intend([]Intent{intentFor("a", "y", i, id)}); err != nil {
			t.Fatalf("intent %d: %v", i, err)
		}
		in := &Instance{DocID: "a", Block: "y", State: "staged", Attempts: i, AttemptID: id, Message: big}
		seq, err := s.Journal([]*Instance{in})
		if err != nil {
			t.Fatalf("launch %d: %v", i, err)
		}
		if i%5 == 0 {
			if err := s.PutInstancesUpTo([]*Instance{in}, seq); err != nil {
				t.Fatal(err)
			}
		}
	}
	before, _ = s.JournalSyncs()
	if _, err := s.Journal([]*Instance{{DocID: "a", Block: "x", State: "staged", Attempts: 1, AttemptID: "a.x.0.1"}}); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.JournalSyncs(); after != before+1 {
		t.Fatal("the launch of an intent let go did not sync the journal")
	}
	s, _ = reopen(t, path, s)
	for _, it := range s.Intents() {
		if it.Block == "x" {
			t.Fatalf("an intent let go was read back: %+v", it)
		}
	}
}

// An intent that comes after its launch (the engine read the instance
// queued, then a pass launched it before Intend) is not kept open: it
// would be written again each time the journal starts over.
func TestIntentAfterItsLaunch(t *testing.T) {
	_, s := journalStore(t)
	if _, err := s.Journal([]*Instance{{DocID: "a", Block: "x", State: "staged", Attempts: 1, AttemptID: "a.x.0.1"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Intend([]Intent{intentFor("a", "x", 1, "a.x.0.1"), intentFor("a", "y", 1, "a.y.0.1")}); err != nil {
		t.Fatal(err)
	}
	s.journal.mu.Lock()
	_, stale := s.journal.open["a.x.0.1"]
	_, kept := s.journal.open["a.y.0.1"]
	s.journal.mu.Unlock()
	if stale || !kept {
		t.Fatalf("open intents: a.x.0.1 (launched) %v, a.y.0.1 %v; want only a.y.0.1", stale, kept)
	}
}

// An intent's sync is made without the journal's lock: a launch journaled
// meanwhile goes ahead (it waited behind that sync). A launch of the
// intent's own attempt journaled then is synced itself, as its intent is
// not on disk yet; once it is, a launch of an intended attempt is not.
func TestLaunchDuringAnIntentsSync(t *testing.T) {
	_, s := journalStore(t)
	j := s.journal
	finishIntent := intendHeld(t, s, intentFor("a", "x", 1, "a.x.0.1"))
	if !j.mu.TryLock() {
		t.Fatal("the journal's lock is held through an intent's sync")
	}
	j.mu.Unlock()
	for i, id := range []string{"a.x.0.1", "b.x.0.1"} {
		if _, err := s.Journal([]*Instance{{DocID: "a", Block: "x", State: "staged", Attempts: 1, AttemptID: id}}); err != nil {
			t.Fatal(err)
		}
		if launches, intents := s.JournalSyncs(); launches != int64(i+1) || intents != 0 {
			t.Fatalf("launch of %s while an intent syncs: %d launch syncs, %d intent syncs; want %d, 0", id, launches, intents, i+1)
		}
	}
	if err := finishIntent(); err != nil {
		t.Fatal(err)
	}
	// Launched while its intent synced: not left open.
	if n := len(j.open); n != 0 {
		t.Fatalf("%d intents open after their launch", n)
	}
	if err := s.Intend([]Intent{intentFor("c", "x", 1, "c.x.0.1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Journal([]*Instance{{DocID: "c", Block: "x", State: "staged", Attempts: 1, AttemptID: "c.x.0.1"}}); err != nil {
		t.Fatal(err)
	}
	if launches, intents := s.JournalSyncs(); launches != 2 || intents != 2 {
		t.Fatalf("after an intent and its launch: %d launch syncs, %d intent syncs; want 2, 2", launches, intents)
	}
}

// The database catching up with the journal while an intent syncs does
// not start the journal over: the intent, once synced, is open, and its
// launch written unsynced. (Started over, it would not be: the new
// round's records may end a reading before it.)
func TestCommitDuringAnIntentsSync(t *testing.T) {
	_, s := journalStore(t)
	j := s.journal
	finishIntent := intendHeld(t, s, intentFor("a", "x", 1, "a.x.0.1"))
	j.mu.Lock()
	seq := j.seq
	j.mu.Unlock()
	if err := s.PutInstancesUpTo([]*Instance{{DocID: "b", Block: "x", State: "queued"}}, seq); err != nil {
		t.Fatal(err)
	}
	if err := finishIntent(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Journal([]*Instance{{DocID: "a", Block: "x", State: "staged", Attempts: 1, AttemptID: "a.x.0.1"}}); err != nil {
		t.Fatal(err)
	}
	if launches, _ := s.JournalSyncs(); launches != 0 {
		t.Fatalf("the launch of an intent synced while the database caught up: %d launch syncs, want 0", launches)
	}
}

// intendHeld has s.Intend write intent it while the test goes on, and
// returns once it syncs, its sync held until the function it returns
// is called, which returns Intend's error.
func intendHeld(t *testing.T, s *Store, it Intent) (finish func() error) {
	j := s.journal
	entered, released := make(chan struct{}), make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(released) }) }
	t.Cleanup(release)
	realSync := j.sync
	first := true
	j.sync = func(f *os.File) error {
		if first { // later calls come after entered is closed
			first = false
			close(entered)
			<-released
		}
		return realSync(f)
	}
	intended := make(chan error, 1)
	go func() { intended <- s.Intend([]Intent{it}) }()
	<-entered
	return func() error {
		release()
		return <-intended
	}
}

// An intent passed over (its instance ended without its launch) is no
// longer open: a launch of its attempt after all is synced, and an
// intent of it written again is not kept open either.
func TestIntentPassedOver(t *testing.T) {
	_, s := journalStore(t)
	it := intentFor("a", "x", 1, "a.x.0.1")
	if err := s.Intend([]Intent{it}); err != nil {
		t.Fatal(err)
	}
	if !s.IntentOpen(it.AttemptID) {
		t.Fatal("an intent written is not open")
	}
	s.PassIntents([]string{it.AttemptID})
	if s.IntentOpen(it.AttemptID) {
		t.Fatal("an intent passed over is still open")
	}
	if err := s.Intend([]Intent{it}); err != nil {
		t.Fatal(err)
	}
	if s.IntentOpen(it.AttemptID) {
		t.Fatal("an intent passed over, written again, is open")
	}
	if _, err := s.Journal([]*Instance{{DocID: "a", Block: "x", State: "staged", Attempts: 1, AttemptID: it.AttemptID}}); err != nil {
		t.Fatal(err)
	}
	if launches, _ := s.JournalSyncs(); launches != 1 {
		t.Fatalf("the launch of an attempt whose intent was passed over: %d syncs, want 1", launches)
	}
}
