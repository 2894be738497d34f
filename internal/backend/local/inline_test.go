package local

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proclist"
	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/session"
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
		// The known-harmless builtins.
		{"true\nfalse\ntest -e f\n[ -e f ]\n: a\necho a", true},
		{"printf '%s\\n' a", true},
		{"false\n# c", true},
		{"# c", true},

		{"exit 3", false},
		{"echo a\nset -e", false},
		{"trap 'echo bye' EXIT", false},
		{"exec sleep 1", false},
		{"cd /", false},
		{". ./lib", false},
		// A variable given its value alone on its line (a :var's
		// assignment), and expansions of variables and of arithmetic
		// that assigns nothing: the chain's script (bench/chain_test.go).
		{"X=1", true},
		{"x='0'\necho $((x+1))", true},
		{"x='it'\"'\"'s\nmore'\ny=$x  # c\necho \"$x\" ${y}$x $(( (x + 1) * 2 >> 1 )) \"$((x&3))\"", true},
		{"X=1 env", false},
		{"X=1 Y=2", false},
		{"X=1; env", false},
		{"X=$(date)", false},
		{"IFS=1", false},
		{"st=1", false},
		{"d=/tmp", false},
		{"script=x", false},
		{"BORGES_EXIT_LOG=/tmp/x", false},
		// The wrapper's tail runs echo, which dash looks for on a PATH
		// with a %builtin entry first.
		{"PATH=/tmp/bin:%builtin:/usr/bin:/bin", false},
		{"PATH=/bin", false},
		{"MYPATH=/bin", true},
		{"1X=1", false},
		{"$x", false},
		{"$x a", false},
		{"echo $((x=1))", false},
		{"echo $((IFS+=1))", false},
		{"echo $(( $x ))", false},
		{"echo $((x++))", false},
		{"echo $((x--))", false},
		// Division: INT64_MIN / -1 (or % -1) raises SIGFPE in the shell
		// that evaluates it, which the wrapper cannot log.
		{"echo $((x/-1))", false},
		{"echo $((x % y))", false},
		{"echo \"$(( (x) / 2 ))\"", false},
		{"y=$((x%2))", false},
		{"echo a/b $((x+1)) 50%", true},
		{"echo $((x)", false},
		{"echo $((x) )", false},
		{"echo $((x\n))", false},
		{"echo ${x?}", false},
		{"echo ${x:=1}", false},
		{"echo ${#x}", false},
		{"echo $1 $# $$ $? $- $@ $* $! $0", false},
		{"echo $", false},
		{"echo $(date)", false},
		{"echo \"$(date)\"", false},
		{"printf $x", false},
		{"read x", false},
		{"ulimit -f 0", false},
		{"if true\nthen echo a\nfi", false},
		{"while true\ndo echo a\ndone", false},
		{"{ echo a\n}", false},
		{"! false", false},
		{"echo $HOME", true},
		{"echo \"$HOME\"", true},
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
		// Any other builtin or reserved word of dash or bash, harmless
		// or not.
		{"pwd", false},
		{"kill -TERM 1", false},
		{"wait", false},
		{"times", false},
		{"type ls", false},
		{"hash ls", false},
		{"jobs", false},
		{"declare -r st", false},
		{"typeset -r d", false},
		{"shopt -os noexec", false},
		{"enable -n exit", false},
		{"let x=1", false},
		{"mapfile x", false},
		{"function f", false},
		{"select x in a b", false},
		{"time sleep 1", false},
		{"coproc cat", false},
		{"printf -v BORGES_EXIT_FILE x", false},
		{"printf '-v' x y", false},
		{"printf \"-\"v x y", false},
		{"[[ -e f ]]", false},
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
	dir, b, r, m := plainBackend(t)
	a := attempt("echo 'one\ntwo'\nborges-no-such-command\nsleep "+m, nil)
	wrapper, sleeps := launchInWrapper(t, b, a, m)
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
	if u := r.wait(t, a.ID); u.State != engine.Killed {
		t.Errorf("killed: update = %+v", u)
	}
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

