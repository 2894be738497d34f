package engine

import (
	"strings"
	"testing"
)

// TestAddedBlockQueuedAtItsPlace: a block an Emacs Lisp block adds to the
// buffer, or a block found in a block's results, is run by
// org-babel-execute-buffer where it stands, before the blocks of the
// document after it. With room for one block at a time (every block
// :cpu 2 on 2 CPUs), the queue takes it before them, not after every
// block of the document.
func TestAddedBlockQueuedAtItsPlace(t *testing.T) {
	const ins = "#+name: ins\n#+begin_src sh :cpu 2\necho ins\n#+end_src\n\n"
	const rest = "#+name: b1\n#+begin_src sh :cpu 2\necho b1\n#+end_src\n\n" +
		"#+name: b2\n#+begin_src sh :cpu 2\necho b2\n#+end_src\n"
	const adder = "#+name: adder\n#+begin_src emacs-lisp :cpu 2 :results silent\n(adds)\n#+end_src\n\n"
	for _, c := range []struct {
		name, before, after string
		want                []string
	}{
		{"added", "", rest, []string{"adder", "ins", "b1", "b2"}},
		// Before the run b1's reference makes, which Emacs makes as it
		// comes to b1.
		{"added before a reference's run",
			"#+name: f\n#+begin_src sh :cpu 2 :var n=1\necho $n\n#+end_src\n\n",
			"#+name: b1\n#+begin_src sh :cpu 2 :var v=f(n=2)\necho $v\n#+end_src\n\n" +
				"#+name: b2\n#+begin_src sh :cpu 2\necho b2\n#+end_src\n",
			// (b1 then waits for the run's value read, which b2 does not.)
			[]string{"f", "adder", "ins", "f(n=2)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, rb, _, _, _ := submitOnDisk(t, c.before+adder+c.after)
			buffer := c.before + adder + ins + c.after
			report := addedReport(t, buffer, append(blockMarks(c.before, adder, c.after), markAt{at: "#+begin_src sh :cpu 2\necho ins"})...)
			oneAtATime(t, rb.fakeBackend, c.want, func(a *Attempt) {
				if a.Block == "adder" {
					rb.rmu.Lock()
					rb.reports[a.ID] = report
					rb.rmu.Unlock()
				}
			})
		})
	}
	t.Run("found", func(t *testing.T) {
		const printer = "#+name: printer\n#+begin_src sh :cpu 2 :results raw\nprintf '%s\\n' '#+begin_src sh :cpu 2' 'echo ins' '#+end_src'\n#+end_src\nText right after.\n\n"
		_, rb, _, _, _ := submitOnDisk(t, printer+rest)
		oneAtATime(t, rb.fakeBackend, []string{"printer", "printer-found-1", "b1", "b2"}, func(a *Attempt) {
			if a.Block == "printer" {
				rb.setOutput(a.ID, "#+begin_src sh :cpu 2\necho ins\n#+end_src\n")
			}
		})
	})
}

// oneAtATime has the blocks of fb's launches, one running at a time,
// launched in the order want, each finished (after before is told of
// it) before the next is launched.
func oneAtATime(t *testing.T, fb *fakeBackend, want []string, before func(*Attempt)) {
	t.Helper()
	for n, name := range want {
		a := waitLaunches(t, fb, n+1)[n]
		if a.Block != name {
			t.Fatalf("launch %d is %s, want %s (launched in order %v)", n+1, a.Block, name, launchedBlocks(fb))
		}
		if l := fb.launches(); len(l) > n+1 {
			t.Fatalf("%d launches with launch %d running, want one at a time: %v", len(l), n+1, launchedBlocks(fb))
		}
		before(a)
		finish(fb, a, Finished, 0)
	}
}

// launchedBlocks are the blocks of fb's launches, in order.
func launchedBlocks(fb *fakeBackend) []string {
	var out []string
	for _, a := range fb.launches() {
		out = append(out, a.Block)
	}
	return out
}

// blockMarks are the marks (markAt) of the blocks of the parts, in
// order.
func blockMarks(parts ...string) []markAt {
	var marks []markAt
	for _, at := range parts {
		for _, part := range strings.SplitAfter(at, "#+end_src\n") {
			if i := strings.Index(part, "#+begin_src"); i >= 0 {
				marks = append(marks, markAt{at: part[i:]})
			}
		}
	}
	return marks
}

