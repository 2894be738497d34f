package plan

import "testing"

// FuzzReadList: the reader of quoted list values ends, and without a
// panic, on any text (it once looped for ever on a newline).
func FuzzReadList(f *testing.F) {
	for _, s := range []string{"(1 2)", "(a\nb)", `("s" ?, ## \, x)`, "(1, 2)", "(a . b)", "(?\\( x)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		readList(s)
		parseLiteral(s)
	})
}