// TestPlainScriptVarsInWrapper: a :var's assignment and the expansions a
// chain's block makes of it (bench/chain_test.go) run in the wrapper's
// own shell, no subshell forked: the program is the wrapper's child. An
// arithmetic error, which ends the shell that expands it, ends the
// attempt as it ends the subshell path's (status 2, the script's rest not
// run), its status in the exit log for a restarted server.
func TestPlainScriptVarsInWrapper(t *testing.T) {
	dir, b, r, m := plainBackend(t)
	a := attempt("x='5'\ny=$x\necho \"$((x+1)) $y\" ${x}\nsleep "+m, nil)
	if !b.runsPlain(a) {
		t.Fatalf("%q does not run plain", a.Script)
	}
	launchInWrapper(t, b, a, m)
	if err := b.Kill(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID)
	if got := readStream(t, b, a.ID, "stdout"); got != "6 5 5\n" {
		t.Errorf("stdout = %q", got)
	}

	run := func(script string) (*engine.Attempt, engine.Update) {
		a := attempt(script, nil)
		if err := b.Launch(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		return a, r.wait(t, a.ID)
	}
	// ended checks that a's script ended after its first line's "a",
	// with status code in the exit log for a restarted server.
	ended := func(a *engine.Attempt, code int) {
		if got := readStream(t, b, a.ID, "stdout"); got != "a\n" {
			t.Errorf("%q: stdout = %q", a.Script, got)
		}
		second, r2 := newBackendConfig(t, Config{DataDir: dir, KillGrace: 2 * time.Second, CgroupParent: "-"})
		if err := second.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
			t.Fatal(err)
		}
		if u := r2.wait(t, a.ID); u.ExitCode == nil || *u.ExitCode != code {
			t.Errorf("%q: recovered %+v, want exit status %d from the log", a.Script, u, code)
		}
	}
	for _, script := range []string{"x='foo'\necho a\necho $((x+1))\necho b", "x=99999999999999999999\necho a\necho $((x+1))\necho b"} {
		if !plainScript(script) {
			t.Fatalf("%q is not plain", script)
		}
		plain, pu := run(script)
		_, su := run(script + "\n: \\x")
		if pu.ExitCode == nil || su.ExitCode == nil || *pu.ExitCode != *su.ExitCode || *pu.ExitCode != 2 || pu.State != engine.Failed {
			t.Errorf("%q: plain %+v, subshell %+v, want both exit status 2", script, pu, su)
		}
		ended(plain, 2)
	}

	// INT64_MIN / -1 (or % -1) raises SIGFPE in the shell that evaluates
	// it (on x86; arm64 divides without a fault): the subshell's end,
	// which the wrapper logs as 136, where the wrapper's own would end it
	// unlogged. Such a script takes the subshell path.
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "386" {
		return
	}
	for _, script := range []string{"x=-9223372036854775808\necho a\necho $((x/-1))\necho b", "echo a\necho $(( (-9223372036854775807-1) % -1 ))\necho b"} {
		a, u := run(script)
		if u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 136 {
			t.Errorf("%q: update = %+v, want exit status 136", script, u)
		}
		ended(a, 136)
	}
}

// plainBackend is a backend in a data directory of its own, where
// /bin/sh is dash (else the test is skipped: a platform condition, not a
// missing program, so skipped under BORGES_TEST_STRICT too, as the other
// plain-path tests are), and a marker for a test's program.
func plainBackend(t *testing.T) (string, *Backend, *recorder, string) {
	t.Helper()
	if !dashShell("/bin/sh") {
		t.Skip("/bin/sh is not dash: no plain path")
	}
	dir := t.TempDir()
	b, r := newBackendConfig(t, Config{DataDir: dir, KillGrace: 2 * time.Second, CgroupParent: "-"})
	return dir, b, r, proctest.Marker(t)
}

