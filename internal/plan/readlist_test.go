package plan

import (
	"slices"
	"testing"
)

// TestReadListStopsAtReaderMacros: readList reads what Emacs's reader
// reads as it does, and leaves to Emacs (an error) what it reads as its
// macros, a vector or a dotted list (TestAgainstEmacs/reader_macros_in_list_values).
func TestReadListStopsAtReaderMacros(t *testing.T) {
	read := []struct {
		list string
		want []string // the items' scalars
	}{
		{`(1 2)`, []string{"1", "2"}},
		{`("s,t" 1)`, []string{"s,t", "1"}},
		{`(a\,b c)`, []string{"a,b", "c"}},
		{`(?, ?' 3)`, []string{"44", "39", "3"}},
		{`(g?h 1.5 .5)`, []string{"g?h", "1.5", "0.5"}},
		{`(## \, x)`, []string{"##", ",", "x"}},
		// Every character up to the space is a blank to the reader, as
		// in Emacs's read (a newline from a multi-line header value).
		{"(a\nb)", []string{"a", "b"}},
		{"(1\r\f2\x01c)", []string{"1", "2", "c"}},
		{`(s t)`, []string{"s", "t"}},
		{`(x s)`, []string{"x", "s"}},
	}
	for _, c := range read {
		items, err := readList(c.list)
		if err != nil {
			t.Errorf("%s: %v", c.list, err)
			continue
		}
		var got []string
		for _, it := range items {
			got = append(got, it.Scalar)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: read %q, want %q", c.list, got, c.want)
		}
	}
	for _, list := range []string{`(1, 2)`, `(1 ,2)`, `(a ,@b)`, "(a `c)", `(a 'd)`, `(a'b)`, `(1 . 2)`, `([1 2])`, `(a#b)`, `(1 ;c` + "\n)"} {
		if items, err := readList(list); err == nil {
			t.Errorf("%s: read %v, which Emacs reads otherwise", list, items)
		}
	}
}
