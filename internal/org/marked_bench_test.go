package org

import (
	"fmt"
	"strings"
	"testing"
)

// pythonTableOutput is what a Python block returning a table of n rows
// under a rule prints: numbers, strings that read as numbers, lists and
// symbols in its cells, every kind of mark ReadMarked records.
func pythonTableOutput(n int) string {
	var b strings.Builder
	b.WriteString("[['n', 's', 'l', 'b'], None")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, ", [%d, '%03d', [%d, 'x'], True]", i, i%1000, i)
	}
	b.WriteString("]")
	return b.String()
}

// BenchmarkReadMarked reads a 2,000-row Python table once for its value
// and all its marks ("once"), against the reading it replaced ("per
// mark"): the value, then its symbols, its strings and its lists, each
// reading the text again.
func BenchmarkReadMarked(b *testing.B) {
	raw := pythonTableOutput(2000)
	args := Args{{Key: "results", Value: "value"}}
	b.Run("once", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		for i := 0; i < b.N; i++ {
			_ = ReadPython.ReadMarked(raw, args)
		}
	})
	b.Run("per mark", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		rp := splitString("value")
		for i := 0; i < b.N; i++ {
			_ = ReadPython.evaluate(raw, rp).rows()
			for k := 0; k < 3; k++ {
				var m Marked
				val := ReadPython.evaluate(raw, rp)
				for i, row := range val.items {
					for j, c := range row.list {
						m.mark(i, j, c)
					}
				}
			}
		}
	})
}

// TestReadMarkedLargeTable: the benchmark's table reads as a table of its
// rows under the rule, every row's marks found.
func TestReadMarkedLargeTable(t *testing.T) {
	m := ReadPython.ReadMarked(pythonTableOutput(50), Args{{Key: "results", Value: "value"}})
	if m.Flat || len(m.Table) != 52 || !IsRule(m.Table[1]) {
		t.Fatalf("table of %d rows (flat %v)", len(m.Table), m.Flat)
	}
	if len(m.Symbols) != 50 || len(m.Strings) != 50 || len(m.Nested) != 50 {
		t.Fatalf("%d symbols, %d strings, %d lists, want 50 each", len(m.Symbols), len(m.Strings), len(m.Nested))
	}
}
