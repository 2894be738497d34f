package local

import (
	"path/filepath"
	"testing"
	"time"
)

// takenOver has a keeper of a server gone (another than b) take over
// attempt id's outputs: it holds the pipes, has noted that it took them
// over, and has written nothing yet (its program still writes). The
// keeper exits once the test ends (the pipes' write ends close), and is
// waited for.
func takenOver(t *testing.T, dataDir, id string) *keeper {
	t.Helper()
	k := testKeeper(t, dataDir)
	r, _ := testPipes(t)
	if err := k.hold(id, dataDir, "outputs/"+outputShard(id)+"/"+id, 1<<20, r); err != nil {
		t.Fatal(err)
	}
	r[0].Close()
	r[1].Close()
	k.abandon() // its server dies
	for i := 0; ; i++ {
		if st := readKept(k.log); st.taken[id] && len(liveKeepers(k.log, "")) > 0 {
			break
		}
		if i == 1200 {
			t.Fatal("the keeper did not note what it took over within a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return k
}

// F6: an attempt whose outputs a keeper of a server gone has taken over,
// and not yet written, keeps its sandbox and outputs out of the pool: the
// keeper is about to write into them.
func TestKeeperTakenOverKeepsFilesOutOfPool(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("echo out", nil)
	runOne(t, b, r, a)
	takenOver(t, dir, a.ID)
	if got := removeOne(t, b, dir, a.ID); len(got) != 0 {
		t.Errorf("the sandbox of an attempt a keeper still holds went to the pool (%v)", got)
	}
	if got := poolEntries(t, dir); len(got) != 0 {
		t.Errorf("pool = %v: the outputs a keeper still holds went to it", got)
	}
}

// A live keeper of a server gone that has not yet noted what it took
// over may hold any attempt: none is recycled meanwhile.
func TestKeeperNotYetNotedKeepsFilesOutOfPool(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("echo out", nil)
	runOne(t, b, r, a)
	// Its lock, as a keeper started by a server gone holds it.
	lock, err := takeKeeperLock(filepath.Join(dir, keeperLog), "gone.0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lock.Close() })
	if got := removeOne(t, b, dir, a.ID); len(got) != 0 {
		t.Errorf("a sandbox went to the pool while a keeper may hold it (%v)", got)
	}
	if got := poolEntries(t, dir); len(got) != 0 {
		t.Errorf("pool = %v", got)
	}
}
