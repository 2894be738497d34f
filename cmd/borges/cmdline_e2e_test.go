package main

import (
	"testing"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
)

// cmdlineDoc has shell blocks ob-shell runs as "SHELL SCRIPT CMDLINE"
// through the shell: arguments, standard input, $0, a command line the
// shell reads (";"), standard error mixed in, a #! script.
const cmdlineDoc = `#+name: w
#+begin_src sh
echo hi there
#+end_src

#+begin_src sh :stdin w :cmdline a "b c" :results output
read x; echo "$x|$2|$#"
[ -f "$0" ] && echo "the script is a file"
#+end_src

#+begin_src bash :cmdline x; echo after :results output
echo "[$1]"; echo err >&2
#+end_src

#+begin_src sh :shebang "#!/bin/sh" :cmdline "p q" :stdin w :results output
echo "line $LINENO: $2"; cat
#+end_src
`

// TestCmdlineStdinBackends runs cmdlineDoc on the local backend and on
// Mesos (the fake master, whose agent runs the task's command as Mesos
// does): both documents are the one Emacs writes.
func TestCmdlineStdinBackends(t *testing.T) {
	t.Parallel()
	want := emacsRunner(t)(cmdlineDoc)
	local := startServer(t, t.TempDir())
	mesos, _ := startMesosServer(t, mesostest.AgentSpec{CPUs: 4, MemMB: 2048})
	for name, s := range map[string]*server{"local": local, "mesos": mesos} {
		v := s.submit(cmdlineDoc)
		until(t, name+": finished", func() bool { return s.doc(v.ID).State == engine.Finished })
		if _, got := s.get("/org/" + v.ID); got != want {
			t.Errorf("%s differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", name, want, got)
		}
	}
}
