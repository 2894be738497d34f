package engine

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// sameNameDoc has two blocks, a and b, each printing a block named x in
// its drawer results, and c printing two blocks named y in its raw
// results (issue 10).
const sameNameDoc = "#+name: a\n#+begin_src sh :results drawer\nprintf '#+name: x\\n#+begin_src sh\\necho from a\\n#+end_src\\n'\n#+end_src\nText A.\n\n" +
	"#+name: b\n#+begin_src sh :results drawer\nprintf '#+name: x\\n#+begin_src sh\\necho from b\\n#+end_src\\n'\n#+end_src\nText B.\n\n" +
	"#+name: c\n#+begin_src sh :results raw\nprintf '#+name: y\\n#+begin_src sh\\necho y one\\n#+end_src\\n\\n#+name: y\\n#+begin_src sh\\necho y two\\n#+end_src\\n'\n#+end_src\nText C.\n"

// sameNameWant is what Emacs 28.2 (Org 9.5.5) leaves of sameNameDoc: it
// runs every block found, and writes the results of a block named x
// under the first "#+RESULTS: x" of the buffer, so that the later
// block's replace the earlier's there.
const sameNameWant = "#+name: a\n#+begin_src sh :results drawer\nprintf '#+name: x\\n#+begin_src sh\\necho from a\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS: a\n:results:\n#+name: x\n#+begin_src sh\necho from a\n#+end_src\n\n#+RESULTS: x\n: from b\n\n:end:\n\nText A.\n\n" +
	"#+name: b\n#+begin_src sh :results drawer\nprintf '#+name: x\\n#+begin_src sh\\necho from b\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS: b\n:results:\n#+name: x\n#+begin_src sh\necho from b\n#+end_src\n:end:\n\nText B.\n\n" +
	"#+name: c\n#+begin_src sh :results raw\nprintf '#+name: y\\n#+begin_src sh\\necho y one\\n#+end_src\\n\\n#+name: y\\n#+begin_src sh\\necho y two\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS: c\n#+name: y\n#+begin_src sh\necho y one\n#+end_src\n\n#+RESULTS: y\n: y two\n\n#+name: y\n#+begin_src sh\necho y two\n#+end_src\n\nText C.\n"

// sameNameFound are the blocks found running sameNameDoc, by their
// owners: named by owner and place, not by their #+name.
var sameNameFound = map[string]string{"a-found-1": "a", "b-found-1": "b", "c-found-1": "c", "c-found-2": "c"}

