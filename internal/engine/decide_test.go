package engine

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

func TestDependencyReadiness(t *testing.T) {
	cases := []struct {
		deps map[string]State
		want Readiness
	}{
		{nil, Ready},
		{map[string]State{"a": Finished, "b": Finished}, Ready},
		{map[string]State{"a": Finished, "b": Running}, Waiting},
		{map[string]State{"a": Queued}, Waiting},
		{map[string]State{"a": Failed, "b": Running}, Blocked},
		{map[string]State{"a": Killed}, Blocked},
	}
	for _, c := range cases {
		if got, _ := DependencyReadiness(c.deps); got != c.want {
			t.Errorf("%v: got %v want %v", c.deps, got, c.want)
		}
	}
}

func TestBlockState(t *testing.T) {
	cases := []struct {
		in   []State
		want State
	}{
		{[]State{Finished, Finished}, Finished},
		{[]State{Finished, Running}, Running},
		{[]State{Queued, Running}, Queued},
		{[]State{Failed, Running}, Failed},
		{[]State{Staged}, Staged},
	}
	for _, c := range cases {
		if got := BlockState(c.in); got != c.want {
			t.Errorf("%v: got %v want %v", c.in, got, c.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{time.Second, time.Second, 2 * time.Second, 4 * time.Second, 32 * time.Second, time.Minute, time.Minute, time.Minute}
	for i, k := range []int{0, 1, 2, 3, 6, 7, 8, 100} {
		if got := Backoff(k); got != want[i] {
			t.Errorf("Backoff(%d) = %v, want %v", k, got, want[i])
		}
	}
}

func TestRestartBackoff(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Second), now.Add(-time.Second)
	for _, c := range []struct {
		next *time.Time
		want BackoffState
	}{{nil, NoBackoff}, {&later, BackingOff}, {&now, BackoffDue}, {&earlier, BackoffDue}} {
		if got := RestartBackoff(c.next, now); got != c.want {
			t.Errorf("RestartBackoff(%v) = %v, want %v", c.next, got, c.want)
		}
	}
}

func TestAfterAttempt(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	keep := &plan.Task{Ensure: plan.ItKeepsRunning}
	once := &plan.Task{Ensure: plan.ItFinishes, Retries: 2}
	cases := []struct {
		name                  string
		task                  *plan.Task
		ended                 State
		attempts, quick, lost int
		ran                   time.Duration
		kill                  bool
		want                  Outcome
	}{
		{"keep-running restarts", keep, Finished, 1, 0, 0, time.Second, false, Outcome{State: Queued, Restart: true, NextRunAt: now.Add(time.Second), Quick: 1}},
		{"keep-running backs off", keep, Failed, 4, 3, 0, time.Second, false, Outcome{State: Queued, Restart: true, NextRunAt: now.Add(8 * time.Second), Quick: 4}},
		{"long run resets backoff", keep, Failed, 9, 6, 0, 2 * time.Minute, false, Outcome{State: Queued, Restart: true, NextRunAt: now.Add(time.Second), Quick: 1}},
		{"kill stops keep-running", keep, Killed, 1, 0, 0, time.Second, true, Outcome{State: Killed, Quick: 1}},
		{"finished stays", once, Finished, 1, 0, 0, time.Second, false, Outcome{State: Finished, Quick: 1}},
		{"retry", once, Failed, 1, 0, 0, time.Second, false, Outcome{State: Queued, Restart: true, NextRunAt: now.Add(time.Second), Quick: 1}},
		{"retries exhausted", once, Failed, 3, 2, 0, time.Second, false, Outcome{State: Failed, Quick: 3}},
		{"lost reruns", once, Lost, 1, 0, 0, time.Second, false, Outcome{State: Queued, Restart: true, NextRunAt: now.Add(time.Second), Quick: 1}},
		{"lost too often", once, Lost, 4, 0, MaxLostReruns, time.Second, false, Outcome{State: Lost, Quick: 1}},
	}
	for _, c := range cases {
		got := AfterAttempt(c.task, c.ended, c.attempts, c.quick, c.lost, c.ran, c.kill, now)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %+v want %+v", c.name, got, c.want)
		}
	}
}

func TestAdmit(t *testing.T) {
	capacity := plan.Resources{CPUs: 2, MemMB: 1000}
	cands := []Candidate{
		{plan.Resources{CPUs: 1, MemMB: 100}},
		{plan.Resources{CPUs: 1.5, MemMB: 100}}, // does not fit after the first
		{plan.Resources{CPUs: 0.5, MemMB: 100}},
		{plan.Resources{CPUs: 0.5, MemMB: 900}}, // memory exhausted
	}
	if got := Admit(cands, capacity, plan.Resources{}); !reflect.DeepEqual(got, []int{0, 2}) {
		t.Fatalf("got %v", got)
	}
	if got := Admit(cands, capacity, plan.Resources{CPUs: 2}); got != nil {
		t.Fatalf("full machine admitted %v", got)
	}
}

func TestSandboxPath(t *testing.T) {
	for p, want := range map[string]bool{
		"stdout": true, "out/plot.png": true, "a.b/c": true,
		"": false, ".": false, "..": false, "../x": false, "a/../../x": false, "a/../b": false,
		"/etc/passwd": false, "a//b": false, "a/": false, "x\x00y": false,
	} {
		if got := SandboxPath(p); got != want {
			t.Errorf("SandboxPath(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestUnrecordedIntent(t *testing.T) {
	for _, c := range []struct {
		sameBoot bool
		deps     map[string]State
		want     IntentFate
	}{
		{true, map[string]State{"a": Finished}, NotLaunched},
		{true, map[string]State{"a": Running}, NotLaunched},
		{false, map[string]State{"a": Finished}, MaybeLaunched},
		{false, map[string]State{"a": Running}, MaybeLaunched},
		{false, nil, MaybeLaunched},
		// A launch after a dependency failed or was killed never was.
		{false, map[string]State{"a": Finished, "b": Failed}, NotLaunched},
		{false, map[string]State{"a": Killed}, NotLaunched},
	} {
		if got := UnrecordedIntent(c.sameBoot, c.deps); got != c.want {
			t.Errorf("UnrecordedIntent(%v, %v) = %v, want %v", c.sameBoot, c.deps, got, c.want)
		}
	}
}

// An attempt staged from an intent that its backend does not know runs
// again at once, its quick exits unchanged; killed if a kill was asked.
func TestAfterIntentLost(t *testing.T) {
	if got := AfterIntentLost(false); got != (Outcome{State: Queued}) {
		t.Errorf("AfterIntentLost(false) = %+v; want queued, no restart time", got)
	}
	if got := AfterIntentLost(true); got.State != Killed || got.Restart {
		t.Errorf("AfterIntentLost(true) = %+v; want killed", got)
	}
}

func TestSessionsLeftOtherwise(t *testing.T) {
	for _, c := range []struct {
		gone []LeftBlock
		want []string
	}{
		{nil, nil},
		// Never launched in its interpreter, or of no session.
		{[]LeftBlock{{Session: "s"}, {Ran: true}}, nil},
		{[]LeftBlock{{Session: "s", Ran: true}}, []string{"s"}},
		// Each once, in the order met.
		{[]LeftBlock{{Session: "t", Ran: true}, {Session: "s"}, {Session: "s", Ran: true}, {Session: "t", Ran: true}}, []string{"t", "s"}},
	} {
		if got := SessionsLeftOtherwise(c.gone); !slices.Equal(got, c.want) {
			t.Errorf("SessionsLeftOtherwise(%v) = %q, want %q", c.gone, got, c.want)
		}
	}
}

func TestFinderWait(t *testing.T) {
	before := []Finder{
		{Name: "done", State: Finished},
		{Name: "ended", State: Failed},
		{Name: "needs", State: Queued},
		{Name: "running", State: Running},
		{Name: "queued", State: Queued},
	}
	var asked []int
	needs := func(i int) bool {
		asked = append(asked, i)
		return before[i].Name == "needs"
	}
	if got := FinderWait(before, needs); got != 3 {
		t.Errorf("FinderWait = %d, want 3 (running)", got)
	}
	if want := []int{2, 3}; !slices.Equal(asked, want) {
		t.Errorf("needs asked of %v, want %v: only of those not ended, up to the one waited for", asked, want)
	}
	if got := FinderWait(before[:3], needs); got != -1 {
		t.Errorf("FinderWait of ended finders and one that needs the block = %d, want -1", got)
	}
}
