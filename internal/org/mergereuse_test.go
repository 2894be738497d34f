package org

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestMergeReusesNoVars: the parser merges every block's header
// arguments in one list it reuses (parser.vars); nothing of a block
// merged before, with many variables, a name set twice or a positional
// one, stays in the next block's: each has the variables it had before
// the list was reused.
func TestMergeReusesNoVars(t *testing.T) {
	many := make([]string, 20)
	for i := range many {
		many[i] = fmt.Sprintf(":var v%d=%d", i, i)
	}
	doc := "* A\n:PROPERTIES:\n:header-args+: " + strings.Join(many, " ") + " :var v3=again\n:END:\n" +
		"#+begin_src sh :var 7\necho\n#+end_src\n" +
		"* B\n:PROPERTIES:\n:header-args+: :var b=1 :var c=2\n:END:\n" +
		"#+begin_src sh :var c=3 :var 9\necho\n#+end_src\n" +
		"#+begin_src sh\necho\n#+end_src\n"
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	// As the reader gave them before it reused the list (Org reads a
	// positional 7 as the character 7; B's header-args+ extends A's).
	inherited := []string{"v1=1", "v2=2"}
	for i := 4; i < 20; i++ {
		inherited = append(inherited, fmt.Sprintf("v%d=%d", i, i))
	}
	inherited = append(inherited, "v3=again")
	with := func(first string, rest ...string) []string {
		return append(append([]string{first}, inherited...), rest...)
	}
	want := [][]string{with("v0=\a"), with("v0=", "b=1", "c=3"), with("v0=0", "b=1", "c=2")}
	if len(d.Blocks) != len(want) {
		t.Fatalf("%d blocks, want %d", len(d.Blocks), len(want))
	}
	for i, w := range want {
		if got := d.Blocks[i].Vars; !reflect.DeepEqual(got, w) {
			t.Errorf("block %d: vars %q, want %q", i, got, w)
		}
	}
}
