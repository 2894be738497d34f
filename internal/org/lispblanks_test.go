package org

import (
	"testing"
	"time"
)

// TestLispReaderControlCharacters: the Lisp reader takes every character
// up to the space for a blank, as Emacs's does (`(read "(a \e b)")` is
// (a b)), so that output holding terminal colours (a JavaScript logger's
// `[\e[32mINFO\e[0m]`) is read, not looped over for ever.
func TestLispReaderControlCharacters(t *testing.T) {
	within := func(what string, f func()) {
		t.Helper()
		done := make(chan struct{})
		go func() {
			defer close(done)
			f()
		}()
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Fatalf("%s: the reader did not return", what)
		}
	}
	within("a list with an escape", func() {
		d, rest, ok := readLispDatum("(a \x1b b\x01)", 0)
		if !ok || rest != "" || len(d.items) != 2 || d.items[0].text != "a" || d.items[1].text != "b" {
			t.Errorf("read %+v, rest %q, ok %v; want (a b)", d, rest, ok)
		}
	})
	for _, out := range []string{"(\x1b[32mok\x1b[0m)\n", "[\x1b[32mINFO\x1b[0m] started\n"} {
		within("js output "+out, func() {
			ReadJS.ReadMarked(out, Args{{Key: "results", Value: "output table"}})
			ReadJS.ReadMarked(out, Args{{Key: "results", Value: "value"}})
		})
	}
}
