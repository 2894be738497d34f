package local

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/proclist"
	"github.com/wallyqs/borges/internal/proctest"
)

func TestPlainScript(t *testing.T) {
	for _, tc := range []struct {
		script string
		plain  bool
	}{
		{"", true},
		{"echo block 1", true},
		{"echo block 1\n", true},
		{"  echo a\n\n\t# a comment: it's $(not) run; exit\nprintf '%s\\n' 'a $b' \"c d\"\n/bin/true x=1 {a} ! * ~\n", true},
		{"echo 'one\nexit 3' \"two\nthree\"\nfalse", true}, // quoted lines hold no command
		{"echo a#b", true},
		{"./run-me arg", true},

		{"exit 3", false},
		{"echo a\nset -e", false},
		{"trap 'echo bye' EXIT", false},
		{"exec sleep 1", false},
		{"cd /", false},
		{". ./lib", false},
		{"X=1", false},
		{"X=1 env", false},
		{"read x", false},
		{"ulimit -f 0", false},
		{"if true\nthen echo a\nfi", false},
		{"while true\ndo echo a\ndone", false},
		{"{ echo a\n}", false},
		{"! false", false},
		{"echo $HOME", false},
		{"echo \"$HOME\"", false},
		{"echo `date`", false},
		{"echo a \\\nexit 3", false}, // a continued line
		{"echo a; exit 3", false},
		{"echo a && exit 3", false},
		{"echo a | cat", false},
		{"sleep 1 &", false},
		{"echo a > f", false},
		{"cat < f", false},
		{"(exit 3)", false},
		{"f() { exit 3; }", false},
		{"'exit' 3", false},
		{"\"exit\" 3", false},
		{"e?it 3", false},
		{"~/bin/x", false},
		{"[ -e f ]", false},
		{"echo 'open", false},
		{"echo \"open", false},
		// A quote in a comment opens nothing: the line after is a command.
		{"echo a # it's\nexit 3\necho b # don't", false},
		{"# it's\nexit 3\n# don't", false},
		{"echo a\x00", false},
		{strings.Repeat("echo a\n", maxInline/7+1), false},
	} {
		if got := plainScript(tc.script); got != tc.plain {
			t.Errorf("plainScript(%q) = %v, want %v", tc.script, got, tc.plain)
		}
	}
}

// TestPlainScriptInWrapper: a plain script runs in its wrapper's own
// shell (its command the wrapper's child, no subshell between), after its
// gate, with its own line numbers, its status in the exit log.
func TestPlainScriptInWrapper(t *testing.T) {
	dir := t.TempDir()
	b, r := newBackendConfig(t, Config{DataDir: dir, KillGrace: 2 * time.Second, CgroupParent: "-"})
	m := proctest.Marker(t)
	a := attempt("echo 'one\ntwo'\nborges-no-such-command\nsleep "+m, nil)
	let, wrapper := launchHeld(t, b, a, m)
	let()
	sleeps := proctest.WithMarker(m)
	data, err := os.ReadFile("/proc/" + strconv.Itoa(sleeps[0]) + "/stat")
	if err != nil {
		t.Fatal(err)
	}
	if f := proclist.StatFields(data); len(f) < 2 || f[1] != strconv.Itoa(wrapper) {
		t.Fatalf("the program's parent: %v, want the wrapper %d", f, wrapper)
	}
	if _, err := os.Readlink("/proc/" + strconv.Itoa(wrapper) + "/fd/7"); err == nil {
		t.Error("the wrapper holds a descriptor 7 (a memory file of the script)")
	}
	// The script is in no process's arguments (everyone's to read), and
	// not in the program's environment.
	if args, _ := os.ReadFile("/proc/" + strconv.Itoa(wrapper) + "/cmdline"); strings.Contains(string(args), "borges-no-such-command") {
		t.Errorf("the script is in the wrapper's arguments: %q", args)
	}
	if env, err := os.ReadFile("/proc/" + strconv.Itoa(sleeps[0]) + "/environ"); err != nil || strings.Contains(string(env), plainEnv) {
		t.Errorf("the program's environment holds the script (%v): %q", err, env)
	}
	if err := b.Kill(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID)
	if got := readStream(t, b, a.ID, "stdout"); got != "one\ntwo\n" {
		t.Errorf("stdout = %q", got)
	}
	if got := readStream(t, b, a.ID, "stderr"); !strings.Contains(got, ": 3: ") || !strings.Contains(got, "borges-no-such-command: not found") {
		t.Errorf("stderr = %q, want the script's line 3", got)
	}

	// Its status, in the exit log: a restarted server finds it.
	failing := attempt("true\nfalse", nil)
	if err := b.Launch(context.Background(), failing); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, failing.ID); u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 1 {
		t.Fatalf("update = %+v", u)
	}
	second, r2 := newBackendConfig(t, Config{DataDir: dir, KillGrace: 2 * time.Second, CgroupParent: "-"})
	if err := second.Recover(context.Background(), []*engine.Attempt{failing}); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, failing.ID); u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 1 {
		t.Fatalf("recovered: %+v", u)
	}
}

// A block's own variable of plainEnv's name reaches its program: its
// script runs as any other, in the subshell.
func TestPlainScriptEnvClash(t *testing.T) {
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: 2 * time.Second, CgroupParent: "-"})
	a := attempt("printenv "+plainEnv, nil)
	a.Env[plainEnv] = "the block's"
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	if got := readStream(t, b, a.ID, "stdout"); got != "the block's\n" {
		t.Errorf("stdout = %q", got)
	}
}
