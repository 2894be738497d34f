package plan

import (
	"fmt"
	"strings"
	"testing"
)

// TestRerunNames: each reference to a block of a session is a run of its
// own, named after the reference, in the session just before the block
// that refers to it; a block that reaches no session is run once.
func TestRerunNames(t *testing.T) {
	_, _, byName := planned(t, "#+name: counter\n#+begin_src sh :session s\nn=$((n+1)); echo $n\n#+end_src\n\n"+
		"#+name: plain\n#+begin_src sh\necho 1\n#+end_src\n\n"+
		"#+name: use\n#+begin_src sh :var x=counter :var y=counter :var p=plain :noweb yes\necho <<counter()>>\n#+end_src\n")
	want := []string{"use :var x=counter", "use :var y=counter", "plain", "use <<counter()>>"}
	if got := byName["use"].After; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("use waits for %q, want %q", got, want)
	}
	// In the session, in the order Babel resolves them.
	for name, prev := range map[string]string{"use :var x=counter": "counter", "use :var y=counter": "use :var x=counter", "use <<counter()>>": "use :var y=counter"} {
		task := byName[name]
		if task == nil || task.Session == nil || task.Index >= 0 || len(task.After) != 1 || task.After[0] != prev {
			t.Errorf("%s: %+v, want a run in the session after %s", name, task, prev)
		}
	}
}

// TestRerunBounded: blocks that each refer twice to the one before them,
// down to a block of a session, would make 2^n runs; the document is
// refused once they pass the most tasks a document may have.
func TestRerunBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("#+name: b0\n#+begin_src sh :session s\necho 1\n#+end_src\n\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "#+name: b%d\n#+begin_src sh :var x=b%d :var y=b%d\necho $x\n#+end_src\n\n", i, i-1, i-1)
	}
	_, err := Build(mustParse(t, b.String()), machine, DefaultOptions)
	if err == nil || !strings.Contains(err.Error(), "make more than 10000 runs") {
		t.Fatalf("got %v, want the document refused for its runs", err)
	}
}

// TestRerunReachLinear: whether a reference reaches a session is asked
// of each block of a chain, each referring to the one before (a chain of
// :var hops); the answer about the block before is the one already found,
// not a walk down the whole chain again (2,000 blocks: 2 million walks,
// most of the time of planning the document).
func TestRerunReachLinear(t *testing.T) {
	const n = 400
	var sb strings.Builder
	sb.WriteString("#+name: b0\n#+begin_src sh\necho 0\n#+end_src\n\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&sb, "#+name: b%d\n#+begin_src sh :var x=b%d\necho $((x+1))\n#+end_src\n\n", i, i-1)
	}
	doc := mustParse(t, sb.String())
	b := newBuilder(doc, machine, DefaultOptions)
	p, err := b.build()
	if err != nil || len(p.Tasks) != n {
		t.Fatalf("plan: %v", err)
	}
	if b.reachWalks > 3*n {
		t.Fatalf("%d walks for a chain of %d blocks, want at most %d", b.reachWalks, n, 3*n)
	}
}
