package plan

import (
	"strings"
	"testing"
)

// TestSessionsOutsideContainers: a backend that keeps sessions only for
// blocks outside containers (Mesos with Borges' executor) keeps a plain
// block's :session, and runs a :dockerize block of a session as its own
// process, saying why; the session's other blocks are not held to its
// container.
func TestSessionsOutsideContainers(t *testing.T) {
	limits := machine
	limits.NoContainerSessions = "Mesos runs a block in a container as a task of its own"
	doc := "#+name: plain\n#+begin_src sh :session s\nx=1\n#+end_src\n\n" +
		"#+name: boxed\n#+begin_src sh :session s :dockerize t :image debian:12\necho $x\n#+end_src\n\n" +
		"#+name: later\n#+begin_src sh :session s\necho $x\n#+end_src\n"
	p, err := Build(mustParse(t, doc), limits, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	plain, boxed, later := p.Tasks[0], p.Tasks[1], p.Tasks[2]
	if plain.Session == nil || len(plain.Notes) != 0 {
		t.Errorf("plain: session %+v, notes %q", plain.Session, plain.Notes)
	}
	if boxed.Session != nil || len(boxed.Notes) != 1 || !strings.Contains(boxed.Notes[0], "in a container as a task of its own") {
		t.Errorf("boxed: session %+v, notes %q", boxed.Session, boxed.Notes)
	}
	if later.Session == nil || later.Session.Key != plain.Session.Key || len(later.After) != 1 || later.After[0] != "plain" {
		t.Errorf("later: session %+v, after %q", later.Session, later.After)
	}
}
