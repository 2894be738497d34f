package engine

import (
	"context"
	"strings"
	"testing"
)

// TestEmacsBufferWaits: an Emacs Lisp block waits for the blocks before
// it, whose results the document's Emacs puts in its Org buffer first
// (said in its waiting line); one that fails does not hold it back, and
// its program carries that block's drawer, as the result document writes
// it. A block after it in another language waits for it (for the
// environment it leaves: environment.go).
func TestEmacsBufferWaits(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	v, err := e.Submit(context.Background(), "#+name: first\n#+begin_src sh\nexit 3\n#+end_src\n\n"+
		"#+name: look\n#+begin_src emacs-lisp\n(buffer-string)\n#+end_src\n\n"+
		"#+name: other\n#+begin_src sh\ntrue\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, fb, 1)
	if l[0].Block != "first" {
		t.Fatalf("first launch %s", l[0].Block)
	}
	d, _ := e.Document(v.ID)
	for _, b := range d.Blocks {
		if b.Name == "look" && b.Instances[0].Waiting != "waiting for first (staged, its results for the document's Emacs)" {
			t.Errorf("look: waiting %q", b.Instances[0].Waiting)
		}
		if b.Name == "other" && b.Instances[0].Waiting != "waiting for look (queued, the environment it leaves)" {
			t.Errorf("other: waiting %q", b.Instances[0].Waiting)
		}
	}
	launched := map[string]*Attempt{"first": l[0]}
	finish(fb, launched["first"], Failed, 3)
	l = waitLaunches(t, fb, 2)
	look := l[1]
	if look.Block != "look" {
		t.Fatalf("second launch %s", look.Block)
	}
	if !strings.Contains(look.Script, "borges: failed") {
		t.Fatalf("look's program lacks first's drawer:\n%s", look.Script)
	}
	finish(fb, look, Finished, 0)
	if other := waitLaunches(t, fb, 3)[2]; other.Block != "other" {
		t.Fatalf("third launch %s", other.Block)
	}
}

// TestBufferTakenOverFromReading: the task reading a block's output in
// the document's Emacs is that Emacs's first task, so it would start its
// buffer; when the output needs no Emacs it does not run, and the Emacs
// Lisp block after it starts the buffer instead, with the block's results
// put in. When it runs, it starts the buffer and the block after it does
// not again.
func TestBufferTakenOverFromReading(t *testing.T) {
	const doc = "#+name: r\n#+begin_src ruby :results output table\nputs x\n#+end_src\n\n" +
		"#+name: e\n#+begin_src emacs-lisp\n(buffer-string)\n#+end_src\n"
	for _, c := range []struct {
		name, output string
		reads        bool
	}{
		{"not run", "(1 2)\n", false},
		{"run", "(f 1)\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, fb, _ := runFirst(t, doc, c.output, Finished)
			next := 2
			if c.reads {
				l := waitLaunches(t, fb, 2)
				if l[1].Block != "r output read by Emacs" || !strings.Contains(l[1].Script, "(borges--start-buffer ") {
					t.Fatalf("reading %s does not start the buffer:\n%s", l[1].Block, l[1].Script)
				}
				fb.setOutput(l[1].ID, "1")
				finish(fb, l[1], Finished, 0)
				next = 3
			}
			l := waitLaunches(t, fb, next)
			e := l[next-1]
			if e.Block != "e" {
				t.Fatalf("launch %d: %s", next, e.Block)
			}
			starts := strings.Contains(e.Script, "(borges--start-buffer ")
			if starts == c.reads || !strings.Contains(e.Script, "(borges--put-result ") {
				t.Fatalf("e starts the buffer: %v, with the reading run: %v:\n%s", starts, c.reads, e.Script)
			}
		})
	}
}
