package engine

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestShellWorkDirStepHome: a :dir naming ~ where a backend goes to it
// through a shell (Mesos command executor and containers, Kubernetes):
// HOME as the shell has it, and where it is unset, empty or relative the
// shell refuses with a message naming the :dir, as taskenv.Home does on
// the local backend and the Borges executor, rather than going to the
// file system's root ("$HOME"/x is /x) or a name under the sandbox
// (review F3).
func TestShellWorkDirStepHome(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	sandbox := t.TempDir()
	home := filepath.Join(t.TempDir(), "my home")
	for _, c := range []struct {
		name, dir string
		env       []string // HOME's part
		want      string   // "" for a refusal
	}{
		{"set", "~/x", []string{"HOME=" + home}, filepath.Join(home, "x")},
		{"set, bare", "~", []string{"HOME=" + home}, home},
		{"unset", "~/x", nil, ""},
		{"empty", "~/x", []string{"HOME="}, ""},
		{"relative", "~/x", []string{"HOME=rel"}, ""},
		{"no ~, HOME unset", "x", nil, filepath.Join(sandbox, "x")},
	} {
		script := "cd " + ShellQuote(sandbox) + " || exit 2\n" + ShellWorkDirStep(ShellQuote(sandbox), c.dir) + "pwd\n"
		cmd := exec.Command(sh, "-c", script)
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, c.env...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		got := strings.TrimSuffix(string(out), "\n")
		if c.want != "" {
			if err != nil || got != c.want {
				t.Errorf("%s: in %q, %v (%s); want %q", c.name, got, err, stderr.String(), c.want)
			}
			continue
		}
		if err == nil || got != "" || !strings.Contains(stderr.String(), ":dir "+c.dir) || !strings.Contains(stderr.String(), "HOME") {
			t.Errorf("%s: in %q, %v, said %q; want a refusal naming :dir %s and HOME", c.name, got, err, stderr.String(), c.dir)
		}
	}
}
