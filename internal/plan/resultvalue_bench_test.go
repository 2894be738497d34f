package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// BenchmarkResultValue is the value a :var receives of a Python block
// that returned a table of 2,000 rows (numbers, strings reading as
// numbers, lists and symbols in its cells), with a rule under its first
// row and without: the output read once for the value and its marks.
func BenchmarkResultValue(b *testing.B) {
	for _, c := range []struct{ name, head string }{
		{"plain", "[['n', 's', 'l', 'b']"},
		{"ruled", "[['n', 's', 'l', 'b'], None"},
	} {
		var s strings.Builder
		s.WriteString(c.head)
		for i := 0; i < 2000; i++ {
			fmt.Fprintf(&s, ", [%d, '%03d', [%d, 'x'], True]", i, i%1000, i)
		}
		s.WriteString("]")
		out := s.String()
		t := &Task{Reader: org.ReadPython, Results: "value"}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_ = ResultValue(t, out)
			}
		})
	}
}