// TestAddedBeforeUnrunQueuedAfterPost: a block added after b0, whose
// :post calls f, and before a block :eval refuses (s, no task) is run
// after b0's :post, as Emacs 28.2 runs it (f adder b0 (f "b0") ins b2,
// checked with Emacs Lisp blocks logging their order): nothing runs
// between s and the next block that has a task, so s's turn is that
// block's, after b0's :post.
func TestAddedBeforeUnrunQueuedAfterPost(t *testing.T) {
	const f = "#+name: f\n#+begin_src sh :cpu 2 :var s=\"\"\necho $s\n#+end_src\n\n"
	const adder = "#+name: adder\n#+begin_src emacs-lisp :cpu 2 :results silent\n(adds)\n#+end_src\n\n"
	const b0 = "#+name: b0\n#+begin_src sh :cpu 2 :post f(s=*this*)\necho b0\n#+end_src\n\n"
	const ins = "#+name: ins\n#+begin_src sh :cpu 2\necho ins\n#+end_src\n\n"
	for _, c := range []struct{ name, rest string }{
		{"before a block", "#+name: s\n#+begin_src sh :cpu 2 :eval no\necho s\n#+end_src\n\n" +
			"#+name: b2\n#+begin_src sh :cpu 2\necho b2\n#+end_src\n"},
		{"at the end", "#+name: s\n#+begin_src sh :cpu 2 :eval no\necho s\n#+end_src\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, rb, _, _, _ := submitOnDisk(t, f+adder+b0+c.rest)
			buffer := f + adder + b0 + ins + c.rest
			report := addedReport(t, buffer, append(blockMarks(f, adder, b0, c.rest), markAt{at: "#+begin_src sh :cpu 2\necho ins"})...)
			want := []string{"f", "adder", "b0", "b0 :post f(s=*this*)", "ins"}
			if strings.Contains(c.rest, "b2") {
				want = append(want, "b2")
			}
			oneAtATime(t, rb.fakeBackend, want, func(a *Attempt) {
				if a.Block == "adder" {
					rb.rmu.Lock()
					rb.reports[a.ID] = report
					rb.rmu.Unlock()
				}
			})
		})
	}
}

// TestAddedSameTurnInBufferOrder: two blocks added before b2, the second
// adder's y before the first adder's x, are run in the buffer's order,
// not in the order they came: Emacs 28.2 runs a1 a2 y x b2.
func TestAddedSameTurnInBufferOrder(t *testing.T) {
	const a1 = "#+name: a1\n#+begin_src emacs-lisp :cpu 2 :results silent\n(adds 1)\n#+end_src\n\n"
	const a2 = "#+name: a2\n#+begin_src emacs-lisp :cpu 2 :results silent\n(adds 2)\n#+end_src\n\n"
	const y = "#+name: y\n#+begin_src sh :cpu 2\necho y\n#+end_src\n\n"
	const x = "#+name: x\n#+begin_src sh :cpu 2\necho x\n#+end_src\n\n"
	const b2 = "#+name: b2\n#+begin_src sh :cpu 2\necho b2\n#+end_src\n"
	_, rb, _, _, _ := submitOnDisk(t, a1+a2+b2)
	r1 := addedReport(t, a1+a2+x+b2, append(blockMarks(a1, a2, b2), markAt{at: "#+begin_src sh :cpu 2\necho x"})...)
	r2 := addedReport(t, a1+a2+y+x+b2, append(blockMarks(a1, a2, b2), markAt{at: "#+begin_src sh :cpu 2\necho x"}, markAt{at: "#+begin_src sh :cpu 2\necho y"})...)
	oneAtATime(t, rb.fakeBackend, []string{"a1", "a2", "y", "x", "b2"}, func(a *Attempt) {
		rb.rmu.Lock()
		defer rb.rmu.Unlock()
		switch a.Block {
		case "a1":
			rb.reports[a.ID] = r1
		case "a2":
			rb.reports[a.ID] = r2
		}
	})
}
