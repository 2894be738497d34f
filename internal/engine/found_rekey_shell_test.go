package engine

import "testing"

// rekeyShellDoc has two shell blocks, each printing a shell block its raw
// results hold, each with text right after it. Emacs 28.2 writes
// rekeyShellWant for it.
const rekeyShellDoc = "#+begin_src sh :results raw\nprintf '\\043+begin_src sh\\necho A\\n\\043+end_src\\n'\n#+end_src\nText A.\n\n" +
	"#+begin_src sh :results raw\nprintf '\\043+begin_src sh\\necho B\\n\\043+end_src\\n'\n#+end_src\nText B.\n"

const rekeyShellWant = "#+begin_src sh :results raw\nprintf '\\043+begin_src sh\\necho A\\n\\043+end_src\\n'\n#+end_src\n\n" +
	"#+RESULTS:\n#+begin_src sh\necho A\n#+end_src\n\n#+RESULTS:\n: A\n\nText A.\n\n" +
	"#+begin_src sh :results raw\nprintf '\\043+begin_src sh\\necho B\\n\\043+end_src\\n'\n#+end_src\n\n" +
	"#+RESULTS:\n#+begin_src sh\necho B\n#+end_src\n\n#+RESULTS:\n: B\n\nText B.\n"

// TestFoundRekeyShellFinished: the later owner and the shell block found
// in its results finish before the earlier owner ends; the block then
// found in the earlier owner's results is keyed before it, and the
// finished block is neither run again nor written twice.
func TestFoundRekeyShellFinished(t *testing.T) {
	_, rb, e, _, id := laterFoundFinished(t)
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "block-1-found-1", 1), "A\n")
	finishedAs(t, e, fb, id, rekeyShellWant, 4)
}

// laterFoundFinished submits rekeyShellDoc to a new engine storing in a
// new directory and has the later owner, the block found in its results,
// then the earlier owner finish; it returns as submitOnDisk does.
func laterFoundFinished(t *testing.T) (string, *reportBackend, *Engine, func(), string) {
	t.Helper()
	dir, rb, e, stop, id := submitOnDisk(t, rekeyShellDoc)
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "block-2", 1), srcEcho("B"))
	finishLaunch(fb, launchOf(t, fb, "block-2-found-1", 1), "B\n")
	waitStored(t, e, id, "block-2-found-1", Finished)
	finishLaunch(fb, launchOf(t, fb, "block-1", 1), srcEcho("A"))
	return dir, rb, e, stop, id
}

// TestFoundRekeyShellRunning: the shell block found in the later owner's
// results is still running when the earlier owner ends and a block is
// found in its results: the running attempt is kept and finishes once.
func TestFoundRekeyShellRunning(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, rekeyShellDoc)
	fb := rb.fakeBackend
	finishLaunch(fb, launchOf(t, fb, "block-2", 1), srcEcho("B"))
	running := launchOf(t, fb, "block-2-found-1", 1)
	finishLaunch(fb, launchOf(t, fb, "block-1", 1), srcEcho("A"))
	earlier := launchOf(t, fb, "block-1-found-1", 1)
	finishLaunch(fb, running, "B\n")
	finishLaunch(fb, earlier, "A\n")
	finishedAs(t, e, fb, id, rekeyShellWant, 4)
}

// TestFoundRekeyShellFinishedRestart: as TestFoundRekeyShellFinished,
// the server started again while the block found in the earlier owner's
// results runs: the new server keeps its attempt, and nothing runs twice.
func TestFoundRekeyShellFinishedRestart(t *testing.T) {
	dir, rb, _, stop, id := laterFoundFinished(t)
	fb := rb.fakeBackend
	earlier := launchOf(t, fb, "block-1-found-1", 1)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	finishLaunch(fb, earlier, "A\n")
	finishedAs(t, e2, fb, id, rekeyShellWant, 4)
}
