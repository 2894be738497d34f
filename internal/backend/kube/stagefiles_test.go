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
	a.Files = []engine.StagedFile{{Path: "big", Data: make([]byte, engine.MaxShippedFiles+1)}}
	if _, err := b.pod(a, "busybox", nil, "<<end>>"); err == nil || !strings.Contains(err.Error(), "over") {
		t.Fatalf("pod = %v, want a refusal over the bound", err)
	}
}
