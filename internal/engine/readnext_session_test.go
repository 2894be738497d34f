package engine

import "testing"

// readNextSessionDoc: the writer writes nothing over the data block user
// reads, whose next element of that name is a block of session s, after
// block first of that session, which refers to the reader (plan
// testdata readfix_next_session_after.org). Emacs runs block data
// within the reader's evaluation, before block first: no recursion.
const readNextSessionDoc = writerOverData +
	"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n" +
	"#+name: first\n#+begin_src sh :session s :var y=user :results output\necho \"first [$y]\"\n#+end_src\n\n" +
	"#+name: data\n#+begin_src sh :session s :results output\necho later\n#+end_src\n"

// TestReadNextSessionAfterReferrer: Borges takes the document (no
// "Variable binding depth exceeds max-specpdl-size": the way back from
// block data to the reader is the order of its session, not a
// reference Babel resolves) and runs it as Emacs does: block data, run
// for the reader's reference, goes to the session before block first,
// which waits for the reader; the document ends with every block run.
func TestReadNextSessionAfterReferrer(t *testing.T) {
	e, rb, id := submitToReport(t, readNextSessionDoc)
	endLaunch(t, rb, "block-1", 1, "", Finished)
	endLaunch(t, rb, "data", 1, "later\n", Finished)
	userBinds(t, rb, "later")
	endLaunch(t, rb, "first", 1, "first [[later]]\n", Finished)
	d := waitDocumentEnded(t, e, id)
	noStop(t, d)
	for _, b := range d.Blocks {
		for _, in := range b.Instances {
			if in.State != Finished {
				t.Errorf("%s: %s %q", b.Name, in.State, in.Message)
			}
		}
	}
}