// launchInWrapper launches a, held until its wrapper runs, and checks
// that its program (the process marked m) is the wrapper's own child: no
// subshell between. It returns the wrapper's pid and the program's.
func launchInWrapper(t *testing.T, b *Backend, a *engine.Attempt, m string) (int, []int) {
	t.Helper()
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
	return wrapper, sleeps
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

// TestPlainScriptShellBuiltins: every builtin and reserved word of dash
// (every word of its binary that dash itself calls one) and of bash
// (compgen) is refused as a plain script's command, unless it is of the
// known-harmless set.
func TestPlainScriptShellBuiltins(t *testing.T) {
	dash := outside.Need(t, "dash", "dash")
	data, err := os.ReadFile(dash)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{".": true, ":": true, "[": true, "!": true, "{": true, "}": true}
	for _, w := range regexp.MustCompile(`[a-z]{2,12}`).FindAllString(string(data), -1) {
		seen[w] = true
	}
	var words []string
	for w := range seen {
		words = append(words, w)
	}
	sort.Strings(words)
	// dash says of each name what it is: "NAME is a shell builtin",
	// "... a special shell builtin", "... a shell keyword".
	out, _ := exec.Command(dash, append([]string{"-c", `for n; do command -V "$n"; done 2>/dev/null`, "dash"}, words...)...).Output()
	var builtins []string
	for _, line := range strings.Split(string(out), "\n") {
		if name, what, ok := strings.Cut(line, " is a "); ok && (strings.HasSuffix(what, "builtin") || what == "shell keyword") {
			builtins = append(builtins, name)
		}
	}
	if len(builtins) < 40 {
		t.Fatalf("dash names %d builtins and keywords: %q", len(builtins), builtins)
	}
	if bash, err := exec.LookPath("bash"); err == nil {
		out, err := exec.Command(bash, "-c", "compgen -b; compgen -k").Output()
		if err != nil {
			t.Fatal(err)
		}
		builtins = append(builtins, strings.Fields(string(out))...)
	} else {
		outside.Missing(t, "bash not found on PATH (install the Debian package bash)")
	}
	for _, name := range builtins {
		if got := plainScript(name + " a"); got != harmless[name] {
			t.Errorf("plainScript(%q) = %v, want %v", name+" a", got, harmless[name])
		}
	}
}

// TestDashShell: the inline path is taken only where /bin/sh is dash.
func TestDashShell(t *testing.T) {
	dash := outside.Need(t, "dash", "dash")
	dir := t.TempDir()
	if err := os.Symlink(dash, filepath.Join(dir, "sh")); err != nil {
		t.Fatal(err)
	}
	if !dashShell(filepath.Join(dir, "sh")) {
		t.Errorf("%s (a link to dash) is not dash", filepath.Join(dir, "sh"))
	}
	bash := outside.Need(t, "bash", "bash")
	if err := os.Symlink(bash, filepath.Join(dir, "bash-sh")); err != nil {
		t.Fatal(err)
	}
	if dashShell(filepath.Join(dir, "bash-sh")) {
		t.Error("bash is dash")
	}
	if dashShell(filepath.Join(dir, "none")) {
		t.Error("a missing shell is dash")
	}
	// A copy of bash named dash is not dash.
	fake := filepath.Join(dir, "x", "dash")
	if err := os.MkdirAll(filepath.Dir(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(bash, filepath.Join(dir, "x", "real")); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(bash); err != nil {
		t.Fatal(err)
	} else if err := os.WriteFile(fake, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if dashShell(fake) {
		t.Error("bash named dash is dash")
	}
}

// A plain script's command that signals its parent (the wrapper, where
// the subshell path's parent was the subshell) ends the attempt with the
// status the subshell path gives: 128+n, in the exit log too.
func TestPlainScriptKillsParent(t *testing.T) {
	dir := t.TempDir()
	b, r := newBackendConfig(t, Config{DataDir: dir, KillGrace: 2 * time.Second, CgroupParent: "-"})
	if !b.plainSh {
		t.Skip("/bin/sh is not dash: no plain path")
	}
	for _, tc := range []struct {
		sig  string
		code int
	}{{"TERM", 143}, {"USR1", 138}, {"INT", 130}, {"QUIT", 131}, {"USR2", 140},
		{"ABRT", 134}, {"SYS", 159}, {"TRAP", 133}, {"IO", 157}, {"PWR", 158}, {"RTMIN", 162}, {"RTMAX", 192}} {
		for _, tail := range []string{"", "\n: \\x"} {
			script := "sh -c 'kill -" + tc.sig + " $PPID'" + tail
			if plainScript(script) != (tail == "") {
				t.Fatalf("plainScript(%q) = %v", script, !(tail == ""))
			}
			a := attempt(script, nil)
			if err := b.Launch(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			if u := r.wait(t, a.ID); u.ExitCode == nil || *u.ExitCode != tc.code {
				t.Errorf("%q: update = %+v, want exit status %d", script, u, tc.code)
			}
			// One status logged: the signal's trap exits, and the EXIT
			// trap logs its status, once.
			var logged []int
			scanExitLog(b.exitLog, func(id string, code int) {
				if id == a.ID {
					logged = append(logged, code)
				}
			})
			if len(logged) != 1 {
				t.Errorf("%q: the exit log holds %v, want one status", script, logged)
			}
		}
	}
	// The plain path's status, in the exit log: a restarted server finds it.
	plain := attempt("sh -c 'kill -TERM $PPID'", nil)
	if err := b.Launch(context.Background(), plain); err != nil {
		t.Fatal(err)
	}
	r.wait(t, plain.ID)
	second, r2 := newBackendConfig(t, Config{DataDir: dir, KillGrace: 2 * time.Second, CgroupParent: "-"})
	if err := second.Recover(context.Background(), []*engine.Attempt{plain}); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, plain.ID); u.ExitCode == nil || *u.ExitCode != 143 {
		t.Fatalf("recovered: %+v", u)
	}
}

// The program sees a variable of a name the wrapper uses as the block
// set it, as the subshell path's program does: the plain path uses no
// variable of its own (borges_s was one), and a block setting one the
// wrapper uses takes the subshell path.
func TestPlainScriptWrapperNames(t *testing.T) {
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: 2 * time.Second, CgroupParent: "-"})
	run := func(script, name string) string {
		a := attempt(script, nil)
		a.Env[name] = "mine"
		if err := b.Launch(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		r.wait(t, a.ID)
		return readStream(t, b, a.ID, "stdout")
	}
	if got := run("printenv borges_s", "borges_s"); got != "mine\n" {
		t.Errorf("borges_s: the program sees %q, want mine", got)
	}
	for _, name := range append([]string{"borges_s", "borges_end"}, wrapperNames...) {
		plain, sub := run("printenv "+name, name), run("printenv "+name+"\n: \\x", name)
		if plain != sub {
			t.Errorf("%s: the plain script sees %q, the subshell's %q", name, plain, sub)
		}
	}
}

// The wrapper's traps do not reach the program: its signals' dispositions
// (ignored, caught) are the subshell path's.
func TestPlainScriptSignalDispositions(t *testing.T) {
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: 2 * time.Second, CgroupParent: "-"})
	run := func(script string) string {
		a := attempt(script, nil)
		if err := b.Launch(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		if u := r.wait(t, a.ID); u.State != engine.Finished {
			t.Fatalf("%q: update = %+v", script, u)
		}
		return readStream(t, b, a.ID, "stdout")
	}
	script := "grep -E '^Sig(Ign|Cgt)' /proc/self/status"
	plain, sub := run(script), run(script+"\n: \\x")
	if plain != sub || !strings.Contains(plain, "SigIgn") {
		t.Errorf("the plain script's program: %q, the subshell's: %q", plain, sub)
	}
}

// TestRunsPlain: which attempts take the plain path.
func TestRunsPlain(t *testing.T) {
	b := &Backend{plainSh: true}
	big := strings.Repeat("x", 1000)
	for _, tc := range []struct {
		name string
		mod  func(a *engine.Attempt)
		want bool
	}{
		{"plain", func(a *engine.Attempt) {}, true},
		{"not dash", func(a *engine.Attempt) { b.plainSh = false }, false},
		{"cmdline", func(a *engine.Attempt) { a.Task.CmdLine = []string{"x"} }, false},
		{"bash", func(a *engine.Attempt) { a.Task.Interpreter = []string{"bash"} }, false},
		{"not plain", func(a *engine.Attempt) { a.Script = "exit 3" }, false},
		{"env", func(a *engine.Attempt) {
			for i := 0; i < maxInlineEnv/1100; i++ {
				a.Env["V"+strconv.Itoa(i)] = big
			}
		}, true},
		// The carrier of the SHELL the document's Emacs left, which
		// only a "shell" block's prelude gives back: never plain.
		{"emacs SHELL", func(a *engine.Attempt) { a.Env[session.EmacsSHELL] = "=/bin/zsh" }, false},
		{"big env", func(a *engine.Attempt) {
			for i := 0; i < maxInlineEnv/1000+1; i++ {
				a.Env["V"+strconv.Itoa(i)] = big
			}
		}, false},
	} {
		b.plainSh = true
		a := attempt("echo a", nil)
		tc.mod(a)
		if got := b.runsPlain(a); got != tc.want {
			t.Errorf("%s: runsPlain = %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, name := range wrapperNames {
		a := attempt("echo a", nil)
		a.Env[name] = "mine"
		if b.runsPlain(a) {
			t.Errorf("an attempt setting %s runs plain", name)
		}
	}
}

// A plain script's echo into a broken stdout (the server and the keeper
// gone) gets SIGPIPE in the wrapper itself: the wrapper logs and exits
// with the status the subshell path's wrapper gives, where the subshell
// died of it.
func TestPlainScriptBrokenPipe(t *testing.T) {
	if !dashShell("/bin/sh") {
		t.Skip("/bin/sh is not dash: no plain path")
	}
	dir := t.TempDir()
	script := "true\necho hi\ntrue"
	if !plainScript(script) {
		t.Fatal("not plain")
	}
	file := filepath.Join(dir, "script")
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) (int, string) {
		log := filepath.Join(dir, name+".log")
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
		defer w.Close()
		gr, gw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer gr.Close()
		cmd := exec.Command("/bin/sh", args...)
		cmd.Env = []string{"PATH=/usr/bin:/bin", "BORGES_EXIT_FILE=" + filepath.Join(dir, "the-id", "exit"), "BORGES_EXIT_LOG=" + log, plainEnv + "=" + script}
		cmd.Stdout = w
		cmd.ExtraFiles = []*os.File{nil, nil, nil, gr, nil, exitLogFile(t, log)}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		gw.WriteString("in\n")
		gw.Close()
		cmd.Wait()
		data, _ := os.ReadFile(log)
		return cmd.ProcessState.ExitCode(), string(data)
	}
	plainCode, plainLog := run("plain", "-c", inlineWrapper, "sh", "out")
	subCode, subLog := run("sub", "-c", keptShWrapper, "sh", "out", file)
	if plainCode != subCode || plainLog != subLog || subLog != strconv.Itoa(subCode)+" the-id\n" {
		t.Errorf("plain: %d, log %q; subshell: %d, log %q", plainCode, plainLog, subCode, subLog)
	}
	t.Logf("status %d", subCode)
}

// The server's kill ends a plain script's attempt at once, as the
// subshell path's, whose wrapper died of the SIGTERM: not after the kill's
// grace, for a program that outlives SIGTERM (the wrapper traps it). The
// grace here is longer than r.wait waits.
func TestPlainScriptKillAtOnce(t *testing.T) {
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: time.Hour, CgroupParent: "-"})
	if !b.plainSh {
		t.Skip("/bin/sh is not dash: no plain path")
	}
	for _, tail := range []string{"", "\n: \\x"} {
		m := proctest.Marker(t)
		a := attempt("sh -c 'trap \"\" TERM; exec sleep \"$0\"' "+m+tail, nil)
		let, _ := launchHeld(t, b, a, m)
		let()
		// Until sleep runs: the sh before it has the marker too, but
		// does not ignore SIGTERM yet, and the wrapper whose program it
		// killed would log 143 before the server's SIGKILL came.
		for i := 0; !slices.ContainsFunc(proctest.WithMarker(m), isSleep); i++ {
			if i == 6000 {
				t.Fatal("the program never started")
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err := b.Kill(context.Background(), a.ID); err != nil {
			t.Fatal(err)
		}
		if u := r.wait(t, a.ID); u.State != engine.Killed || u.ExitCode != nil {
			t.Errorf("%q: update = %+v", tail, u)
		}
	}
}

// isSleep says whether the process pid runs sleep.
func isSleep(pid int) bool {
	comm, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	return err == nil && string(comm) == "sleep\n"
}

// The kill of a plain script's wrapper goes through its held process
// handle (a pidfd): once the wrapper is waited for, its pid may be
// another process's, which the kill must not reach.
func TestPlainKillHeldProcess(t *testing.T) {
	b, _ := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: time.Hour, CgroupParent: "-"})
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	other := exec.Command("sleep", "60")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Process.Kill(); other.Wait() })
	old := signalGroup
	signalGroup = func(int, syscall.Signal) error { return nil }
	t.Cleanup(func() { signalGroup = old })
	done := make(chan struct{})
	close(done)
	// The wrapper's pid now names another process.
	b.killGroup(&proc{id: "reused", pid: other.Process.Pid, process: ended.Process, done: done, plain: true})
	other.Process.Signal(syscall.SIGTERM)
	other.Wait()
	if ws, ok := other.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("the process now holding the pid ended of %v", other.ProcessState)
	}
}

