package plan

import "testing"

// TestWorkDir: a block's :dir on the host, as Emacs's default-directory.
func TestWorkDir(t *testing.T) {
	t.Setenv("HOME", "/home/u")
	for _, c := range []struct{ d, want string }{
		{"", "/sb"},
		{"~", "/home/u"},
		{"~/x/y", "/home/u/x/y"},
		{"/abs", "/abs"},
		{"rel/x", "/sb/rel/x"},
		{"~x", "/sb/~x"},
	} {
		if got := WorkDir("/sb", c.d); got != c.want {
			t.Errorf("WorkDir(%q) = %q, want %q", c.d, got, c.want)
		}
	}
}
