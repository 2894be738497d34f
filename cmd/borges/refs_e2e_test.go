package main

import (
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// refsDoc takes values as Babel gives them: on standard input (:stdin),
// as arguments split by the shell (:cmdline), and indexed; two blocks
// have one name; a block is called with arguments, another's result
// goes through :post, a :results file block's :post gets the link, a
// block called with arguments gives its :post's result.
const refsDoc = `#+name: lines
#+begin_src sh
printf 'one\ntwo\nthree\n'
#+end_src

#+name: tbl
| a | 1 |
|---+---|
| b | 2 |

#+begin_src sh :stdin lines :results output
sort -r | head -n 2
#+end_src

#+begin_src bash :stdin tbl :cmdline 1 "2 3" :results output
echo "$# [$2]"
cat -A
#+end_src

#+begin_src sh :var x=tbl[2,1] :var l=lines[-1] :results output
echo "$x $l"
#+end_src

#+begin_src sh :stdin lines[0:1] :results output
wc -l
#+end_src

#+name: twice
#+begin_src sh
echo first
#+end_src

#+name: twice
#+begin_src sh
echo second
#+end_src

#+begin_src sh :var x=twice :results output
echo "got $x"
#+end_src

#+name: sq
#+begin_src sh :var n=2
echo $((n * n))
#+end_src

#+begin_src sh :var a=sq(n=7) :var b=sq(n=3) :noweb yes :results output
echo "$a $b <<sq(n=5)>>"
#+end_src

#+name: upcase
#+begin_src sh :var s="" :results output
echo "$s" | tr a-z A-Z
#+end_src

#+begin_src sh :post upcase(s=*this*) :results output
echo hello
#+end_src

#+begin_src sh :results file :file pf.txt :post upcase(s=*this*)
echo content
#+end_src

#+name: sqp
#+begin_src sh :var n=2 :post upcase(s=*this*)
echo "n$((n * n))"
#+end_src

#+begin_src sh :var a=sqp(n=3) :results output
echo "$a"
#+end_src
`

// TestReferencesAgainstEmacs runs refsDoc through the server (the local
// backend) and in Emacs: the documents must be equal.
func TestReferencesAgainstEmacs(t *testing.T) {
	t.Parallel()
	want := emacsRunner(t)(refsDoc)
	s := startServer(t, t.TempDir())
	v := s.submit(refsDoc)
	until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
	if _, got := s.get("/org/" + v.ID); got != want {
		t.Fatalf("differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
}

// postCacheDoc has a :cache yes block whose result goes through :post.
const postCacheDoc = `#+name: upcase
#+begin_src sh :var s="" :results output
echo "$s" | tr a-z A-Z
#+end_src

#+begin_src sh :cache yes :post upcase(s=*this*) :results output
echo hello
#+end_src
`

// TestPostCacheAgainstEmacs: the first run writes the post-processed
// result under the block's hash; the second leaves it as it is.
func TestPostCacheAgainstEmacs(t *testing.T) {
	t.Parallel()
	run := emacsRunner(t)
	first := run(postCacheDoc)
	second := run(first)
	s := startServer(t, t.TempDir())
	for i, c := range []struct{ text, want string }{{postCacheDoc, first}, {first, second}} {
		v := s.submit(c.text)
		until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
		if _, got := s.get("/org/" + v.ID); got != c.want {
			t.Fatalf("differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", c.want, got)
		}
		// The first time the :post runs once. The second time neither
		// the block nor its :post runs: a cached block whose hash is
		// current resolves no :post in Emacs, and Borges plans none.
		b := blockOf(s.doc(v.ID), "block-2 :post upcase(s=*this*)")
		switch {
		case i == 0 && (len(b.Instances) != 1 || b.Instances[0].Attempts != 1):
			t.Errorf("run 1: the :post task: %+v, want one run", b.Instances)
		case i == 1 && b.Name != "":
			t.Errorf("run 2: the :post task was planned: %+v", b)
		}
	}
}