// A plain attempt re-attached after a restart is known plain from its
// wrapper's environment: its kill ends the wrapper at once.
func TestPlainScriptKillAfterRestart(t *testing.T) {
	needPidfds(t)
	dir := t.TempDir()
	first, r1 := newBackendConfig(t, Config{DataDir: dir, KillGrace: time.Hour, CgroupParent: "-"})
	if !first.plainSh {
		t.Skip("/bin/sh is not dash: no plain path")
	}
	m := proctest.Marker(t)
	a := attempt("sh -c 'trap \"\" TERM; exec sleep \"$0\"' "+m, nil)
	if err := first.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r1.wait(t, a.ID, engine.Running)
	for i := 0; len(proctest.WithMarker(m)) == 0; i++ {
		if i == 6000 {
			t.Fatal("the program never started")
		}
		time.Sleep(10 * time.Millisecond)
	}
	second, r2 := newBackendConfig(t, Config{DataDir: dir, KillGrace: time.Hour, CgroupParent: "-"})
	p := recoverOne(t, second, r2, a)
	if p == nil || !p.plain {
		t.Fatalf("re-attached proc = %+v, want plain", p)
	}
	if err := second.Kill(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, a.ID); u.State != engine.Killed {
		t.Errorf("update = %+v", u)
	}
}

