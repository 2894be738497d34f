package taskenv

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func TestPorts(t *testing.T) {
	if got := Ports([]int(nil)); got != nil {
		t.Fatalf("no ports: %v", got)
	}
	want := []Var{{"PORT0", "31000"}, {"PORT1", "31002"}, {"PORTS", "31000,31002"}}
	if got := Ports([]int{31000, 31002}); !slices.Equal(got, want) {
		t.Fatalf("Ports(int) = %v, want %v", got, want)
	}
	if got := Ports([]uint64{31000, 31002}); !slices.Equal(got, want) {
		t.Fatalf("Ports(uint64) = %v, want %v", got, want)
	}
	if s := want[2].String(); s != "PORTS=31000,31002" {
		t.Fatalf("String = %q", s)
	}
	for _, v := range want {
		if !IsPort(v.Name, 2) {
			t.Errorf("IsPort(%s, 2) = false", v.Name)
		}
	}
	for _, name := range []string{"PORT2", "PORT", "PORT01", "PORT-1", "PORTSX", "port0", "HOME"} {
		if IsPort(name, 2) {
			t.Errorf("IsPort(%s, 2) = true", name)
		}
	}
	if IsPort("PORT0", 0) || IsPort("PORTS", 0) {
		t.Error("a program of no ports has no port variables")
	}
}

func TestShellName(t *testing.T) {
	for _, name := range []string{"FOO", "_x", "a1_B2"} {
		if !ShellName(name) {
			t.Errorf("ShellName(%q) = false", name)
		}
	}
	for _, name := range []string{"", "A-B", "1X", "A.B", "A B", "É"} {
		if ShellName(name) {
			t.Errorf("ShellName(%q) = true", name)
		}
	}
}

// TestExecStep runs the step in the machine's sh: the variables it
// names are gone from the program it runs, PATH too (the program is found
// all the same), the others stay.
func TestExecStep(t *testing.T) {
	if step, left := ExecStep(nil); step != `exec "$@"` || left != nil {
		t.Fatalf("nothing to remove: %q %v", step, left)
	}
	step, left := ExecStep([]string{"GONE", "A-B", "ALSO_GONE", "1X"})
	if step != "unset GONE ALSO_GONE\nexec \"$@\"" || !slices.Equal(left, []string{"A-B", "1X"}) {
		t.Fatalf("ExecStep = %q, %v", step, left)
	}
	for _, names := range [][]string{{"GONE", "ALSO_GONE"}, {"GONE", "PATH", "ALSO_GONE"}} {
		step, _ := ExecStep(names)
		cmd := exec.Command("/bin/sh", "-c", step, "sh", "env", "-0")
		cmd.Env = []string{"PATH=/usr/bin:/bin", "GONE=1", "ALSO_GONE=2", "KEPT=3"}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%q: %v", step, err)
		}
		var got []string
		for _, kv := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
			name, _, _ := strings.Cut(kv, "=")
			got = append(got, name)
		}
		for _, name := range names {
			if slices.Contains(got, name) {
				t.Errorf("%q: %s is in the environment %q", step, name, got)
			}
		}
		if !slices.Contains(got, "KEPT") || slices.Contains(got, "borges_run") {
			t.Errorf("%q: environment %q", step, got)
		}
	}
}

func TestWithout(t *testing.T) {
	env := []string{"A=1", "A-B=2", "AB=3", "1X=4"}
	got := Without(env, []string{"A-B", "1X", "A"})
	if !slices.Equal(got, []string{"AB=3"}) {
		t.Fatalf("Without = %q", got)
	}
	if env[0] != "A=1" || len(env) != 4 {
		t.Fatalf("Without changed its argument: %q", env)
	}
	if got := Without(env, nil); !slices.Equal(got, env) {
		t.Fatalf("Without nothing = %q", got)
	}
}
