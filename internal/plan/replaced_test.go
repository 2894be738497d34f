package plan

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// replacedTasks are the tasks of a plan of text that Build marks as not
// run (Task.Replaced), by name, and the owner each names.
func replacedTasks(t *testing.T, text string) map[string]string {
	t.Helper()
	p := mustPlan(t, text)
	out := map[string]string{}
	for _, task := range p.Tasks {
		if task.Replaced != "" {
			out[task.Block] = task.Replaced
		}
	}
	return out
}

// TestReplacedBeforeReached: the blocks of the document standing in old
// results that the new results of a block before them replace are marked
// not run, those whose owner keeps its results (raw results in a
// paragraph, :cache yes with its hash current, silent, none, :eval no,
// append, prepend, results before their block) are not
// (TestAgainstEmacs/results_run:_blocks_in_results_replaced holds the
// same fixture to Emacs).
func TestReplacedBeforeReached(t *testing.T) {
	raw, err := os.ReadFile("testdata/results_run_replaced.org")
	if err != nil {
		t.Fatal(err)
	}
	got := replacedTasks(t, string(raw))
	want := map[string]string{
		"block-2": "block-1", "block-5": "block-4", "call-1": "block-4", "inline-1": "block-4",
		"block-7": "block-6", "block-12": "block-11", "block-24": "block-23", "block-25": "block-23",
		"block-28": "block-27", "block-29": "call-2", "block-31": "block-30", "block-35": "late",
	}
	var names []string
	for n := range got {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(got) != len(want) {
		t.Errorf("not run: %v; want %d of them", names, len(want))
	}
	for name, owner := range want {
		why, ok := got[name]
		if !ok || !strings.Contains(why, "the old results of "+owner+",") {
			t.Errorf("%s: %q; want it not run, in the results of %s", name, why, owner)
		}
	}
}

// TestReplacedLeftToRun: a block in results replaced that another block
// refers to, one in the results of a :cache yes block whose hash depends
// on another block's results, and the blocks of a document whose Emacs
// Lisp blocks run in its Emacs are not marked.
func TestReplacedLeftToRun(t *testing.T) {
	cases := map[string]string{
		"referred to": "#+begin_src sh :results code\necho 'echo new'\n#+end_src\n\n#+RESULTS:\n#+name: inner\n#+begin_src sh\necho old\n#+end_src\n\n" +
			"#+begin_src sh :var x=inner\necho $x\n#+end_src\n",
		"cached, hash of references": "#+name: n\n#+begin_src sh\necho 1\n#+end_src\n\n#+begin_src sh :cache yes :results code :var n=n\necho \"echo $n\"\n#+end_src\n\n" +
			"#+RESULTS[0000000000000000000000000000000000000000]:\n#+begin_src sh\necho old\n#+end_src\n",
		"emacs lisp in the document's emacs": "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n#+begin_src sh :results code\necho 'echo new'\n#+end_src\n\n" +
			"#+RESULTS:\n#+begin_src sh\necho old\n#+end_src\n",
	}
	for name, text := range cases {
		if got := replacedTasks(t, text); len(got) != 0 {
			t.Errorf("%s: marked not run: %v", name, got)
		}
	}
	// The same without what keeps them: marked.
	text := "#+begin_src sh :results code\necho 'echo new'\n#+end_src\n\n#+RESULTS:\n#+name: inner\n#+begin_src sh\necho old\n#+end_src\n"
	if got := replacedTasks(t, text); len(got) != 1 || got["inner"] == "" {
		t.Errorf("a block in code results replaced: %v", got)
	}
}