// pidfdsOn counts the pidfds this test process has open on the processes
// pids (the "Pid:" line of their fdinfo), not on its other children, which
// may end meanwhile.
func pidfdsOn(t *testing.T, pids map[int]bool) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if l, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name())); err != nil || l != "anon_inode:[pidfd]" {
			continue
		}
		info, err := os.ReadFile(filepath.Join("/proc/self/fdinfo", e.Name()))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(info), "\n") {
			if v, ok := strings.CutPrefix(line, "Pid:"); ok {
				if pid, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && pids[pid] {
					n++
				}
			}
		}
	}
	return n
}

// TestRecoveredHandlesClosedOnStop: the handles (pidfds) a backend holds
// on the plain wrappers it re-attached to are closed when it stops, its
// wrappers running on, not left to the garbage collector.
func TestRecoveredHandlesClosedOnStop(t *testing.T) {
	needPidfds(t)
	dir := t.TempDir()
	first, r1 := newBackendConfig(t, Config{DataDir: dir, CgroupParent: "-"})
	if !first.plainSh {
		t.Skip("/bin/sh is not dash: no plain path")
	}
	var attempts []*engine.Attempt
	for range 2 {
		a := attempt("sleep 60", nil)
		if err := first.Launch(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		r1.wait(t, a.ID, engine.Running)
		attempts = append(attempts, a)
	}
	// The wrappers' pids: the first backend holds its own children's.
	wrappers := map[int]bool{}
	first.mu.Lock()
	for _, a := range attempts {
		wrappers[first.procs[a.ID].pid] = true
	}
	first.mu.Unlock()
	before := pidfdsOn(t, wrappers)
	second, r2 := newBackendConfig(t, Config{DataDir: dir, CgroupParent: "-"})
	if err := second.Recover(context.Background(), attempts); err != nil {
		t.Fatal(err)
	}
	for _, a := range attempts {
		r2.wait(t, a.ID, engine.Running)
	}
	attached := pidfdsOn(t, wrappers)
	if attached-before != len(attempts) {
		t.Fatalf("%d pidfds on the wrappers opened re-attaching to %d plain wrappers", attached-before, len(attempts))
	}
	r2.stop()
	until(t, "the pidfds of the backend stopped are closed", func() bool { return pidfdsOn(t, wrappers) == before })
	t.Logf("pidfds on the wrappers: %d before, %d re-attached, %d once stopped", before, attached, pidfdsOn(t, wrappers))
	second.mu.Lock()
	defer second.mu.Unlock()
	for _, a := range attempts {
		if r2.ended(a.ID) || second.procs[a.ID] == nil {
			t.Errorf("%s: reported ended, or not running, after the backend stopped", a.ID)
		}
	}
}

// recoverOne has backend b, recording to r, recover attempt a, found
// running, and gives its proc.
func recoverOne(t *testing.T, b *Backend, r *recorder, a *engine.Attempt) *proc {
	t.Helper()
	if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID, engine.Running)
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.procs[a.ID]
}

