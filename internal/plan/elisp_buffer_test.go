package plan

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

const bufferDoc = `#+name: first
#+begin_src sh
echo 1
#+end_src

#+name: early
#+begin_src emacs-lisp :var v=late
v
#+end_src

#+name: middle
#+begin_src sh :var y=(+ 1 2)
echo $y
#+end_src

#+name: late
#+begin_src emacs-lisp
(buffer-string)
#+end_src

#+name: last
#+begin_src emacs-lisp
2
#+end_src

#+name: caller
#+begin_src sh :var x=sq(n=3)
echo $x
#+end_src

#+name: between
#+begin_src sh
echo between
#+end_src

#+name: sq
#+begin_src emacs-lisp :var n=0
(* n n)
#+end_src

#+name: service
#+begin_src sh :ensure it-keeps-running
sleep 1
#+end_src

#+name: after-service
#+begin_src emacs-lisp
3
#+end_src
`

// TestEmacsBufferResults: each task of the document's Emacs puts in its
// buffer the results of the blocks Emacs has run by the time it evaluates
// it, those not put in by an earlier task: a block run for an earlier
// block's reference (late, run again for early) sees only what was
// before that block, and so does a block called with arguments (sq(n=3),
// for caller); the block run again in its place sees what was before it; a Lisp :var value what was before its block; no task waits for
// one that waits for it, nor for a block that keeps running; only the
// first carries the document.
func TestEmacsBufferResults(t *testing.T) {
	doc := mustParse(t, bufferDoc)
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	starts := []string{}
	for _, task := range p.Tasks {
		for _, br := range task.BufferResults {
			got[task.Block] = append(got[task.Block], br.Task)
		}
		if task.BufferStart {
			starts = append(starts, task.Block)
		}
	}
	want := map[string][]string{
		"early :var v=late":     {"first"},
		"middle :var y=(+ 1 2)": {"early"},
		"late":                  {"middle"},
		"last":                  {"late"},
		"caller :var x=sq(n=3)": {"last"},
		"sq":                    {"caller", "between"},
		"after-service":         {"sq"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("buffer results:\n got %v\nwant %v", got, want)
	}
	if !reflect.DeepEqual(starts, []string{"early :var v=late"}) {
		t.Errorf("buffer started by %v, want [early :var v=late] (the first evaluated)", starts)
	}
}

// TestNoBufferWithoutEmacsLisp: a document without Emacs Lisp has no
// task waiting for another's results.
func TestNoBufferWithoutEmacsLisp(t *testing.T) {
	doc := mustParse(t, "#+begin_src sh\necho 1\n#+end_src\n\n#+begin_src sh\necho 2\n#+end_src\n")
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range p.Tasks {
		if len(task.BufferResults) > 0 || task.BufferStart || len(task.After) > 0 {
			t.Errorf("%s: %+v", task.Block, task)
		}
	}
}

// TestEmacsBufferProgramsScale: on a document of many Emacs Lisp blocks,
// each after a shell block, a task's program carries the results it puts
// in, not the document: the programs of twice the blocks are twice as
// large (the first, which carries the document, aside).
func TestEmacsBufferProgramsScale(t *testing.T) {
	size := func(n int) int {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "* Part %d\n#+begin_src sh\necho %d\n#+end_src\n\n#+begin_src emacs-lisp\n(org-get-heading)\n#+end_src\n\n", i, i)
		}
		doc := mustParse(t, b.String())
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		results := map[string]org.Result{}
		total := 0
		for _, task := range p.Tasks {
			prog, err := RenderIn(doc, task, nil, results)
			if err != nil {
				t.Fatal(err)
			}
			if !task.BufferStart {
				total += len(prog)
			}
			results[task.Block] = org.Result{Output: task.Block + "\n", Reader: task.Reader}
		}
		return total
	}
	small, large := size(500), size(1000)
	if large > small*5/2 {
		t.Errorf("programs of 1000 parts are %d bytes, of 500 %d: not linear", large, small)
	}
}
