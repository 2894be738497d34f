package engine

import (
	"slices"
	"strings"
	"testing"
)

// newRefDoc is the document of plan testdata/rerun_elisp_default_ref.org
// with the reference given by a header the Emacs Lisp block edits (the
// report says so) rather than a language's default :var: c, :cache yes,
// comes to refer to data, a block before it that appends a line to a
// file and prints its line count.
func newRefDoc(header string) string {
	return "#+name: data\n#+begin_src bash\necho d >> default_ref.txt; wc -l < default_ref.txt\n#+end_src\n\n" +
		"#+name: editor\n#+begin_src emacs-lisp :results silent\n(ignore)\n#+end_src\n\n" +
		"#+name: c\n#+begin_src sh :cache yes" + header + "\necho \"x is $x\"\n#+end_src\n"
}

// TestElispNewRefToBlockBeforeRuns: Emacs runs data again at the
// reference the Emacs Lisp block gave c (its side effect done twice: x
// is 2): so does Borges, a run of its own at c's turn, before c, whose
// value c gets and its :cache hash takes in, not data's own run's; a
// server started again writes the results document alike, the hash
// included, running nothing again.
func TestElispNewRefToBlockBeforeRuns(t *testing.T) {
	dir, rb, e, stop, id := startSubmitted(t, newRefDoc(""))
	outs := map[string]string{"data": "1\n", "c :var x=data": "2\n", "c": "x is 2\n"}
	var order []string
	for _, a := range driveLaunches(t, e, rb, id, map[string]bool{}, func(a *Attempt) (string, bool) {
		if a.Block == "editor" {
			rb.rmu.Lock()
			rb.reports[a.ID] = marksReport(t, newRefDoc(" :var x=data"), "", 2)
			rb.rmu.Unlock()
		} else if a.Block == "c" && !strings.Contains(a.Script, "2") {
			t.Errorf("c runs without data's new run's value: %q", a.Script)
		}
		out, ok := outs[a.Block]
		if !ok && a.Block != "editor" {
			t.Fatalf("launched %q", a.Block)
		}
		return out, false
	}) {
		order = append(order, a.Block)
	}
	if run, c := slices.Index(order, "c :var x=data"), slices.Index(order, "c"); run < 0 || c < 0 || run > c || count(order, "c :var x=data") != 1 {
		t.Fatalf("launches %v: data's run for c's reference not made once before c", order)
	}
	checkWrittenAlike(t, e, stop, dir, rb, id, newRefWant)
}

// newRefWant is the results document of TestElispNewRefToBlockBeforeRuns:
// c as the buffer holds it, its hash of x=2 (of x=1, data's own run's
// value, it would be another).
const newRefWant = "#+name: data\n#+begin_src bash\necho d >> default_ref.txt; wc -l < default_ref.txt\n#+end_src\n\n#+RESULTS: data\n: 1\n\n" +
	"#+name: editor\n#+begin_src emacs-lisp :results silent\n(ignore)\n#+end_src\n\n" +
	"#+name: c\n#+begin_src sh :cache yes :var x=data\necho \"x is $x\"\n#+end_src\n\n" +
	"#+RESULTS[82407e3d68daf5e07b579dd15c47c89ba632bc56]: c\n: x is 2\n"