// needPidfds skips a test that needs pidfds where they are not available
// (kernel before 5.3, seccomp): a re-attached wrapper is then held by
// none, and killed by its group alone.
func needPidfds(t *testing.T) {
	t.Helper()
	if !pidfdsAvailable() {
		outside.Missing(t, "pidfds not available (pidfd_open fails): re-attached wrappers are held by none")
	}
}

// pidfdsAvailable says whether this process may open pidfds.
func pidfdsAvailable() bool {
	fd, err := unix.PidfdOpen(os.Getpid(), 0)
	if err != nil {
		return false
	}
	unix.Close(fd)
	return true
}

// Where pidfds are not available, a plain wrapper re-attached to is held
// by no handle (a pid may be another process's by the kill), and its kill
// goes to its group: it ends, killed.
func TestRecoverWithoutPidfds(t *testing.T) {
	dir := t.TempDir()
	first, r1 := newBackendConfig(t, Config{DataDir: dir, CgroupParent: "-"})
	if !first.plainSh {
		outside.Missing(t, "/bin/sh is not dash: no plain path")
	}
	a := attempt("sleep 60", nil)
	if err := first.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r1.wait(t, a.ID, engine.Running)
	pidfdOpen = func(int, int) (int, error) { return -1, syscall.EPERM }
	t.Cleanup(func() { pidfdOpen = unix.PidfdOpen })
	second, r2 := newBackendConfig(t, Config{DataDir: dir, CgroupParent: "-"})
	p := recoverOne(t, second, r2, a)
	p.mu.Lock()
	held := p.process != nil
	p.mu.Unlock()
	if !p.plain || held {
		t.Fatalf("re-attached: plain %v, held by a handle %v; want plain, no handle", p.plain, held)
	}
	if err := second.Kill(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, a.ID); u.State != engine.Killed {
		t.Errorf("update = %+v", u)
	}
}

