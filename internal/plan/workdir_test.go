package plan

import (
	"errors"
	"testing"
)

// TestWorkDir: a block's :dir on the host, as Emacs's default-directory,
// "~" the home given (the block's environment's HOME), asked only for a
// :dir that names it; with none, or one not absolute, "~" is refused
// rather than taken as a name beneath the sandbox or the root.
func TestWorkDir(t *testing.T) {
	noHome := errors.New("no home")
	for _, c := range []struct {
		d, home string
		err     error
		want    string // "" for an error
	}{
		{"", "/home/u", nil, "/sb"},
		{"~", "/home/u", nil, "/home/u"},
		{"~/x/y", "/home/u", nil, "/home/u/x/y"},
		{"/abs", "/home/u", nil, "/abs"},
		{"rel/x", "/home/u", nil, "/sb/rel/x"},
		{"~x", "/home/u", nil, "/sb/~x"},
		{"rel", "", noHome, "/sb/rel"}, // not asked
		{"", "", noHome, "/sb"},
		{"~", "", noHome, ""},
		{"~/x", "", noHome, ""},
		{"~", "", nil, ""},
		{"~/x", "rel", nil, ""},
	} {
		asked := false
		got, err := WorkDir("/sb", c.d, func() (string, error) { asked = true; return c.home, c.err })
		if got != c.want || (err != nil) != (c.want == "") {
			t.Errorf("WorkDir(%q, home %q, %v) = %q, %v, want %q", c.d, c.home, c.err, got, err, c.want)
		}
		if c.err != nil && c.want != "" && asked {
			t.Errorf("WorkDir(%q) asked for the home", c.d)
		}
	}
}
