package kube

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// TestPodPlacesFiles: the pod's command places the attempt's files in
// the sandbox (engine.PlaceStep) before the program runs, and files
// over what it carries refuse the pod.
func TestPodPlacesFiles(t *testing.T) {
	b := offlineBackend(t, nil)
	task := &plan.Task{Block: "r", Interpreter: []string{"sh"}, Container: &plan.Container{Image: "busybox"}}
	files := []engine.StagedFile{{Path: "sub/out.txt", Data: []byte("hello\n"), Mode: 0o600}}
	a := &engine.Attempt{ID: "d.0-r.0.1", DocID: "d", Block: "r", Number: 1, Task: task, Script: "cat sub/out.txt\n", Files: files}
	pod, err := b.pod(a, "busybox", nil, "<<end>>")
	if err != nil {
		t.Fatal(err)
	}
	step, _ := engine.PlaceStep(files)
	main := pod.Spec.Containers[0].Args[1]
	if i, j := strings.Index(main, step), strings.Index(main, "borges-script"); i < 0 || j < i {
		t.Fatalf("the main container's command does not place the files before the program:\n%s", main)
	}
	a.Files = []engine.StagedFile{{Path: "big", Data: make([]byte, engine.MaxShellArg+1)}}
	if _, err := b.pod(a, "busybox", nil, "<<end>>"); err == nil || !strings.Contains(err.Error(), "over") {
		t.Fatalf("pod = %v, want a refusal over the bound", err)
	}
}

// TestPodFilesWithCommandOverBound: files whose step fits alone but not
// in the pod's command with the rest of it refuse the pod.
func TestPodFilesWithCommandOverBound(t *testing.T) {
	b := offlineBackend(t, nil)
	task := &plan.Task{Block: "r", Interpreter: []string{"sh"}, Container: &plan.Container{Image: "busybox"}}
	step, err := engine.PlaceStep([]engine.StagedFile{{Path: "f", Data: []byte(strings.Repeat("'", 1<<10)), Mode: 0o644}})
	if err != nil {
		t.Fatal(err)
	}
	n := (engine.MaxShellArg - len(step)) / 5
	files := []engine.StagedFile{{Path: "f", Data: []byte(strings.Repeat("'", 1<<10+n)), Mode: 0o644}}
	if step, err := engine.PlaceStep(files); err != nil {
		t.Fatalf("%d: %v", len(step), err)
	}
	a := &engine.Attempt{ID: "d.0-r.0.1", DocID: "d", Block: "r", Number: 1, Task: task, Script: "cat f\n", Files: files}
	if _, err := b.pod(a, "busybox", nil, "<<end>>"); err == nil || !strings.Contains(err.Error(), "argument") {
		t.Fatalf("pod = %v, want a refusal over one argument", err)
	}
}
