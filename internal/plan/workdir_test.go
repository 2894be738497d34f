package plan

import "testing"

// TestWorkDir: a block's :dir on the host, as Emacs's default-directory,
// "~" the home given (the block's environment's HOME).
func TestWorkDir(t *testing.T) {
	for _, c := range []struct{ d, home, want string }{
		{"", "/home/u", "/sb"},
		{"~", "/home/u", "/home/u"},
		{"~/x/y", "/home/u", "/home/u/x/y"},
		{"/abs", "/home/u", "/abs"},
		{"rel/x", "/home/u", "/sb/rel/x"},
		{"~x", "/home/u", "/sb/~x"},
		{"~", "", "/sb/~"}, // no home known
	} {
		if got := WorkDir("/sb", c.d, c.home); got != c.want {
			t.Errorf("WorkDir(%q, home %q) = %q, want %q", c.d, c.home, got, c.want)
		}
	}
}
