package kube

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// kubeExpand is what a kubelet does to each word of a container's command
// and args before it runs them (Kubernetes's Container.args: "Variable
// references $(VAR_NAME) are expanded using the container's environment.
// If a variable cannot be resolved, the reference in the input string will
// be unchanged. Double $$ are reduced to a single $"): a $ followed by $
// is one $, $(NAME) with a closing ) is NAME's value when the container's
// env has it and is kept otherwise, a $ followed by anything else is kept
// with it, and a last $ is kept.
func kubeExpand(s string, env []corev1.EnvVar) string {
	vars := map[string]string{}
	for _, e := range env {
		vars[e.Name] = e.Value
	}
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			out.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			out.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				out.WriteString("$(")
				i++
				continue
			}
			name := s[i+2 : i+2+end]
			if v, ok := vars[name]; ok {
				out.WriteString(v)
			} else {
				out.WriteString("$(" + name + ")")
			}
			i += 2 + end
		default:
			out.WriteString(s[i : i+2])
			i++
		}
	}
	return out.String()
}

// kubeArgv is the program and arguments a kubelet runs for c: its command
// then its args, each word expanded as kubeExpand says.
func kubeArgv(c corev1.Container) []string {
	var argv []string
	for _, w := range append(append([]string{}, c.Command...), c.Args...) {
		argv = append(argv, kubeExpand(w, c.Env))
	}
	return argv
}

// TestKubeExpand: the test's kubelet expands as Kubernetes documents.
func TestKubeExpand(t *testing.T) {
	env := []corev1.EnvVar{{Name: "X", Value: "x"}}
	for in, want := range map[string]string{
		"$(X)": "x", "$$(X)": "$(X)", "$$$(X)": "$x", "$(Y)": "$(Y)", "$$": "$", "$": "$", "a$": "a$", "$a": "$a",
		"$(X": "$(X", "$((X))": "$((X))", "$(X)$(X)": "xx", "$$$$": "$$",
	} {
		if got := kubeExpand(in, env); got != want {
			t.Errorf("kubeExpand(%q) = %q, want %q", in, got, want)
		}
	}
}

// dollarScripts are blocks whose text a kubelet would change if Borges
// gave it as is.
var dollarScripts = []string{"echo $$", "cat /proc/$$/environ", "echo $(PORT0)", "echo $$(PORT0)", "echo $(NOSUCH)",
	"echo $", "echo a$", "$", "$$$(PORT0)$$", "echo $(( 1 + 2 ))", "x=$(GREETING)"}

// TestPodArgsExpanded: every word Borges puts in a pod's containers'
// commands and args (a block's pod's main and stderr containers, a session
// pod's) comes back byte for byte after a kubelet's expansion.
func TestPodArgsExpanded(t *testing.T) {
	b := offlineBackend(t, nil)
	for _, script := range dollarScripts {
		task := &plan.Task{Block: "b", Interpreter: []string{"sh", "-$(PORT0)"}, CmdLine: []string{"$(GREETING)", "$$"},
			Resources: plan.Resources{Ports: 1}, Container: &plan.Container{Image: "img"}}
		a := &engine.Attempt{ID: "d.0-b.0.1", DocID: "d", Block: "b", Number: 1, Task: task, Script: script,
			Env: map[string]string{"GREETING": "hi"}}
		pod, err := b.pod(a, "img", []int{31000}, "<<end>>")
		if err != nil {
			t.Fatal(err)
		}
		main := kubeArgv(pod.Spec.Containers[0])
		if got := strings.Join(main[4:], ""); got != script+"$(GREETING)$$" {
			t.Errorf("script %q: the main container runs %q", script, got)
		}
		if !strings.Contains(main[2], `exec 'sh' '-$(PORT0)' "$s/borges-script" "$@"`+"\n") {
			t.Errorf("script %q: the main container's script is %q", script, main[2])
		}
		if stderr := kubeArgv(pod.Spec.Containers[1]); !strings.Contains(stderr[2], "cat $f\nprintf '%s\\n' \"$BORGES_END\"\n") {
			t.Errorf("the stderr container's script is %q", stderr[2])
		}
		task.Session = &plan.Session{Name: "s", Key: "shell:s", Kind: string(session.Shell),
			Command: []string{"sh", "-c", script}}
		a.Session = "d/shell:s/1"
		sp, err := b.sessionPod(a, "img")
		if err != nil {
			t.Fatal(err)
		}
		argv := kubeArgv(sp.Spec.Containers[0])
		if got := argv[len(argv)-3:]; strings.Join(got, " ") != "sh -c "+script {
			t.Errorf("script %q: the session container runs %q", script, got)
		}
		if !strings.Contains(argv[2], `"$@"`) {
			t.Errorf("the session container's script is %q", argv[2])
		}
	}
}

// TestPodDollars: a block's text reaches its pod's program unchanged: $$
// is the shell's process, $(PORT0) a command substitution, not the port.
func TestPodDollars(t *testing.T) {
	b := offlineBackend(t, nil)
	task := &plan.Task{Block: "b", Interpreter: []string{"sh"}, Resources: plan.Resources{Ports: 1}, Container: &plan.Container{Image: "img"}}
	a := &engine.Attempt{ID: "d.0-b.0.1", DocID: "d", Block: "b", Number: 1, Task: task, Script: dollarBlock}
	pod, err := b.pod(a, "img", []int{31000}, "<<end>>")
	if err != nil {
		t.Fatal(err)
	}
	if got := runMainContainer(t, pod, nil); got != dollarOutput {
		t.Fatalf("output %q, want %q", got, dollarOutput)
	}
}

// dollarBlock prints dollarOutput only when the shell is given its text
// as written.
const dollarBlock = `echo "$$" | grep -q '^[0-9][0-9]*$' && echo pid-ok; echo '$(PORT0)' '$$(PORT0)' 'a$' '$$'`

const dollarOutput = "pid-ok\n$(PORT0) $$(PORT0) a$ $$\n"