// TestFoundSameName: blocks of one name found in results, in two blocks'
// results or twice in one's, each run (each its own block and record),
// whichever owner finishes first, and their results written where Emacs
// writes them; a server started again has the document as it ran.
func TestFoundSameName(t *testing.T) {
	aOut := "#+name: x\n#+begin_src sh\necho from a\n#+end_src\n"
	bOut := "#+name: x\n#+begin_src sh\necho from b\n#+end_src\n"
	cOut := "#+name: y\n#+begin_src sh\necho y one\n#+end_src\n\n#+name: y\n#+begin_src sh\necho y two\n#+end_src\n"
	for _, c := range []struct {
		name  string
		order [][2]string // block, output, in the order they finish
	}{
		{"a first", [][2]string{{"a", aOut}, {"a-found-1", "from a\n"}, {"b", bOut}, {"b-found-1", "from b\n"}, {"c", cOut}, {"c-found-1", "y one\n"}, {"c-found-2", "y two\n"}}},
		{"b first", [][2]string{{"b", bOut}, {"b-found-1", "from b\n"}, {"a", aOut}, {"a-found-1", "from a\n"}, {"c", cOut}, {"c-found-2", "y two\n"}, {"c-found-1", "y one\n"}}},
		{"found last", [][2]string{{"a", aOut}, {"b", bOut}, {"c", cOut}, {"b-found-1", "from b\n"}, {"c-found-2", "y two\n"}, {"a-found-1", "from a\n"}, {"c-found-1", "y one\n"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, rb, e, stop, id := submitOnDisk(t, sameNameDoc)
			fb := rb.fakeBackend
			for _, f := range c.order {
				finishLaunch(fb, launchOf(t, fb, f[0], 1), f[1])
			}
			finishedAs(t, e, fb, id, sameNameWant, len(c.order))
			if added := addedBlocks(t, e, id); !maps.Equal(added, sameNameFound) {
				t.Errorf("blocks found: %v, want %v", added, sameNameFound)
			}
			reloadedSame(t, dir, rb, e, stop, id)
		})
	}
}

// TestFoundNamedOlderRecord: an older Borges stored a block found in
// results under its #+name (x), where a server now names it by its owner
// and place (a-found-1). A server started over that store takes the
// older record for it: the block stays finished, with its results, and
// nothing runs again; a server started again after it has it the same.
func TestFoundNamedOlderRecord(t *testing.T) {
	doc := "#+name: a\n#+begin_src sh :results drawer\nprintf '#+name: x\\n#+begin_src sh\\necho from a\\n#+end_src\\n'\n#+end_src\nText A.\n"
	dir, rb, e, stop, id := submitOnDisk(t, doc)
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "a", 1), "#+name: x\n#+begin_src sh\necho from a\n#+end_src\n")
	finishLaunch(fb, launchOf(t, fb, "a-found-1", 1), "from a\n")
	waitDocumentFinished(t, e, id)
	ctx := context.Background()
	want, err := e.ResultDocument(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(want, ": from a") {
		t.Fatalf("results document without the found block's results:\n%s", want)
	}
	launched := len(rb.launches())
	stop()
	st, recs := storedRecords(t, dir, id)
	renamed := 0
	for _, r := range recs {
		if r.Block == "a-found-1" {
			old := *r
			old.Block = "x"
			if err := st.Commit([]*store.Instance{&old}, []*store.Instance{r}, 0); err != nil {
				t.Fatal(err)
			}
			renamed++
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if renamed != 1 {
		t.Fatalf("%d records of a-found-1, want 1", renamed)
	}
	for start := 1; start <= 2; start++ {
		e2, stop2 := startEngine(t, dir, rb, Config{})
		waitDocumentEnded(t, e2, id)
		got, err := e2.ResultDocument(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("start %d over the older store:\n%s\nwant (as it ran):\n%s", start, got, want)
		}
		if states := blockStates(t, e2, id); len(states) != 2 || states["a"] != Finished || states["a-found-1"] != Finished {
			t.Errorf("start %d: block states %v, want a and a-found-1 finished", start, states)
		}
		if l := rb.launches(); len(l) != launched {
			t.Errorf("start %d: %d attempts, want %d (nothing run by the start)", start, len(l), launched)
		}
		stop2()
		olderRecordGone(t, dir, id, "x")
	}
}

// olderRecordGone checks that the store in dir (its server stopped) has
// no record of document id under name, an older Borges's name of a
// block found in results, which a start stored under the new name.
func olderRecordGone(t *testing.T, dir, id, name string) {
	t.Helper()
	st, recs := storedRecords(t, dir, id)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Block == name {
			t.Errorf("the older record under %s is still stored", name)
		}
	}
}

// TestFoundSameNameAsDocumentBlock: a block found in results named as a
// block of the document before it runs, and its results replace that
// block's under its "#+RESULTS: w", as Emacs writes them, whichever
// finishes first; a server started again writes the same document.
func TestFoundSameNameAsDocumentBlock(t *testing.T) {
	doc := "* A found block named as a block of the document before it\n#+name: w\n#+begin_src sh\necho w of the document\n#+end_src\n\n#+begin_src sh :results output drawer\nprintf '#+name: w\\n#+begin_src sh\\necho w found\\n#+end_src\\n'\n#+end_src\nAfter the drawer.\n"
	want := "* A found block named as a block of the document before it\n#+name: w\n#+begin_src sh\necho w of the document\n#+end_src\n\n#+RESULTS: w\n: w found\n\n#+begin_src sh :results output drawer\nprintf '#+name: w\\n#+begin_src sh\\necho w found\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS:\n:results:\n#+name: w\n#+begin_src sh\necho w found\n#+end_src\n:end:\n\nAfter the drawer.\n"
	byScript := func(ls []*Attempt, prog string) *Attempt {
		t.Helper()
		for _, a := range ls {
			if strings.Contains(a.Script, prog) {
				return a
			}
		}
		t.Fatalf("no launch runs %q", prog)
		return nil
	}
	for _, foundFirst := range []bool{false, true} {
		dir, rb, e, stop, id := submitOnDisk(t, doc)
		fb := rb.fakeBackend
		ls := waitLaunches(t, fb, 2)
		mine := byScript(ls, "echo w of the document")
		if !foundFirst {
			finishLaunch(fb, mine, "w of the document\n")
		}
		finishLaunch(fb, byScript(ls, "printf"), "#+name: w\n#+begin_src sh\necho w found\n#+end_src\n")
		finishLaunch(fb, launchOf(t, fb, "block-2-found-1", 1), "w found\n")
		if foundFirst {
			finishLaunch(fb, mine, "w of the document\n")
		}
		finishedAs(t, e, fb, id, want, 3)
		reloadedSame(t, dir, rb, e, stop, id)
	}
}

// TestFoundSameNameFirstDropped: of two blocks named x found in a's and
// b's results, a's is dropped when a runs again and prints no block: b's
// block, kept as it ran, has its results under itself again, as a first
// run with a printing that leaves them.
func TestFoundSameNameFirstDropped(t *testing.T) {
	bOut := "#+name: x\n#+begin_src sh\necho from b\n#+end_src\n"
	cOut := "#+name: y\n#+begin_src sh\necho y one\n#+end_src\n"
	run := func(aOut string) (string, *reportBackend, *Engine, func(), string) {
		dir, rb, e, stop, id := submitOnDisk(t, sameNameDoc)
		fb := rb.fakeBackend
		finishLaunch(fb, launchOf(t, fb, "a", 1), aOut)
		if aOut != "nothing\n" {
			finishLaunch(fb, launchOf(t, fb, "a-found-1", 1), "from a\n")
		}
		finishLaunch(fb, launchOf(t, fb, "b", 1), bOut)
		finishLaunch(fb, launchOf(t, fb, "b-found-1", 1), "from b\n")
		finishLaunch(fb, launchOf(t, fb, "c", 1), cOut)
		finishLaunch(fb, launchOf(t, fb, "c-found-1", 1), "y one\n")
		waitDocumentFinished(t, e, id)
		return dir, rb, e, stop, id
	}
	_, _, e0, _, id0 := run("nothing\n")
	want, err := e0.ResultDocument(context.Background(), id0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(want, "echo from b\n#+end_src\n\n#+RESULTS: x\n: from b\n") {
		t.Fatalf("b's block without its results under it:\n%s", want)
	}
	dir, rb, e, stop, id := run("#+name: x\n#+begin_src sh\necho from a\n#+end_src\n")
	fb := rb.fakeBackend
	if err := e.RestartBlock(context.Background(), id, "a"); err != nil {
		t.Fatal(err)
	}
	finishLaunch(fb, launchOf(t, fb, "a", 2), "nothing\n")
	finishedAs(t, e, fb, id, want, 7)
	if added := addedBlocks(t, e, id); len(added) != 2 || added["b-found-1"] != "b" || added["c-found-1"] != "c" {
		t.Errorf("blocks found: %v, want b-found-1 by b and c-found-1 by c", added)
	}
	reloadedSame(t, dir, rb, e, stop, id)
}

// finishOrders are the orders blocks can finish in, each found block
// (by owner) after its owner, which it is found in the results of.
func finishOrders(blocks []string, owners map[string]string) [][]string {
	var out [][]string
	var walk func(done []string, left []string)
	walk = func(done, left []string) {
		if len(left) == 0 {
			out = append(out, slices.Clone(done))
			return
		}
		for i, b := range left {
			if o, ok := owners[b]; ok && !slices.Contains(done, o) {
				continue
			}
			rest := append(slices.Clone(left[:i]), left[i+1:]...)
			walk(append(done, b), rest)
		}
	}
	walk(nil, blocks)
	return out
}

// TestFoundSameNameThenDocumentBlock: two blocks named x found in a's and
// b's results, then a block of the document named x: Emacs runs the
// three in that order, each writing under the first "#+RESULTS: x" of
// the buffer, a's found block's, so the document block's results stand
// there, and none under it or b's. Borges writes that, in every order
// the blocks can finish in; a server started again writes the same.
func TestFoundSameNameThenDocumentBlock(t *testing.T) {
	doc := "* Two found x, then a document block x\n#+name: a\n#+begin_src sh :results output drawer\nprintf '#+name: x\\n#+begin_src sh\\necho from a\\n#+end_src\\n'\n#+end_src\nAfter a.\n\n#+name: b\n#+begin_src sh :results output drawer\nprintf '#+name: x\\n#+begin_src sh\\necho from b\\n#+end_src\\n'\n#+end_src\nAfter b.\n\n#+name: x\n#+begin_src sh\necho doc x\n#+end_src\n"
	// As Emacs 28.2 (Org 9.5.5) writes it.
	want := "* Two found x, then a document block x\n#+name: a\n#+begin_src sh :results output drawer\nprintf '#+name: x\\n#+begin_src sh\\necho from a\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS: a\n:results:\n#+name: x\n#+begin_src sh\necho from a\n#+end_src\n\n#+RESULTS: x\n: doc x\n\n:end:\n\nAfter a.\n\n#+name: b\n#+begin_src sh :results output drawer\nprintf '#+name: x\\n#+begin_src sh\\necho from b\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS: b\n:results:\n#+name: x\n#+begin_src sh\necho from b\n#+end_src\n:end:\n\nAfter b.\n\n#+name: x\n#+begin_src sh\necho doc x\n#+end_src\n"
	out := map[string]string{"a": "#+name: x\n#+begin_src sh\necho from a\n#+end_src\n", "b": "#+name: x\n#+begin_src sh\necho from b\n#+end_src\n", "a-found-1": "from a\n", "b-found-1": "from b\n", "x": "doc x\n"}
	orders := finishOrders([]string{"a", "a-found-1", "b", "b-found-1", "x"}, map[string]string{"a-found-1": "a", "b-found-1": "b"})
	if len(orders) != 30 {
		t.Fatalf("%d finish orders, want 30", len(orders))
	}
	finishedInOrders(t, doc, want, out, orders)
}

// finishedInOrders runs doc, its blocks finishing in each of orders with
// their outputs (out), and checks that the document written is want,
// and is the same after a server started again.
func finishedInOrders(t *testing.T, doc, want string, out map[string]string, orders [][]string) {
	for _, order := range orders {
		t.Run(strings.Join(order, ","), func(t *testing.T) {
			dir, rb, e, stop, id := submitOnDisk(t, doc)
			fb := rb.fakeBackend
			for _, n := range order {
				finishLaunch(fb, launchOf(t, fb, n, 1), out[n])
			}
			finishedAs(t, e, fb, id, want, len(order))
			reloadedSame(t, dir, rb, e, stop, id)
		})
	}
}

// TestFoundNamedAsLaterDocumentBlock: a block named w found in results,
// and a block of the document named w after them: Emacs runs the found
// block first, and the document block's results replace its under its
// "#+RESULTS: w", none under the document block, in every finish order.
func TestFoundNamedAsLaterDocumentBlock(t *testing.T) {
	doc := "* A found block named as a block of the document after it\n#+begin_src sh :results output drawer\nprintf '#+name: w\\n#+begin_src sh\\necho w found\\n#+end_src\\n'\n#+end_src\nAfter the drawer.\n\n#+name: w\n#+begin_src sh\necho w of the document\n#+end_src\n\n* Last\n#+begin_src sh\necho last\n#+end_src\n"
	// As Emacs 28.2 (Org 9.5.5) writes it.
	want := "* A found block named as a block of the document after it\n#+begin_src sh :results output drawer\nprintf '#+name: w\\n#+begin_src sh\\necho w found\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS:\n:results:\n#+name: w\n#+begin_src sh\necho w found\n#+end_src\n\n#+RESULTS: w\n: w of the document\n\n:end:\n\nAfter the drawer.\n\n#+name: w\n#+begin_src sh\necho w of the document\n#+end_src\n\n* Last\n#+begin_src sh\necho last\n#+end_src\n\n#+RESULTS:\n: last\n"
	out := map[string]string{"block-1": "#+name: w\n#+begin_src sh\necho w found\n#+end_src\n", "block-1-found-1": "w found\n", "w": "w of the document\n", "block-3": "last\n"}
	finishedInOrders(t, doc, want, out, finishOrders([]string{"block-1", "block-1-found-1", "w", "block-3"}, map[string]string{"block-1-found-1": "block-1"}))
}

// TestFoundNamedOlderRecordTwo: an older Borges ran the first block named
// x found (b's: b finished first) under "x", and did not run the second
// (a's). A server started over that store gives the "x" record to b's
// found block, whose owner finished first, not to a's, which stands
// first: b's found block does not run again, and a's does not show b's
// run.
func TestFoundNamedOlderRecordTwo(t *testing.T) {
	for _, live := range []bool{false, true} {
		t.Run(fmt.Sprint("live ", live), func(t *testing.T) { olderRecordTwo(t, live) })
	}
}

// olderRecordTwo is TestFoundNamedOlderRecordTwo, the document loaded
// at the start (live: c-found-1 stored queued) or when it is asked for.
func olderRecordTwo(t *testing.T, live bool) {
	aOut := "#+name: x\n#+begin_src sh\necho from a\n#+end_src\n"
	bOut := "#+name: x\n#+begin_src sh\necho from b\n#+end_src\n"
	cOut := "#+name: y\n#+begin_src sh\necho y one\n#+end_src\n"
	dir, rb, e, stop, id := submitOnDisk(t, sameNameDoc)
	fb := rb.fakeBackend
	for _, f := range [][2]string{{"b", bOut}, {"b-found-1", "from b\n"}, {"a", aOut}, {"a-found-1", "from a\n"}, {"c", cOut}, {"c-found-1", "y one\n"}} {
		finishLaunch(fb, launchOf(t, fb, f[0], 1), f[1])
	}
	waitDocumentFinished(t, e, id)
	launched := len(rb.launches())
	stop()
	st, recs := storedRecords(t, dir, id)
	bAttempt := ""
	first := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range recs {
		var put, del []*store.Instance
		switch r.Block {
		case "b-found-1":
			old := *r
			old.Block = "x"
			bAttempt = r.AttemptID
			put, del = []*store.Instance{&old}, []*store.Instance{r}
		case "a-found-1":
			del = []*store.Instance{r}
		case "c-found-1":
			if live {
				c := *r
				c.State, c.AttemptID, c.FinishedAt = string(Queued), "", nil
				put = []*store.Instance{&c}
			}
		case "a", "b":
			// b ended first.
			at := first
			if r.Block == "a" {
				at = first.Add(time.Minute)
			}
			c := *r
			c.FinishedAt = &at
			put = []*store.Instance{&c}
		}
		if put != nil || del != nil {
			if err := st.Commit(put, del, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if bAttempt == "" {
		t.Fatal("no record of b-found-1")
	}
	e2, stop2 := startEngine(t, dir, rb, Config{})
	defer stop2()
	for _, a := range rb.launches()[launched:] {
		if a.Block == "b-found-1" {
			t.Errorf("b-found-1 ran again, its older record under x not taken")
		}
	}
	for _, b := range viewBlocks(t, e2, id) {
		for _, in := range b.Instances {
			switch {
			case b.Name == "a-found-1" && in.AttemptID == bAttempt:
				t.Errorf("a-found-1 shows b-found-1's run %s", bAttempt)
			case b.Name == "b-found-1" && (in.State != Finished || in.AttemptID != bAttempt):
				t.Errorf("b-found-1 %s %s, want finished as it ran (%s)", in.State, in.AttemptID, bAttempt)
			}
		}
	}
	stop2()
	olderRecordGone(t, dir, id, "x")
}

// storedRecords opens the store in dir (its server stopped), to be
// closed by the caller, and reads document id's records.
func storedRecords(t *testing.T, dir, id string) (*store.Store, []*store.Instance) {
	t.Helper()
	st, err := store.Open(filepath.Join(dir, "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := st.DocumentInstances(id)
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	return st, recs
}

// sameNameVarDoc is found_same_name_var.org of internal/plan (checked
// with Emacs 28.2): b's block found, named x as a's, has :var v=later,
// an Emacs Lisp block after it.
const sameNameVarDoc = "#+name: a\n#+begin_src sh :results drawer\nprintf '#+name: x\\n#+begin_src sh\\necho from a\\n#+end_src\\n'\n#+end_src\nText A.\n\n" +
	"#+name: b\n#+begin_src sh :results drawer\nprintf '#+name: x\\n#+begin_src sh :var v=later\\necho from b $v\\n#+end_src\\n'\n#+end_src\nText B.\n\n" +
	"#+name: later\n#+begin_src emacs-lisp\n(+ 1 1)\n#+end_src\n"

// sameNameVarWant is sameNameVarDoc as Emacs writes it: b's block found
// runs, running later for its reference, and its results replace a's
// block's under "#+RESULTS: x".
const sameNameVarWant = "#+name: a\n#+begin_src sh :results drawer\nprintf '#+name: x\\n#+begin_src sh\\necho from a\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS: a\n:results:\n#+name: x\n#+begin_src sh\necho from a\n#+end_src\n\n#+RESULTS: x\n: from b 2\n\n:end:\n\nText A.\n\n" +
	"#+name: b\n#+begin_src sh :results drawer\nprintf '#+name: x\\n#+begin_src sh :var v=later\\necho from b $v\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS: b\n:results:\n#+name: x\n#+begin_src sh :var v=later\necho from b $v\n#+end_src\n:end:\n\nText B.\n\n" +
	"#+name: later\n#+begin_src emacs-lisp\n(+ 1 1)\n#+end_src\n\n#+RESULTS: later\n: 2\n"

// TestFoundSameNameVar: a block found with the #+name of a block found
// before it, its :var naming a later Emacs Lisp block, runs, later run
// for its reference first, and its results are written where Emacs
// writes them; a server started again has the document as it ran.
func TestFoundSameNameVar(t *testing.T) {
	dir, rb, e, stop, id := sameNameVarRun(t, "a", "b")
	reloadedSame(t, dir, rb, e, stop, id)
}

// sameNameVarRun runs sameNameVarDoc, owner first ending before owner
// second (a and b), then the blocks found and later, and checks that it
// finished as Emacs writes it. It returns what submitOnDisk does.
func sameNameVarRun(t *testing.T, first, second string) (string, *reportBackend, *Engine, func(), string) {
	t.Helper()
	out := map[string]string{
		"a": "#+name: x\n#+begin_src sh\necho from a\n#+end_src\n",
		"b": "#+name: x\n#+begin_src sh :var v=later\necho from b $v\n#+end_src\n",
	}
	dir, rb, e, stop, id := submitOnDisk(t, sameNameVarDoc)
	fb := rb.fakeBackend
	for _, f := range [][2]string{{first, out[first]}, {second, out[second]}, {"a-found-1", "from a\n"}, {"b-found-1 :var v=later", "2"}, {"b-found-1", "from b 2\n"}, {"later", "2"}} {
		finishLaunch(fb, launchOf(t, fb, f[0], 1), f[1])
	}
	finishedAs(t, e, fb, id, sameNameVarWant, 6)
	return dir, rb, e, stop, id
}

// TestFoundSameNameVarLaterFirst is TestFoundSameNameVar with b ending
// before a: b's block found is keyed first, and keyed again as the
// second of its #+name when a's is found, with the run of its reference;
// its results are written once, under a's block's "#+RESULTS: x", as
// Emacs writes them, not under b's as well.
func TestFoundSameNameVarLaterFirst(t *testing.T) {
	dir, rb, e, stop, id := sameNameVarRun(t, "b", "a")
	// The run of its reference is keyed again with it, as a server
	// started again keys it.
	e.mu.Lock()
	ds := e.docs[id]
	found, ref := ds.byName["b-found-1"].index, ds.byName["b-found-1 :var v=later"].index
	e.mu.Unlock()
	if found != ref {
		t.Errorf("the run of b-found-1's reference is at key %d, b-found-1 at %d", ref, found)
	}
	reloadedSame(t, dir, rb, e, stop, id)
}