// A plain script's wrapper that a stream of signals reaches logs the
// status of the first: from the first signal's trap on, the trapped
// signals are ignored, where reset to their default a second one ended
// the wrapper before it logged (the attempt then ended without a
// status). A command of the script starts, in the background, a stream
// of USR1 to its parent (the wrapper), which ends with the wrapper; the
// foreground command the trap waits for ends while it flows. The window
// is short, so the runs are many (on a wrapper that reset the signals,
// about one in fifteen was lost); each run's signals come as fast as
// dash's kill sends them.
func TestPlainScriptSignalStream(t *testing.T) {
	b, r := noCgroups(t, t.TempDir())
	if !b.plainSh {
		t.Skip("/bin/sh is not dash: no plain path")
	}
	stream := filepath.Join(t.TempDir(), "stream")
	if err := os.WriteFile(stream, []byte(`#!/bin/sh
( i=0; while [ $i -lt 10000000 ] && kill -USR1 $PPID 2>/dev/null; do i=$((i+1)); done ) </dev/null >/dev/null 2>&1 &
`), 0o755); err != nil {
		t.Fatal(err)
	}
	script := stream + "\nsleep 0.2\n"
	if !plainScript(script) {
		t.Fatalf("plainScript(%q) = false", script)
	}
	for i := 0; i < 100; i++ {
		a := attempt(script, nil)
		if !launchRunning(t, b, r, a).plain {
			t.Fatal("the script does not run in the wrapper's own shell")
		}
		if u := r.wait(t, a.ID); u.ExitCode == nil || *u.ExitCode != 138 {
			t.Fatalf("run %d: update = %+v, want exit status 138", i, u)
		}
	}
}

