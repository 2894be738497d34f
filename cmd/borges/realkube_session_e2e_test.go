package main

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/backend/kube"
	"github.com/wallyqs/borges/internal/backend/kube/realkube"
	"github.com/wallyqs/borges/internal/engine"
)

// testRealKubeSessions: a document's shell and Python sessions, through
// the binary on the real cluster with the README's Role, give the results
// document Emacs writes, byte for byte: one pod a session, reached through
// pods/attach. The sessions' blocks name an :image, which Emacs ignores:
// the Debian-like test image, with python3, and Debian's sh, whose
// prompts show in a few session results as Emacs's do (busybox's sh
// would show its working directory there); the block outside them runs in
// the default busybox image. Restarting a block of a session runs the session
// again in a new pod, to the same results; once the document has ended,
// no session pod is left. A Ruby document's sessions (irb, in the Ruby
// test image) give the results the local backend writes for the same
// document (where Ruby sessions are held to what Emacs wrote: the plan's
// testdata/session_ruby.emacs.org).
func testRealKubeSessions(t *testing.T, c *realkube.Cluster) {
	emacs := emacsSessionRunner(t)
	doc := strings.NewReplacer(":session py", ":session py :image "+realkube.PythonImage,
		":session sh1", ":session sh1 :image "+realkube.PythonImage).Replace(sessionE2EDoc)
	s, _ := startKubeServer(t, c)
	c.ImportPython()
	c.ImportRuby()
	v := s.submit(doc)
	// The Ruby document names its image on Kubernetes only: here :image
	// needs :dockerize t.
	withImage := strings.NewReplacer(":session rb", ":session rb :image "+realkube.RubyImage)
	rb := s.submit(withImage.Replace(rubySessionsDoc))
	local := startServer(t, t.TempDir())
	rbLocal := local.submit(rubySessionsDoc)
	t.Cleanup(func() {
		if t.Failed() {
			for _, b := range s.doc(v.ID).Blocks {
				_, out := s.get("/org/" + v.ID + "/blocks/" + b.Name + "/log?stream=stderr")
				t.Logf("%s: %+v\ntranscript: %q", b.Name, b.Instances, out)
			}
		}
	})
	untilLong(t, "the document ended on Kubernetes", func() bool { return s.doc(v.ID).State.Terminal() })
	if d := s.doc(v.ID); d.State != engine.Finished {
		t.Fatalf("document %s: %+v", d.State, d.Blocks)
	}
	want := resultsLikeEmacs(t, s, v.ID, doc, emacs, "borges on Kubernetes")
	sessionPods := func() int {
		n := 0
		for _, p := range docPods(t, c, v.ID) {
			if p.Labels[kube.LabelSession] != "" && p.DeletionTimestamp == nil {
				n++
			}
		}
		return n
	}
	untilLong(t, "the sessions' pods are deleted", func() bool { return sessionPods() == 0 })

	untilLong(t, "the Ruby document ended on Kubernetes", func() bool { return s.doc(rb.ID).State.Terminal() })
	untilLong(t, "the Ruby document ended here", func() bool { return local.doc(rbLocal.ID).State.Terminal() })
	if d := s.doc(rb.ID); d.State != engine.Finished {
		for _, b := range d.Blocks {
			_, out := s.get("/org/" + rb.ID + "/blocks/" + b.Name + "/log?stream=stderr")
			t.Logf("%s: %+v\ntranscript: %q", b.Name, b.Instances, out)
		}
		t.Fatalf("Ruby document %s: %+v", d.State, d.Blocks)
	}
	if d := local.doc(rbLocal.ID); d.State != engine.Finished {
		t.Fatalf("Ruby document here %s: %+v", d.State, d.Blocks)
	}
	_, rbGot := s.get("/org/" + rb.ID)
	_, rbWant := local.get("/org/" + rbLocal.ID)
	rbWant = withImage.Replace(rbWant)
	if rbGot != rbWant {
		t.Fatalf("the Ruby document differs from the local backend's:\n--- local\n%s\n--- borges on Kubernetes\n%s", rbWant, rbGot)
	}

	rerunSession(t, s, v.ID, untilLong)
	if b := blockOf(s.doc(v.ID), "outside"); b.Instances[0].Attempts != 1 {
		t.Errorf("a block outside the session ran again: %+v", b.Instances[0])
	}
	if _, got := s.get("/org/" + v.ID); got != want {
		t.Fatalf("after the restart, differs from Emacs:\n--- emacs\n%s\n--- borges on Kubernetes\n%s", want, got)
	}
	untilLong(t, "the session's new pod is deleted", func() bool { return sessionPods() == 0 })
}

// rubySessionsDoc has blocks of the plan's testdata/session_ruby.org (whose
// results Emacs wrote): values, a block outside the session feeding it,
// output, errors with irb's backtraces, and text that is not ASCII.
const rubySessionsDoc = `#+title: Ruby sessions

#+name: set
#+begin_src ruby :session rb
x = 5
#+end_src

#+name: out
#+begin_src sh
echo 7
#+end_src

#+name: use
#+begin_src ruby :session rb :var v=out
[[1, 2], [x, v], nil, [x * v, nil]]
#+end_src

#+begin_src ruby :session rb :results pp
{"a" => [1, 2], "b" => x}
#+end_src

#+begin_src ruby :session rb :results output
puts 1
raise "boom"
puts 2
#+end_src

#+begin_src ruby :session rb
a = 3
raise "bad"
#+end_src

#+begin_src ruby :session rb :results output
puts
puts "  indented"
puts ">> looks like a prompt"
print "no newline"
#+end_src

#+begin_src ruby :session rb
["é".bytesize, "é".length, "héllo"]
#+end_src
`
