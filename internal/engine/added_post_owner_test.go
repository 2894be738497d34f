package engine

import (
	"strings"
	"testing"
	"time"
)

// foundPostDoc is foundInlineDoc with block twice first, which the
// :post of the inline block found in the raw results calls.
const foundPostDoc = "#+name: twice\n#+begin_src sh :var x=\"\" :results output\necho a$x\n#+end_src\n\n" +
	"#+begin_src sh :results raw\nprintf 'Found src_sh[:post twice(x=*this*)]{echo zz} in results.\\n'\n#+end_src\n" + slowAfter

// launchedWhere waits, bounded, for an attempt of rb that ok accepts,
// and returns it (what: what is waited for, for the failure).
func launchedWhere(t *testing.T, rb *reportBackend, what string, ok func(a *Attempt) bool) *Attempt {
	t.Helper()
	for range 2000 {
		for _, a := range rb.launches() {
			if ok(a) {
				return a
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s never launched", what)
	return nil
}

// TestFoundInlinePostRuns: the :post of an inline block found in results
// runs once the block has run, and its value is written inline, as Emacs
// writes it; it is not dropped as a block found in the old results.
func TestFoundInlinePostRuns(t *testing.T) {
	e, rb, id := submitToReport(t, foundPostDoc)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "twice", 1), Finished, 0)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	owner := launchedWhere(t, rb, "the block writing raw results", func(a *Attempt) bool { return strings.Contains(a.Script, "printf") })
	endWith(t, e, rb, id, owner, "Found src_sh[:post twice(x=*this*)]{echo zz} in results.\n")
	found := launchedWhere(t, rb, "the found inline block", func(a *Attempt) bool {
		return !strings.Contains(a.Script, "printf") && strings.Contains(a.Script, "echo zz")
	})
	endWith(t, e, rb, id, found, "zz\n")
	post := launchedWhere(t, rb, "the found inline block's :post", func(a *Attempt) bool { return strings.HasSuffix(a.Block, ":post twice(x=*this*)") })
	if launched := stopThenSlow(t, e, rb, id, post, "azz\n", slow); !launched {
		t.Fatal("after not launched")
	}
	afterThenWritten(t, e, rb, id, "src_sh[:post twice(x=*this*)]{echo zz} {{{results(=azz=)}}}")
}

// TestAddedElispPostOnce: an Emacs Lisp inline block an Emacs Lisp block
// adds with a :post is added once and run once, its :post after it; the
// buffer its attempt reports, with the adder's marks, adds it no second
// time.
func TestAddedElispPostOnce(t *testing.T) {
	inline := "src_elisp[:post twice(x=*this*)]{1}"
	e, rb, id := submitToReport(t, addedPostDoc)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "twice", 1), Finished, 0)
	buffer := strings.Replace(addedPostDoc, "PLACE HERE", "PLACE HERE "+inline, 1)
	report := func(a *Attempt) {
		rb.rmu.Lock()
		rb.reports[a.ID] = addedReport(t, buffer, markAt{at: "#+begin_src sh :var x"}, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh\necho slow"}, markAt{at: "#+begin_src sh :var s=slow"}, markAt{at: "src_elisp["})
		rb.rmu.Unlock()
		finish(rb.fakeBackend, a, Finished, 0)
	}
	report(launchOf(t, rb.fakeBackend, "adder", 1))
	// The inline block's attempt, of the document's Emacs, reports the
	// buffer with the adder's marks, as any later task of it does.
	report(launchOf(t, rb.fakeBackend, "inline-1", 1))
	waitState(t, e, id, "inline-1", Finished)
	launchOf(t, rb.fakeBackend, addedPostPost, 1)
	if n := countLaunches(rb, "inline-1"); n != 1 {
		t.Errorf("inline-1 launched %d times, want once", n)
	}
	d, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range d.Blocks {
		if b.Name == "inline-1" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d blocks named inline-1, want one", n)
	}
}

// TestAddedPostReaderWaits: the task of the document's Emacs after an
// inline block an Emacs Lisp block adds with a :post waits for the
// :post to end, as Emacs runs the :post before it goes on.
func TestAddedPostReaderWaits(t *testing.T) {
	doc := "#+name: twice\n#+begin_src sh :var x=\"\" :results output\necho a$x\n#+end_src\n\n" +
		"#+name: adder\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\nPLACE HERE\n\n" +
		"#+name: reader\n#+begin_src emacs-lisp\n(reads)\n#+end_src\n"
	inline := "src_sh[:post twice(x=*this*)]{echo p}"
	e, rb, id := submitToReport(t, doc)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "twice", 1), Finished, 0)
	a := launchOf(t, rb.fakeBackend, "adder", 1)
	rb.rmu.Lock()
	rb.reports[a.ID] = addedReport(t, strings.Replace(doc, "PLACE HERE", "PLACE HERE "+inline, 1),
		markAt{at: "#+begin_src sh :var x"}, markAt{at: "#+begin_src emacs-lisp :results"}, markAt{at: "#+begin_src emacs-lisp\n(reads)"}, markAt{at: "src_sh["})
	rb.rmu.Unlock()
	finish(rb.fakeBackend, a, Finished, 0)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), "p\n")
	post := launchOf(t, rb.fakeBackend, addedPostPost, 1)
	waited := false
	for range 2000 {
		if launchedBlock(rb, "reader") {
			t.Fatal("reader launched before the added block's :post ended")
		}
		d, _ := e.Document(id)
		for _, b := range d.Blocks {
			if b.Name == "reader" && len(b.Instances) == 1 && strings.Contains(b.Instances[0].Waiting, "(:post twice(x=*this*))") {
				waited = true
			}
		}
		if waited {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !waited {
		d, _ := e.Document(id)
		for _, b := range d.Blocks {
			if b.Name == "reader" {
				t.Logf("reader: %+v", b.Instances[0])
			}
		}
		t.Fatal("reader never waited for the added block's :post")
	}
	endWith(t, e, rb, id, post, "ap\n")
	launchOf(t, rb.fakeBackend, "reader", 1)
}

// TestAddedPostStopRestart: the stop made by the :post of an inline block
// an Emacs Lisp block added is kept by a server started again: block
// after stays held, and neither the inline block nor its :post runs a
// second time.
func TestAddedPostStopRestart(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, addedPostDoc)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "twice", 1), Finished, 0)
	reportAddedPost(t, rb, launchOf(t, rb.fakeBackend, "adder", 1), "src_sh[:post twice(x=*this*)]{echo p}")
	in, slow := launchOf(t, rb.fakeBackend, "inline-1", 1), launchOf(t, rb.fakeBackend, "slow", 1)
	endWith(t, e, rb, id, in, "p\n")
	if stopThenSlow(t, e, rb, id, launchOf(t, rb.fakeBackend, addedPostPost, 1), "ap\nbp\n", slow) {
		t.Fatal("after launched")
	}
	waitDocumentEnded(t, e, id)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	m, _ := blockMessage(waitDocumentEnded(t, e2, id), "after")
	if !strings.HasPrefix(m, failStopAt+"11, for block inline-1") || !strings.HasSuffix(m, "Inline error: multiline result cannot be used") {
		t.Errorf("after: %q, want held by the stop of the added block's :post", m)
	}
	if launchedBlock(rb, "after") {
		t.Error("after launched by a server started again")
	}
	for _, name := range []string{"inline-1", addedPostPost} {
		if n := countLaunches(rb, name); n != 1 {
			t.Errorf("%s launched %d times, want once", name, n)
		}
	}
}
