package mesos

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/wallyqs/borges/internal/backend/mesos/executor"
	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// TestStagedFilesOnMesos: a block reading the :file an
// earlier :results file block wrote finds it in its sandbox on the agent,
// with its :file-mode, as in Emacs (the files ride in the task's
// command: engine.PlaceStep).
func TestStagedFilesOnMesos(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir())
	defer b.stop()
	// :output-dir makes sub (Babel does): a :file in a directory nothing
	// made stops the document, as Emacs stops (plan.FileDirStopPrefix).
	doc := "#+begin_src sh :results file :output-dir sub :file out.txt :file-mode (identity #o600)\nprintf 'it'\"'\"'s\\n'\n#+end_src\n\n" +
		"#+name: r\n#+begin_src sh :results output\ncat sub/out.txt; stat -c %a sub/out.txt\n#+end_src\n"
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "r ended", func() bool { return blockState(t, b.eng, v.ID, "r").State.Terminal() })
	res, _ := b.eng.ResultDocument(context.Background(), v.ID)
	if !strings.Contains(res, "#+RESULTS: r\n: it's\n: 600\n") {
		t.Fatalf("results:\n%s", res)
	}
}

// TestStagedFilesOverMesosBound: files over what a Mesos command
// carries refuse the launch, saying so.
func TestStagedFilesOverMesosBound(t *testing.T) {
	a := &engine.Attempt{ID: "d.1-b.0.1", Files: []engine.StagedFile{{Path: "big", Data: make([]byte, engine.MaxShellArg+1)}}}
	var bk Backend
	if err := bk.Launch(context.Background(), a); err == nil || !strings.Contains(err.Error(), "over") {
		t.Fatalf("Launch = %v, want a refusal over the bound", err)
	}
}

// TestStagedFilesWithProgramOverMesosBound: files whose step fits but
// not with the program in the one command refuse the launch.
func TestStagedFilesWithProgramOverMesosBound(t *testing.T) {
	files := []engine.StagedFile{{Path: "f", Data: []byte(strings.Repeat("'", 20<<10)), Mode: 0o644}}
	if _, err := engine.PlaceStep(files); err != nil {
		t.Fatal(err)
	}
	a := &engine.Attempt{ID: "d.1-b.0.1", Task: &plan.Task{Block: "b"}, Script: strings.Repeat("echo x\n", 5<<10), Files: files}
	var bk Backend
	if err := bk.Launch(context.Background(), a); err == nil || !strings.Contains(err.Error(), "argument") {
		t.Fatalf("Launch = %v, want a refusal over one argument", err)
	}
}

// TestMesosDir: a block's :dir is its working directory on the agent, as
// on the local and Kubernetes backends (made if missing, relative to the
// sandbox); a reader under :dir finds the file a writer put there. p
// asks Babel to make it (:mkdirp): a first block whose :dir nothing made
// stops Emacs before it runs (plan.DirStopPrefix).
func TestMesosDir(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir())
	defer b.stop()
	doc := "#+name: p\n#+begin_src sh :results output :dir sub :mkdirp yes\nbasename \"$PWD\"\n#+end_src\n\n" +
		"#+begin_src sh :results file :file sub/out.txt\necho staged\n#+end_src\n\n" +
		"#+name: r\n#+begin_src sh :results output :dir sub\ncat out.txt\n#+end_src\n"
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "p and r ended", func() bool {
		return blockState(t, b.eng, v.ID, "p").State.Terminal() && blockState(t, b.eng, v.ID, "r").State.Terminal()
	})
	res, _ := b.eng.ResultDocument(context.Background(), v.ID)
	if !strings.Contains(res, "#+RESULTS: p\n: sub\n") || !strings.Contains(res, "#+RESULTS: r\n: staged\n") {
		t.Fatalf("results:\n%s", res)
	}
}

// TestShippedDirOnExecutor: a block shipped onto Borges' executor makes
// no :dir by its path in its shell (mkdir -p would follow a link a task
// left in its sandbox): its :dir travels in its labels for the executor
// to open, and its shell enters the directory opened; a command
// executor's shell still makes and enters it.
func TestShippedDirOnExecutor(t *testing.T) {
	a := &engine.Attempt{ID: "d.1-b.0.1", Block: "b", Task: &plan.Task{Block: "b", Dir: "x/new"}, Script: "pwd"}
	onEx := shipScript(a, false, true)
	if strings.Contains(onEx, "mkdir") || !strings.Contains(onEx, executor.WorkDirStep) {
		t.Errorf("onto the executor: %q, want its :dir entered as the executor opened it", onEx)
	}
	var dir string
	for _, l := range executorLabels(a).GetLabels() {
		if l.Key == executor.WorkDirLabel {
			dir = l.GetValue()
		}
	}
	if dir != "x/new" {
		t.Errorf("the executor is told the :dir %q, want x/new", dir)
	}
	if cmd := shipScript(a, true, false); !strings.Contains(cmd, "mkdir -p ") || strings.Contains(cmd, executor.WorkDirStep) {
		t.Errorf("on a command executor: %q, want its :dir made and entered by its shell", cmd)
	}
}

