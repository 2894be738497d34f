package org

import "testing"

// TestLinkPath: the path a :results file link shows, as
// org-babel-result-to-file makes it in a buffer visiting a file of the
// sender's directory (checked against Emacs in the plan's
// testdata/dirabs.org), and as the server knows it when that directory is
// not given.
func TestLinkPath(t *testing.T) {
	visit := Visit{Dir: "/home/u/notes", Home: "/home/u"}
	for _, c := range []struct {
		dir, file string
		visit     Visit
		want      string
	}{
		{"", "a.txt", visit, "a.txt"},
		{"", "/abs/a.txt", visit, "/abs/a.txt"},
		{"", "~/a.txt", visit, "~/a.txt"},
		{"sub", "a.txt", visit, "sub/a.txt"},
		{"sub", "../../a.txt", visit, "../a.txt"},
		{"sub", "/srv/a.txt", visit, "../../../srv/a.txt"},
		{"sub", "~/a.txt", visit, "../a.txt"},
		{"/srv/data", "a.txt", visit, "../../../srv/data/a.txt"},
		{"/home/u/notes/", "a.txt", visit, "a.txt"},
		{"/home/u/notes/deep/..", "a.txt", visit, "a.txt"},
		{"/home/u/notes/deep", "../a.txt", visit, "a.txt"},
		{"/home/u/notes/deep", "a.txt", visit, "deep/a.txt"},
		{"/home/u", "a.txt", visit, "../a.txt"},
		{"/", "a.txt", visit, "../../../a.txt"},
		{"~/w", "a.txt", visit, "../w/a.txt"},
		{"~", "a.txt", visit, "../a.txt"},
		{"/home/u/notes", "", visit, ""},
		{"/srv", "x/", visit, "../../../srv/x/"},
		// The document's directory as the link's directory.
		{"/srv", "/home/u/notes", visit, "."},
		{"/srv", "/home/u/notes/", visit, "./"},
		// Not known: the path as the server knows it.
		{"/srv/data", "a.txt", Visit{}, "/srv/data/a.txt"},
		{"~/w", "a.txt", Visit{Dir: "/home/u/notes"}, "~/w/a.txt"},
		{"sub", "~/a.txt", Visit{Dir: "/home/u/notes"}, "~/a.txt"},
		{"~other/w", "a.txt", visit, "~other/w/a.txt"},
	} {
		b := &Block{}
		if c.dir != "" {
			b.Args = Args{{Key: "dir", Value: c.dir}}
		}
		if got := linkPath(b, c.file, c.visit); got != c.want {
			t.Errorf(":dir %q :file %q in %+v: got %q, want %q", c.dir, c.file, c.visit, got, c.want)
		}
	}
}
