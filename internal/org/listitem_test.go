package org

import "testing"

// TestListItem holds listItemText and listItemLines to what Emacs 28.2
// (Org 9.5.5) wrote for an item of a list result under :results list
// (org-list-to-generic): the item's text after its "- ".
func TestListItem(t *testing.T) {
	cases := []struct{ item, want string }{
		{"\nb", "b"},
		{"[ ]\nb", "b"},
		{"t ::\nb", "tb"},
		{"a\n- [ ]\n  b", "a\n- b"},
		{"a\n-\n  b", "a\n- b"},
		{"[X]\n\nb", "b"},
		{"a\n- t ::\n  b", "a\n- tb"},
		{"a\n  b\n    c", "a\nb\n  c"},
		{"a\n#+begin_example\nx\n#+end_example", "a\n#+begin_example\n  x\n#+end_example"},
		{"a\n  b\n\n   c\n     e", "a\nb\n\nc\n  e"},
		{"a\n    b\n  c", "a\n  b\nc"},
		{"a\n#+BEGIN_EXAMPLE\n    x\n      y\n#+END_EXAMPLE\n  z", "a\n#+begin_example\n  x\n    y\n#+end_example\nz"},
		{"a\n#+begin_src sh\n  echo 1\n    echo 2\n#+end_src", "a\n#+begin_src sh\n  echo 1\n    echo 2\n#+end_src"},
		{"a\n- x\n    y\n  z\nw", "a\n- x\n  y\nz\nw"},
		{"a\n  #+begin_example\n  x\n\n  y\n  #+end_example", "a\n#+begin_example\n  x\n\n  y\n#+end_example"},
	}
	for _, c := range cases {
		if got, ended := listItemLines(listItemText(c.item)); got != c.want || ended {
			t.Errorf("item %q: %q (ended %v), want %q", c.item, got, ended, c.want)
		}
	}
}