// TestMesosSessionDir: on Borges' executor a session's interpreter
// starts in its first block's :dir, made if missing, beneath the sandbox,
// as the local backend starts it (byte for byte the local results); a
// block of no session runs in its :dir as well, opened by the executor
// (executor.WorkDirLabel) and entered by its shell (executor.WorkDirStep),
// $PWD its path.
func TestMesosSessionDir(t *testing.T) {
	doc := "#+name: a\n#+begin_src sh :session s :results output :dir sub/deeper\nbasename \"$PWD\"\n#+end_src\n\n" +
		"#+name: b\n#+begin_src sh :session s :results output\nbasename \"$(dirname \"$PWD\")\"\n#+end_src\n\n" +
		"#+name: c\n#+begin_src sh :results output :dir sub/deeper\necho \"$(basename \"$(dirname \"$PWD\")\")/$(basename \"$PWD\")\"\n#+end_src\n"
	_, _, got := likeLocallyOnExecutor(t, doc)
	if !strings.Contains(got, ": deeper\n\n#+name: b") || !strings.Contains(got, "#+RESULTS: b\n: sub\n") ||
		!strings.Contains(got, "#+RESULTS: c\n: sub/deeper\n") {
		t.Fatalf("results:\n%s", got)
	}
}

// TestMesosSessionDirHome: a session's :dir ~ is the home directory, on
// the executor as locally (plan.WorkDir), as Emacs's default-directory
// "~" is: not a directory named "~" in the sandbox.
func TestMesosSessionDirHome(t *testing.T) {
	doc := "#+name: a\n#+begin_src sh :session s :results output :dir ~\n[ \"$PWD\" = \"$(cd ~ && pwd)\" ] && echo home || echo elsewhere\n#+end_src\n"
	_, _, got := likeLocallyOnExecutor(t, doc)
	if !strings.Contains(got, ": home\n") {
		t.Fatalf("results:\n%s", got)
	}
}

// TestShippedCommandBuiltOnce: a launch's command is built once, guarded
// for a command executor and not for Borges' executor (which finds the
// task's processes itself), the files' step in it once.
func TestShippedCommandBuiltOnce(t *testing.T) {
	files := []engine.StagedFile{{Path: "sub/f", Data: []byte("x"), Mode: 0o644}}
	a := &engine.Attempt{ID: "d.1-b.0.1", Block: "b", Task: &plan.Task{Block: "b"}, Script: "cat sub/f", Files: files}
	b, _ := New(Config{Master: "127.0.0.1:5050", Executor: "/bin/borges-executor"})
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	place, _ := engine.PlaceStep(files)
	for _, guard := range []bool{true, false} {
		cmd := b.shippedTaskInfo(a, mesoslib.Offer{AgentID: mesoslib.AgentID{Value: "S0"}}, nil, guard, false).Command.GetValue()
		if got := strings.Count(cmd, "; export "+EnvMesosTask+"\n"); got != map[bool]int{true: 1, false: 0}[guard] {
			t.Errorf("guard %v: %d guards in %q", guard, got, cmd)
		}
		if strings.Count(cmd, place) != 1 || !strings.HasSuffix(cmd, "exec ./borges-script") {
			t.Errorf("guard %v: command %q, want the files' step once", guard, cmd)
		}
	}
	if cmd := b.taskInfo(a, mesoslib.Offer{}, nil).Command.GetValue(); !strings.Contains(cmd, "; export "+EnvMesosTask+"\n") {
		t.Errorf("taskInfo outside a container: %q, want guarded", cmd)
	}
}

// TestFilesStepMadeOncePerLaunch: each attempt's files' step is made once
// at Launch (the bound it checks) and once for the command its offer
// ships on Borges' executor, and for a session's block (whose program
// travels in its data) only at Launch: counted through placeStep.
func TestFilesStepMadeOncePerLaunch(t *testing.T) {
	var mu sync.Mutex
	made := map[string]int{}
	was := placeStep
	placeStep = func(a *engine.Attempt) (string, error) {
		mu.Lock()
		made[a.Block]++
		mu.Unlock()
		return was(a)
	}
	t.Cleanup(func() { placeStep = was })
	doc := "#+name: w\n#+begin_src sh :results file :output-dir sub :file out.txt\necho staged\n#+end_src\n\n" +
		"#+name: r\n#+begin_src sh :results output\ncat sub/out.txt\n#+end_src\n\n" +
		"#+name: s\n#+begin_src sh :session s :results output\necho in\n#+end_src\n"
	likeLocallyOnExecutor(t, doc)
	mu.Lock()
	defer mu.Unlock()
	if want := map[string]int{"w": 2, "r": 2, "s": 1}; !reflect.DeepEqual(made, want) {
		t.Errorf("files' steps made per block %v, want %v", made, want)
	}
}
