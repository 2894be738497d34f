package org

import (
	"reflect"
	"testing"
)

// TestNowebRuns: every evaluated reference of an expansion, in the order
// Babel meets it (a block it includes included), each time keyed; the
// expansion takes the text of each time's key, the first's where a time
// has none; a longer list than asked for is cut and said to be.
func TestNowebRuns(t *testing.T) {
	doc, err := Parse("#+name: inc\n#+begin_src sh :noweb yes\ninc <<c()>>\n#+end_src\n\n" +
		"#+begin_src sh :noweb yes\n<<c()>> <<d()>> <<c()>>\n<<inc>>\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	blk := doc.Blocks[1]
	keys, calls, ok := doc.NowebRuns(blk, 10)
	if want := []string{"c()", "d()", "c()\n2", "c()\n3"}; !ok || !reflect.DeepEqual(keys, want) {
		t.Errorf("keys %q (%v), want %q", keys, ok, want)
	}
	if want := []string{"c()", "d()", "c()", "c()"}; !reflect.DeepEqual(calls, want) {
		t.Errorf("calls %q, want %q", calls, want)
	}
	body, err := doc.ExpandedBody(blk, map[string]string{"c()": "1", "d()": "x", "c()\n3": "3"})
	if err != nil || body != "1 x 1\ninc 3" {
		t.Errorf("body %q, %v", body, err)
	}
	if keys, _, ok := doc.NowebRuns(blk, 2); ok || len(keys) != 2 {
		t.Errorf("cut at 2: %q, %v", keys, ok)
	}
}
