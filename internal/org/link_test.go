package org

import "testing"

// TestReadLinkValue holds org-babel-read-link's readings to what Emacs
// 28.2 gave (expand-file-name in "/tmp/d/e/", HOME /root), the relative
// ones as paths in the document's directory.
func TestReadLinkValue(t *testing.T) {
	cases := []struct {
		link  string
		visit Visit
		kind  int
		want  string
	}{
		{"[[file:data.txt]]", Visit{}, ValueFileLink, "data.txt"},
		{"[[file:../../../../x]]", Visit{}, ValueFileLink, "../../../../x"},
		{"[[a//b]]", Visit{}, ValueFileLink, "a/b"},
		{"[[file:a/./b/]]", Visit{}, ValueFileLink, "a/b/"},
		{"[[a/..]]", Visit{}, ValueFileLink, "."},
		{"[[./]]", Visit{}, ValueFileLink, "./"},
		{"[[..]]", Visit{}, ValueFileLink, ".."},
		{"[[foo:bar]]", Visit{}, ValueFileLink, "foo:bar"},
		{"[[a:b/../c]]", Visit{}, ValueFileLink, "c"},
		{"[[#x]]", Visit{}, ValueFileLink, "#x"},
		{"[[file:data.txt::some words]]", Visit{}, ValueFileLink, "some words"},
		{"[[~nosuch/x]]", Visit{}, ValueUserLink, "~nosuch/x"},
		{"[[file:~root/../y]]", Visit{Home: "/root"}, ValueUserLink, "~root/../y"},
		{"[[~a b/x]]", Visit{}, ValueFileLink, "~a b/x"},
		{"[[~/x/../y]]", Visit{}, ValueHomeLink, "y"},
		{"[[~]]", Visit{}, ValueHomeLink, "."},
		{"[[~/]]", Visit{Home: "/root"}, valueString, "/root/"},
		{"[[~/x/../y]]", Visit{Home: "/root"}, valueString, "/root/y"},
		{"[[file:/a//~/b]]", Visit{}, valueString, "/a/~/b"},
		{"[[///a]]", Visit{}, valueString, "/a"},
		{"[[//a/b]]", Visit{}, valueString, "//a/b"},
		{"[[/./a/]]", Visit{}, valueString, "/a/"},
		{"[[/..]]", Visit{}, valueString, "/.."},
		{"[[file+sys:data.txt]]", Visit{}, valueString, "file+sys:data.txt"},
		{"[[FILE:data.txt]]", Visit{}, valueString, "FILE:data.txt"},
		{"[[HTTPS://orgmode.org]]", Visit{}, valueString, "HTTPS://orgmode.org"},
		{"[[elisp:(+ 1 2)][three]]", Visit{}, valueString, "elisp:(+ 1 2)"},
		{"[[attachment:pic.png]]", Visit{}, ValueFileLink, "attachment:pic.png"},
	}
	for _, c := range cases {
		v, ok := readLinkValue(c.link, c.visit)
		if !ok || v.kind != c.kind || v.str != c.want {
			t.Errorf("%s (home %q): kind %d %q, want kind %d %q", c.link, c.visit.Home, v.kind, v.str, c.kind, c.want)
		}
	}
}

// TestReadListBounded reads plain lists of odd shapes (ill-formed
// indentation, which sends Emacs into an endless recursion, items in
// blocks and drawers left open): each read ends.
func TestReadListBounded(t *testing.T) {
	for _, text := range []string{
		"#+name: l\n- a\n   - b\n  - c\n - d\n- e\n",
		"#+name: l\n- a\n  #+begin_example\n- b\n",
		"#+name: l\n- a\n  :drawer:\n- b\n",
		"#+name: l\n- a\n    - b\n  - c\n      - d\n   - e\n - f\n",
		"#+name: l\n-",
	} {
		doc, err := Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := doc.NamedData("l"); !ok || len(got.List) == 0 {
			t.Errorf("%q: %v %v", text, ok, got.List)
		}
	}
}
