package plan

import (
	"errors"
	"strings"
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

// TestWorkDirUserHome: a :dir "~NAME" or "~NAME/…" is that user's home
// in the password database, as Emacs's expand-file-name takes it
// (getpwnam); for no such user, or a name no user can have, the name
// beneath the sandbox, as Emacs leaves it relative to its directory; a
// database that fails, or gives a home not absolute, is refused with
// the :dir rather than guessed (review F4).
func TestWorkDirUserHome(t *testing.T) {
	broken := errors.New("database down")
	homes := map[string]string{"daemon": "/usr/sbin", "odd": "rel", "broken": ""}
	old := userHome
	t.Cleanup(func() { userHome = old })
	userHome = func(name string) (string, bool, error) {
		if name == "broken" {
			return "", false, broken
		}
		h, ok := homes[name]
		return h, ok, nil
	}
	for _, c := range []struct{ d, want string }{
		{"~daemon", "/usr/sbin"},
		{"~daemon/a/b", "/usr/sbin/a/b"},
		{"~daemon/", "/usr/sbin"},
		{"~nobody-here/a", "/sb/~nobody-here/a"},
		{"~x y/a", "/sb/~x y/a"},
		{"~odd/a", ""},
		{"~broken/a", ""},
	} {
		got, err := WorkDir("/sb", c.d, func() (string, error) { return "", errors.New("~ alone not asked") })
		if got != c.want || (err != nil) != (c.want == "") {
			t.Errorf("WorkDir(%q) = %q, %v; want %q", c.d, got, err, c.want)
		}
		if err != nil && !strings.Contains(err.Error(), c.d[:strings.IndexAny(c.d+"/", "/")]) {
			t.Errorf("WorkDir(%q): %v does not name the user", c.d, err)
		}
	}
}