// A plain script's wrapper logs its status whatever signal comes once
// the script has ended, or once the first signal's trap has run: here,
// one comes while the status line waits to be written (descriptor 8 a
// full pipe), and the wrapper, ignoring it, logs the status (0, or the
// first signal's 138) and exits with it once the pipe is read, where a
// signal reset to its default ended it unlogged.
func TestPlainWrapperLogsThroughASecondSignal(t *testing.T) {
	if !dashShell("/bin/sh") {
		t.Skip("/bin/sh is not dash: no plain path")
	}
	for _, tc := range []struct {
		script string
		code   int
	}{{"true", 0}, {"sh -c 'kill -USR1 $PPID'", 138}} {
		t.Run(strconv.Itoa(tc.code), func(t *testing.T) { logsThroughASecondSignal(t, tc.script, tc.code) })
	}
}

// logsThroughASecondSignal is TestPlainWrapperLogsThroughASecondSignal
// for a script that ends with status code.
func logsThroughASecondSignal(t *testing.T, script string, code int) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		t.Fatal(err)
	}
	filler := make([]byte, 4096)
	for i := range filler {
		filler[i] = '.'
	}
	for full := false; !full; {
		_, err := unix.Write(p[1], filler)
		if full = errors.Is(err, unix.EAGAIN); err != nil && !full {
			t.Fatal(err)
		}
	}
	if err := unix.SetNonblock(p[1], false); err != nil {
		t.Fatal(err)
	}
	logR, logW := os.NewFile(uintptr(p[0]), "log"), os.NewFile(uintptr(p[1]), "log")
	defer logR.Close()
	gr, gw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer gr.Close()
	cmd := exec.Command("/bin/sh", "-c", inlineWrapper, "sh", "out")
	cmd.Env = []string{"PATH=/usr/bin:/bin", "BORGES_EXIT_FILE=" + filepath.Join(t.TempDir(), "the-id", "exit"), plainEnv + "=" + script}
	cmd.ExtraFiles = []*os.File{nil, nil, nil, gr, nil, logW}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	logW.Close()
	gw.WriteString("in\n")
	gw.Close()
	// Until it writes its status line.
	syscallFile := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/syscall"
	for i := 0; ; i++ {
		data, err := os.ReadFile(syscallFile)
		if err != nil {
			t.Skipf("what a process waits in is not known here: %v", err)
		}
		if nr, _, _ := strings.Cut(string(data), " "); nr == strconv.Itoa(unix.SYS_WRITE) {
			break
		}
		if i == 6000 {
			t.Fatalf("the wrapper never wrote its status (%s: %q)", syscallFile, data)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Signal(unix.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	logged, err := io.ReadAll(logR)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if got := cmd.ProcessState.ExitCode(); got != code || !strings.HasSuffix(string(logged), "."+strconv.Itoa(code)+" the-id\n") {
		t.Errorf("the wrapper: %v, logged %q, want exit status %d logged", cmd.ProcessState, logged[max(0, len(logged)-40):], code)
	}
}
