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

// TestVarListAsNaive: the list, reused, appending until a positional
// variable or the result needs it exact, holds what setting each name in
// turn (replacing its earlier entry, going last) holds, small lists and
// indexed ones, names repeated or not.
func TestVarListAsNaive(t *testing.T) {
	var l varList // reused from one case to the next, as the parser does
	for _, tc := range []struct {
		name  string
		ops   []string // "x" sets x; "" assigns the next variable in order
		names int      // distinct names the ops draw from
	}{
		{"few distinct", []string{"a", "b", "c"}, 3},
		{"few repeated", []string{"a", "b", "a", "", "c"}, 3},
		{"many distinct", nil, 40},
		{"many repeated", nil, 7},
		{"positional first", []string{"", "a"}, 1},
	} {
		ops := tc.ops
		if ops == nil {
			for i := 0; i < 60; i++ {
				if i%13 == 12 {
					ops = append(ops, "")
					continue
				}
				ops = append(ops, fmt.Sprintf("v%d", (i*17)%tc.names))
			}
		}
		l.reset(len(ops))
		var naive []string // "name=value" in order
		positional := 0
		for i, op := range ops {
			if op != "" {
				a := fmt.Sprintf("%s=%d", op, i)
				for k, e := range naive {
					if strings.HasPrefix(e, op+"=") {
						naive = append(naive[:k], naive[k+1:]...)
						break
					}
				}
				naive = append(naive, a)
				l.set(op, a)
				continue
			}
			k, ok := l.nth(positional)
			if ok != (positional < len(naive)) {
				t.Fatalf("%s: op %d: nth %v, naive has %d", tc.name, i, ok, len(naive))
			}
			if ok {
				e := &l.entries[k]
				e.assignment = fmt.Sprintf("%s=p%d", e.name, i)
				name, _, _ := strings.Cut(naive[positional], "=")
				naive[positional] = fmt.Sprintf("%s=p%d", name, i)
				positional++
			}
		}
		if got := l.assignments(); !reflect.DeepEqual(got, naive) && len(got)+len(naive) > 0 {
			t.Errorf("%s: %q, want %q", tc.name, got, naive)
		}
	}
}
