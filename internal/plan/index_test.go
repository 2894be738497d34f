package plan

import (
	"reflect"
	"testing"
)

// TestIndexValue covers what the differential fixture cannot show well:
// values that are not lists, and indexes past the end.
func TestIndexValue(t *testing.T) {
	tbl := Value{Table: [][]string{{"a", "1"}, {"b", "2"}}}
	cases := []struct {
		name, index string
		in          Value
		want        Value
		err         bool
	}{
		{"a scalar is not indexed", "1", Value{Scalar: "x"}, Value{Scalar: "x"}, false},
		{"a cell", "1,1", tbl, Value{Scalar: "2", Number: true}, false},
		{"a column", ",0", tbl, Value{IsList: true, List: []Value{{Scalar: "a"}, {Scalar: "b"}}}, false},
		{"the whole", "*", tbl, tbl, false},
		{"a list item from the end", "-1", Value{IsList: true, List: []Value{{Scalar: "p"}, {Scalar: "q"}}}, Value{Scalar: "q"}, false},
		{"past the end", "5", tbl, Value{}, true},
		{"an empty range", "1:0", tbl, Value{}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := indexValue(c.in, c.index)
			if (err != nil) != c.err {
				t.Fatalf("error %v, want error: %v", err, c.err)
			}
			if !c.err && !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}
