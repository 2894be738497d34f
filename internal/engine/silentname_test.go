package engine

import (
	"context"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// Blocks of a name after one that writes no results (:results silent or
// none): Emacs's silent or none block writes no "#+RESULTS:", so the
// first block of the name that writes results writes them under itself,
// and the later ones there too. The documents wanted are as Emacs 28.2
// (Org 9.5.5) writes them, with org-babel-execute-buffer.

// TestSilentThenDocumentBlockOfName: a silent block x, then a block x of
// the document: the second's results go under it.
func TestSilentThenDocumentBlockOfName(t *testing.T) {
	doc := "* Silent, then a block of its name\n#+name: x\n#+begin_src sh :results silent\necho x silent\n#+end_src\n\n#+name: x\n#+begin_src sh\necho x second\n#+end_src\n"
	want := "* Silent, then a block of its name\n#+name: x\n#+begin_src sh :results silent\necho x silent\n#+end_src\n\n#+name: x\n#+begin_src sh\necho x second\n#+end_src\n\n#+RESULTS: x\n: x second\n"
	out := map[string]string{"x": "x silent\n", "x~2": "x second\n"}
	finishedInOrders(t, doc, want, out, finishOrders([]string{"x", "x~2"}, nil))
}

// TestSilentFoundThenDocumentBlock: a silent block w found in results,
// then a block w of the document: its results go under it, not to the
// found block's place.
func TestSilentFoundThenDocumentBlock(t *testing.T) {
	doc := "* A silent found block, then a document block of its name\n#+begin_src sh :results output drawer\nprintf '#+name: w\\n#+begin_src sh :results silent\\necho w found\\n#+end_src\\n'\n#+end_src\nAfter the drawer.\n\n#+name: w\n#+begin_src sh\necho w of the document\n#+end_src\n"
	want := "* A silent found block, then a document block of its name\n#+begin_src sh :results output drawer\nprintf '#+name: w\\n#+begin_src sh :results silent\\necho w found\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS:\n:results:\n#+name: w\n#+begin_src sh :results silent\necho w found\n#+end_src\n:end:\n\nAfter the drawer.\n\n#+name: w\n#+begin_src sh\necho w of the document\n#+end_src\n\n#+RESULTS: w\n: w of the document\n"
	out := map[string]string{"block-1": "#+name: w\n#+begin_src sh :results silent\necho w found\n#+end_src\n", "block-1-found-1": "w found\n", "w": "w of the document\n"}
	finishedInOrders(t, doc, want, out, finishOrders([]string{"block-1", "block-1-found-1", "w"}, map[string]string{"block-1-found-1": "block-1"}))
}

// TestSilentDocumentBlockThenFound: a silent block x of the document,
// then a block x found in results: the found block's results go under
// it.
func TestSilentDocumentBlockThenFound(t *testing.T) {
	doc := "* A silent document block, then a found block of its name\n#+name: x\n#+begin_src sh :results silent\necho x silent\n#+end_src\n\n#+begin_src sh :results output drawer\nprintf '#+name: x\\n#+begin_src sh\\necho x found\\n#+end_src\\n'\n#+end_src\nAfter the drawer.\n"
	want := "* A silent document block, then a found block of its name\n#+name: x\n#+begin_src sh :results silent\necho x silent\n#+end_src\n\n#+begin_src sh :results output drawer\nprintf '#+name: x\\n#+begin_src sh\\necho x found\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS:\n:results:\n#+name: x\n#+begin_src sh\necho x found\n#+end_src\n\n#+RESULTS: x\n: x found\n\n:end:\n\nAfter the drawer.\n"
	out := map[string]string{"x": "x silent\n", "block-2": "#+name: x\n#+begin_src sh\necho x found\n#+end_src\n", "block-2-found-1": "x found\n"}
	finishedInOrders(t, doc, want, out, finishOrders([]string{"x", "block-2", "block-2-found-1"}, map[string]string{"block-2-found-1": "block-2"}))
}

// TestNoneFoundThenFoundThenDocumentBlock: blocks v found in results,
// the first with :results none, then a block v of the document: the
// document block's results go under the second found block's, the first
// "#+RESULTS: v" written.
func TestNoneFoundThenFoundThenDocumentBlock(t *testing.T) {
	doc := "* Found blocks of one name: none, then one that writes\n#+begin_src sh :results output drawer\nprintf '#+name: v\\n#+begin_src sh :results none\\necho v1\\n#+end_src\\n\\n#+name: v\\n#+begin_src sh\\necho v2\\n#+end_src\\n'\n#+end_src\nAfter the drawer.\n\n#+name: v\n#+begin_src sh\necho v of the document\n#+end_src\n"
	want := "* Found blocks of one name: none, then one that writes\n#+begin_src sh :results output drawer\nprintf '#+name: v\\n#+begin_src sh :results none\\necho v1\\n#+end_src\\n\\n#+name: v\\n#+begin_src sh\\necho v2\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS:\n:results:\n#+name: v\n#+begin_src sh :results none\necho v1\n#+end_src\n\n#+name: v\n#+begin_src sh\necho v2\n#+end_src\n\n#+RESULTS: v\n: v of the document\n\n:end:\n\nAfter the drawer.\n\n#+name: v\n#+begin_src sh\necho v of the document\n#+end_src\n"
	out := map[string]string{"block-1": "#+name: v\n#+begin_src sh :results none\necho v1\n#+end_src\n\n#+name: v\n#+begin_src sh\necho v2\n#+end_src\n", "block-1-found-1": "v1\n", "block-1-found-2": "v2\n", "v": "v of the document\n"}
	finishedInOrders(t, doc, want, out, finishOrders([]string{"block-1", "block-1-found-1", "block-1-found-2", "v"}, map[string]string{"block-1-found-1": "block-1", "block-1-found-2": "block-1"}))
}

// TestFoundNamedOtherCaseThenDocumentBlock: a block W found in results,
// then a block w of the document: Emacs finds "#+RESULTS: W" ignoring
// case, and the document block's results go there, none under it.
func TestFoundNamedOtherCaseThenDocumentBlock(t *testing.T) {
	out := map[string]string{"block-1": "#+name: W\n#+begin_src sh\necho W found\n#+end_src\n", "block-1-found-1": "W found\n", "W": "W found\n", "w": "w of the document\n"}
	finishedInOrders(t, "* A found block W, then a document block w\n#+begin_src sh :results output drawer\nprintf '#+name: W\\n#+begin_src sh\\necho W found\\n#+end_src\\n'\n#+end_src\nAfter the drawer.\n\n#+name: w\n#+begin_src sh\necho w of the document\n#+end_src\n", "* A found block W, then a document block w\n#+begin_src sh :results output drawer\nprintf '#+name: W\\n#+begin_src sh\\necho W found\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS:\n:results:\n#+name: W\n#+begin_src sh\necho W found\n#+end_src\n\n#+RESULTS: W\n: w of the document\n\n:end:\n\nAfter the drawer.\n\n#+name: w\n#+begin_src sh\necho w of the document\n#+end_src\n", out, finishOrders([]string{"block-1", "block-1-found-1", "w"}, map[string]string{"block-1-found-1": "block-1"}))
}

// TestSilentFoundKeptResultsThenDocumentBlock: a silent block w found in
// results with the "#+RESULTS: w" it kept from before under it, then a
// block w of the document: that "#+RESULTS: w" is the first of the
// buffer, and the document block's results go there, none under it.
func TestSilentFoundKeptResultsThenDocumentBlock(t *testing.T) {
	out := map[string]string{"block-1": "#+name: w\n#+begin_src sh :results silent\necho w found\n#+end_src\n\n#+RESULTS: w\n: stale\n", "block-1-found-1": "w found\n", "w": "w of the document\n"}
	finishedInOrders(t, "* A silent found block with old results, then a document block\n#+begin_src sh :results output drawer\nprintf '#+name: w\\n#+begin_src sh :results silent\\necho w found\\n#+end_src\\n\\n#+RESULTS: w\\n: stale\\n'\n#+end_src\nAfter the drawer.\n\n#+name: w\n#+begin_src sh\necho w of the document\n#+end_src\n", "* A silent found block with old results, then a document block\n#+begin_src sh :results output drawer\nprintf '#+name: w\\n#+begin_src sh :results silent\\necho w found\\n#+end_src\\n\\n#+RESULTS: w\\n: stale\\n'\n#+end_src\n\n#+RESULTS:\n:results:\n#+name: w\n#+begin_src sh :results silent\necho w found\n#+end_src\n\n#+RESULTS: w\n: w of the document\n:end:\n\nAfter the drawer.\n\n#+name: w\n#+begin_src sh\necho w of the document\n#+end_src\n", out, finishOrders([]string{"block-1", "block-1-found-1", "w"}, map[string]string{"block-1-found-1": "block-1"}))
}

// TestFoundThenSilentDocumentBlock: a block x found in results, then a
// silent block x of the document: the silent block writes nothing, and
// the found block's results stay under it.
func TestFoundThenSilentDocumentBlock(t *testing.T) {
	out := map[string]string{"block-1": "#+name: x\n#+begin_src sh\necho x found\n#+end_src\n", "block-1-found-1": "x found\n", "x": "x silent\n"}
	finishedInOrders(t, "* A found block x, then a silent document block x\n#+begin_src sh :results output drawer\nprintf '#+name: x\\n#+begin_src sh\\necho x found\\n#+end_src\\n'\n#+end_src\nAfter the drawer.\n\n#+name: x\n#+begin_src sh :results silent\necho x silent\n#+end_src\n", "* A found block x, then a silent document block x\n#+begin_src sh :results output drawer\nprintf '#+name: x\\n#+begin_src sh\\necho x found\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS:\n:results:\n#+name: x\n#+begin_src sh\necho x found\n#+end_src\n\n#+RESULTS: x\n: x found\n\n:end:\n\nAfter the drawer.\n\n#+name: x\n#+begin_src sh :results silent\necho x silent\n#+end_src\n", out, finishOrders([]string{"block-1", "block-1-found-1", "x"}, map[string]string{"block-1-found-1": "block-1"}))
}

// TestFoundRenamedOnRerunThenDocumentBlock: block b's first run prints a
// block named p, its run again on request one named q, found at the same
// place; a block q of the document follows. The found block now named q
// is the first of that name, as Emacs finds it: the document block's
// results go under it, none under the document block, as after a first
// run that printed q; a server started again writes the same.
func TestFoundRenamedOnRerunThenDocumentBlock(t *testing.T) {
	doc := "* A found block renamed on a run again\n#+name: b\n#+begin_src sh :results output drawer\ncat blocks\n#+end_src\nAfter the drawer.\n\n#+name: q\n#+begin_src sh\necho q of the document\n#+end_src\n"
	// As Emacs 28.2 (Org 9.5.5) writes it when b prints the block q.
	want := "* A found block renamed on a run again\n#+name: b\n#+begin_src sh :results output drawer\ncat blocks\n#+end_src\n\n#+RESULTS: b\n:results:\n#+name: q\n#+begin_src sh\necho found\n#+end_src\n\n#+RESULTS: q\n: same\n\n:end:\n\nAfter the drawer.\n\n#+name: q\n#+begin_src sh\necho q of the document\n#+end_src\n"
	// Each run's launches by block, with their outputs: the first, then
	// the one after b is run again.
	runs := [][][2]string{
		{{"b", "#+name: p\n#+begin_src sh\necho found\n#+end_src\n"}, {"b-found-1", "same\n"}, {"q", "same\n"}},
		{{"b", "#+name: q\n#+begin_src sh\necho found\n#+end_src\n"}, {"b-found-1", "same\n"}},
	}
	runThenRerunB(t, doc, runs, want, 5)
}

// runThenRerunB submits doc on disk and answers runs in turn (each the
// launches of a run, by block, with their outputs), block b run again
// before each run after the first; the results document must be want
// after n launches, and the same after a server started again.
func runThenRerunB(t *testing.T, doc string, runs [][][2]string, want string, n int) {
	t.Helper()
	dir, rb, e, stop, id := submitOnDisk(t, doc)
	fb := rb.fakeBackend
	for i, run := range runs {
		if i > 0 {
			if err := e.RestartBlock(context.Background(), id, "b"); err != nil {
				t.Fatal(err)
			}
		}
		for _, l := range run {
			finishLaunch(fb, launchOf(t, fb, l[0], i+1), l[1])
		}
		waitDocumentFinished(t, e, id)
	}
	finishedAs(t, e, fb, id, want, n)
	reloadedSame(t, dir, rb, e, stop, id)
}

// TestFoundThenDocumentBlockWritesByItsHeader: a block w found in results
// that writes its results, then a block w of the document with
// ":results output drawer": the document block's results go to the found
// block's "#+RESULTS: w", written as the document block's header says (a
// drawer), as Emacs writes them, not as the found block's says.
func TestFoundThenDocumentBlockWritesByItsHeader(t *testing.T) {
	out := map[string]string{"block-1": "#+name: w\n#+begin_src sh\necho w found\n#+end_src\n", "block-1-found-1": "w found\n", "w": "w of the document\n"}
	finishedInOrders(t, "* A found block w, then a document block w writing a drawer\n#+begin_src sh :results output drawer\nprintf '#+name: w\\n#+begin_src sh\\necho w found\\n#+end_src\\n'\n#+end_src\nAfter the drawer.\n\n#+name: w\n#+begin_src sh :results output drawer\necho w of the document\n#+end_src\n", "* A found block w, then a document block w writing a drawer\n#+begin_src sh :results output drawer\nprintf '#+name: w\\n#+begin_src sh\\necho w found\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS:\n:results:\n#+name: w\n#+begin_src sh\necho w found\n#+end_src\n\n#+RESULTS: w\n:results:\nw of the document\n:end:\n\n:end:\n\nAfter the drawer.\n\n#+name: w\n#+begin_src sh :results output drawer\necho w of the document\n#+end_src\n", out, finishOrders([]string{"block-1", "block-1-found-1", "w"}, map[string]string{"block-1-found-1": "block-1"}))
}

// TestFoundRenamedOnRerunOldNameLetGo: block b's first run prints a
// block named p, its run again one named q, found at the same place;
// blocks p and q of the document follow. After the run again the found
// block is indexed by its new name only: q's results go under it, as
// Emacs writes them, and p's under p itself, no longer under the found
// block, whose old name it had; a server started again writes the same.
func TestFoundRenamedOnRerunOldNameLetGo(t *testing.T) {
	doc := "* Renamed\n#+name: b\n#+begin_src sh :results output drawer\ncat blocks\n#+end_src\nAfter the drawer.\n\n#+name: p\n#+begin_src sh\necho p of the document\n#+end_src\n\n#+name: q\n#+begin_src sh\necho q of the document\n#+end_src\n"
	// As Emacs 28.2 (Org 9.5.5) writes it when b prints the block q.
	want := "* Renamed\n#+name: b\n#+begin_src sh :results output drawer\ncat blocks\n#+end_src\n\n#+RESULTS: b\n:results:\n#+name: q\n#+begin_src sh\necho found\n#+end_src\n\n#+RESULTS: q\n: q of the document\n\n:end:\n\nAfter the drawer.\n\n#+name: p\n#+begin_src sh\necho p of the document\n#+end_src\n\n#+RESULTS: p\n: p of the document\n\n#+name: q\n#+begin_src sh\necho q of the document\n#+end_src\n"
	runs := [][][2]string{
		{{"b", "#+name: p\n#+begin_src sh\necho found\n#+end_src\n"}, {"b-found-1", "found\n"}, {"p", "p of the document\n"}, {"q", "q of the document\n"}},
		{{"b", "#+name: q\n#+begin_src sh\necho found\n#+end_src\n"}, {"b-found-1", "found\n"}},
	}
	runThenRerunB(t, doc, runs, want, 6)
}

// TestSameFoundRenamed: a block found where a kept one was, with the same
// text under another #+name, is another block to the search started
// again (rekeyFound, sameFound): kept, it would stay indexed (foundNamed)
// under its old name, where a later block of that name finds it and the
// new name's does not, and its task would write its results under the
// old name.
func TestSameFoundRenamed(t *testing.T) {
	found := func(name string) *blockState {
		doc := "#+name: b\n#+begin_src sh :results output drawer\ncat blocks\n#+end_src\n"
		e, _, id := runAnswered(t, doc, []string{"#+name: " + name + "\n#+begin_src sh\necho found\n#+end_src\n", "found\n"})
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.docs[id].byName["b-found-1"]
	}
	p, q := found("p"), found("q")
	if p == nil || q == nil || p.task == nil || q.task == nil {
		t.Fatalf("found blocks %v and %v, want b-found-1 run in both", p, q)
	}
	if !sameFound(plan.Addition{Name: "p", Lang: p.lang, Task: p.task}, p) {
		t.Errorf("b-found-1 named p is not the same as itself")
	}
	if sameFound(plan.Addition{Name: "q", Lang: q.lang, Task: q.task}, p) {
		t.Errorf("b-found-1 named q is taken for b-found-1 named p: kept, it stays indexed as p")
	}
}
