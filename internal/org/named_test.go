package org

import "testing"

func TestNamedData(t *testing.T) {
	text := `#+begin_example
#+name: hidden
| not | data |
#+end_example

* COMMENT skipped
#+name: t
| from | comment |

* Real
#+name: t
| a | b |
|---+---|
| 1 | 2 |

#+name: blk
#+begin_src sh
echo
#+end_src

#+name: l
- one
  more text
- 2
  - nested

#+name: ex
#+begin_example
  x
  y
#+end_example
`
	doc, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, _, ok := doc.NamedData("hidden"); ok {
		t.Error("a #+name: inside an example block names nothing")
	}
	if _, _, _, _, ok := doc.NamedData("blk"); ok {
		t.Error("a source block is not data")
	}
	kind, _, table, _, ok := doc.NamedData("t")
	if !ok || kind != ValueTable || len(table) != 3 || table[0][0] != "a" || !IsRule(table[1]) || table[2][1] != "2" {
		t.Errorf("t: %v %v %v", ok, kind, table)
	}
	if _, _, _, list, ok := doc.NamedData("l"); !ok || len(list) != 2 || list[0].Text != "one\nmore text" || list[0].Parts != nil || list[1].Text != "2" ||
		len(list[1].Parts) != 1 || list[1].Parts[0].Kind != "unordered" || len(list[1].Parts[0].Items) != 1 || list[1].Parts[0].Items[0].Text != "nested" {
		t.Errorf("l: %v %q", ok, list)
	}
	if _, s, _, _, ok := doc.NamedData("ex"); !ok || s != "x\ny\n" {
		t.Errorf("ex: %v %q", ok, s)
	}
}
