package plan

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/session"
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

// TestEmacsBufferReports runs a document's Emacs Lisp blocks in the
// document's Emacs: a block that leaves the buffer's text as it was adds
// no report to its reply; one that changes it adds the buffer, and says
// in its log (the transcript) which blocks after it it changed, deleted
// or added, which Emacs would run as the buffer holds them and Borges
// does not.
func TestEmacsBufferReports(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	text := `* Blocks
#+begin_src emacs-lisp
(+ 1 2)
#+end_src

#+begin_src emacs-lisp :results silent
(save-excursion
  (re-search-forward "^#\\+begin_src sh\necho doomed\n#\\+end_src\n" nil t)
  (replace-match "" t t)
  (re-search-forward "^echo edited$" nil t)
  (replace-match "echo EDITED" t t)
  (goto-char (point-max))
  (insert "\n#+begin_src sh\necho added\n#+end_src\n"))
#+end_src

#+begin_src emacs-lisp
(org-entry-get nil "ITEM")
#+end_src

#+begin_src sh
echo doomed
#+end_src

#+begin_src sh
echo edited
#+end_src

#+begin_src emacs-lisp
(goto-char (point-max))
(insert "* Put before an error\n")
(error "Boom")
#+end_src
`
	doc, err := org.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(doc, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	var conn *session.Conn
	var replies []session.Reply
	for _, task := range p.Tasks {
		if task.Session == nil {
			continue
		}
		if conn == nil {
			argv := append([]string{}, task.Session.Command...)
			argv[0] = emacs
			conn = startSession(t, session.Emacs, argv, runEnv{}, nil)
		}
		prog, err := RenderIn(doc, task, nil, map[string]org.Result{})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		reply, err := conn.Eval(ctx, session.Request{Body: prog, Value: true})
		cancel()
		if err != nil && (len(replies) != 3 || !errors.Is(err, session.ErrSignalled)) {
			t.Fatalf("block %s: %v", task.Block, err)
		}
		replies = append(replies, reply)
	}
	if len(replies) != 4 {
		t.Fatalf("%d Emacs Lisp blocks run, want 4", len(replies))
	}
	// A block that signals an error after a change reports it too.
	if !strings.HasSuffix(replies[3].Buffer, "#+end_src\n* Put before an error\n") {
		t.Errorf("the failing block's report: %q", replies[3].Buffer)
	}
	if replies[0].Buffer != "" || replies[2].Buffer != "" {
		t.Errorf("blocks that change nothing report the buffer: %q, %q", replies[0].Buffer, replies[2].Buffer)
	}
	rep, err := org.ParseBufferReport(replies[1].Buffer)
	if err != nil {
		t.Fatalf("report %q: %v", replies[1].Buffer, err)
	}
	if !strings.Contains(rep.Text, "echo EDITED") || strings.Contains(rep.Text, "#+begin_src sh\necho doomed") || !strings.HasSuffix(rep.Text, "echo added\n#+end_src\n") {
		t.Errorf("reported buffer:\n%s", rep.Text)
	}
	for _, said := range []string{
		"borges: this block deleted the block at line 20 of the document from the Org buffer: Emacs would not run it",
		"borges: this block changed the block at line 24 of the document in the Org buffer: Emacs would run it as the buffer now holds it",
		"borges: this block added to the Org buffer a block Emacs runs after it (#+begin_src sh): Borges runs it too",
	} {
		if !strings.Contains(replies[1].Transcript, said) {
			t.Errorf("log %q does not say %q", replies[1].Transcript, said)
		}
	}
	if strings.Contains(replies[0].Transcript+replies[2].Transcript, "borges:") {
		t.Errorf("other blocks' logs: %q, %q", replies[0].Transcript, replies[2].Transcript)
	}
	// Written back: the buffer, with results for the blocks Emacs runs
	// as submitted (the last Emacs Lisp block's) and for the one it
	// changed (run as the buffer holds it: edits.go), where it now
	// stands, none for the one it deleted.
	results := map[int]org.Result{}
	for _, task := range p.Tasks {
		results[task.ResultsIndex()] = org.Result{Output: task.Block + "\n"}
	}
	got := doc.WriteResultsIn(results, rep)
	if strings.Count(got, "#+RESULTS:") != 4 || !strings.Contains(got, "(+ 1 2)\n#+end_src\n\n#+RESULTS:\n: block-1\n") || !strings.Contains(got, "ITEM\")\n#+end_src\n\n#+RESULTS:\n: block-3\n") ||
		!strings.Contains(got, "echo EDITED\n#+end_src\n\n#+RESULTS:\n: block-5\n") || strings.Contains(got, "echo doomed\n#+end_src\n\n#+RESULTS") {
		t.Errorf("written back:\n%s", got)
	}
}
