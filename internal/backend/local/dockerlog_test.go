package local

import (
	"bytes"
	"errors"
	"testing"
)

// TestCatchUpWriter: a whole read of a stream adds only what follows the
// copy, whatever its chunks, and nothing when it does not begin with it.
func TestCatchUpWriter(t *testing.T) {
	for _, tc := range []struct {
		name, copied string
		whole        []string
		want         string
		err          error
	}{
		{"nothing copied", "", []string{"x"}, "x", nil},
		{"the missed end", "a\n", []string{"a\nb"}, "a\nb", nil},
		{"in chunks", "abc\n", []string{"a", "bc", "\nd", "e"}, "abc\nde", nil},
		{"nothing missed", "a\n", []string{"a\n"}, "a\n", nil},
		{"rotated away", "a\n", []string{"z\nb"}, "a\n", errNotAPrefix},
		{"shorter", "a\nb\n", []string{"b\n"}, "a\nb\n", nil},
	} {
		var file bytes.Buffer
		s := newFollowedStream(&file)
		s.Write([]byte(tc.copied))
		w := s.catchUp()
		var err error
		for _, chunk := range tc.whole {
			if _, err = w.Write([]byte(chunk)); err != nil {
				break
			}
		}
		if file.String() != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s: file %q, err %v; want %q, %v", tc.name, file.String(), err, tc.want, tc.err)
		}
	}
}
