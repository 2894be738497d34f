package plan

import (
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestRerunNames: each reference to a block is a run of its own, named
// after the reference; one of a block of a session is in the session
// just before the block that refers to it.
func TestRerunNames(t *testing.T) {
	_, _, byName := planned(t, "#+name: counter\n#+begin_src sh :session s\nn=$((n+1)); echo $n\n#+end_src\n\n"+
		"#+name: plain\n#+begin_src sh\necho 1\n#+end_src\n\n"+
		"#+name: use\n#+begin_src sh :var x=counter :var y=counter :var p=plain :noweb yes\necho <<counter()>>\n#+end_src\n")
	want := []string{"use :var x=counter", "use :var y=counter", "use :var p=plain", "use <<counter()>>"}
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
	// Said at the block the user wrote whose references go over, at
	// its line, not at a run's task ("b3 :var x=b2~626").
	m := regexp.MustCompile(`line (\d+): block "([^"]*)": :var: the references`).FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("got %v, want the problem at a line and block", err)
	}
	var at *org.Block
	for _, x := range mustParse(t, b.String()).Executables() {
		if BlockName(x) == m[2] {
			at = x
		}
	}
	if at == nil || strconv.Itoa(at.Line) != m[1] {
		t.Errorf("problem %q at block %q line %s: want a block of the document at its line", err, m[2], m[1])
	}
}

// TestRerunReachLinear: whether a reference is served by a :cache yes
// block's one run (its hash current) is asked of each block of a chain,
// each referring to the one before (a chain of :var hops); the answer
// about the block before is the one already found, not a walk down the
// whole chain again (2,000 blocks: 2 million walks, most of the time of
// planning the document). So is whether a call reaches a session.
func TestRerunReachLinear(t *testing.T) {
	const n = 400
	for _, c := range []struct{ first, header, ref string }{
		{"sh :cache yes", "sh :cache yes", "b%d"},
		// Calls with arguments of a block of a session: each is a
		// run (n of them), each asking whether it reaches one.
		{"sh :session s", "sh", "b0(x=%d)"},
	} {
		var sb strings.Builder
		sb.WriteString("#+name: b0\n#+begin_src " + c.first + "\necho 0\n#+end_src\n\n")
		for i := 1; i < n; i++ {
			fmt.Fprintf(&sb, "#+name: b%d\n#+begin_src %s :var x="+c.ref+"\necho $((x+1))\n#+end_src\n\n", i, c.header, i-1)
		}
		doc := mustParse(t, sb.String())
		b := newBuilder(doc, machine, DefaultOptions)
		p, err := b.build()
		if err != nil {
			t.Fatalf("%s: plan: %v", c.header, err)
		}
		if c.header == "sh :cache yes" && len(p.Tasks) != n || c.header == "sh" && len(p.Tasks) != 2*n-1 {
			t.Fatalf("%d tasks for a chain of %d :cache yes blocks", len(p.Tasks), n)
		}
		if b.reachWalks+b.cacheWalks > 3*n {
			t.Fatalf("%s: %d walks for a chain of %d blocks, want at most %d", c.header, b.reachWalks+b.cacheWalks, n, 3*n)
		}
	}
}

// TestCallRunsPerPlace: a call with arguments is a run of its own at
// each place that makes it, as Emacs runs it: the first is named by the
// call, each later one (another block, the same block again, a noweb
// reference written twice) after its place; a block making such a
// call is run again for each reference to it, and so is a named
// #+call: line with arguments. A :cache yes callee is called once.
func TestCallRunsPerPlace(t *testing.T) {
	_, _, byName := planned(t, "#+name: side\n#+begin_src sh :var n=0\necho $n >> f\n#+end_src\n\n"+
		"#+name: a\n#+begin_src sh :var y=side(n=1)\necho $y\n#+end_src\n\n"+
		"#+name: b\n#+begin_src sh :var y=side(n=1) :var z=side(n=1) :noweb yes\necho <<side(n=1)>> <<side(n=1)>>\n#+end_src\n\n"+
		"#+name: maker\n#+begin_src sh :var m=side(n=2)\necho $m\n#+end_src\n\n"+
		"#+name: c\n#+begin_src sh :var p=maker :var q=maker\necho $p $q\n#+end_src\n\n"+
		"#+name: nc\n#+call: side(n=3)\n\n"+
		"#+name: d\n#+begin_src sh :var r=nc\necho $r\n#+end_src\n\n"+
		"#+name: kept\n#+begin_src sh :cache yes :var n=0\necho $n\n#+end_src\n\n"+
		"#+name: e\n#+begin_src sh :var y=kept(n=1) :var z=kept(n=1)\necho $y $z\n#+end_src\n\n"+
		"#+name: h\n#+begin_src sh :var k=maker\necho $k\n#+end_src\n\n"+
		"#+name: i\n#+begin_src sh :var y=h :var z=h\necho $y $z\n#+end_src\n")
	for block, want := range map[string][]string{
		"a":     {"side(n=1)"},
		"b":     {"b :var y=side(n=1)", "b :var z=side(n=1)", "b <<side(n=1)>>", "b <<side(n=1)>>~2"},
		"maker": {"side(n=2)"},
		"c":     {"c :var p=maker", "c :var q=maker"},
		"d":     {"d :var r=nc"},
		"e":     {"kept(n=1)", "e :var z=kept(n=1)"},
		"i":     {"i :var y=h", "i :var z=h"},
	} {
		if got := byName[block].After; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s waits for %q, want %q", block, got, want)
		}
	}
	// Each run of maker for c makes its call again.
	for _, run := range []string{"c :var p=maker", "c :var q=maker"} {
		if task := byName[run]; task == nil || len(task.After) != 1 || task.After[0] == "side(n=2)" {
			t.Errorf("%s: %+v, want a run making its own call of side(n=2)", run, task)
		}
	}
}

// callOfDoc is the document of TestCallOfMarksPlace.
const callOfDoc = `#+name: f
#+begin_src sh :var n=0
echo $n
#+end_src

#+name: g
#+begin_src sh :var m=f(n=4)
echo "g $m"
#+end_src

#+name: h
#+begin_src sh :var k=g :var y=f(n=2) :noweb yes
echo $k <<f(n=3)>>
#+end_src

#+name: si
#+begin_src sh :stdin f(n=5)
cat
#+end_src

#+name: nc
#+call: f(n=6)

#+name: p
#+begin_src sh :post f(n=*this*)
echo 7
#+end_src
`

// TestCallOfMarksPlace: the run a reference makes at its place (a call
// with arguments in a :var value, a noweb reference, a :stdin; a block
// run again as it makes one) is marked with the task whose run resolves
// it (Task.CallOf), the first place's run named by the call as well, a
// call inside a run made for a reference marked with that run: a restart
// of the block runs them again (the engine's callRunsOf). A #+call:
// line's own task, a :post's and the block's own are not marked.
func TestCallOfMarksPlace(t *testing.T) {
	_, p, _ := planned(t, callOfDoc)
	got := map[string]string{}
	for _, x := range p.Tasks {
		got[x.Block] = x.CallOf()
	}
	want := map[string]string{
		"f": "", "g": "", "h": "", "si": "", "nc": "", "p": "", "p :post f(n=*this*)": "",
		"f(n=4)":          "g",
		"h :var k=g":      "h",
		"g :var m=f(n=4)": "h :var k=g",
		"f(n=2)":          "h",
		"f(n=3)":          "h",
		"f(n=5)":          "si",
	}
	if !maps.Equal(got, want) {
		t.Errorf("CallOf: %v, want %v", got, want)
	}
}
