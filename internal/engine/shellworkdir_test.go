package engine

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
)

// runWorkDirStep runs ShellWorkDirStep for the :dir dir and the names
// the document's Emacs removed (unset) in shell sh, with env and path
// as its environment and PATH, and says where it ended, what it said
// and whether it failed.
func runWorkDirStep(t *testing.T, sh, sandbox, dir string, unset, env []string, path string) (where, said string, err error) {
	t.Helper()
	task := &plan.Task{Block: "b", Line: 7, Dir: dir}
	script := "cd " + ShellQuote(sandbox) + " || exit 2\n" + ShellWorkDirStep(ShellQuote(sandbox), task, unset) + "pwd\n"
	cmd := exec.Command(sh, "-c", script)
	cmd.Env = append([]string{"PATH=" + path}, env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	return strings.TrimSuffix(string(out), "\n"), stderr.String(), err
}

// shells are the shells a step runs in on the shell backends: the
// agent's sh (dash here) and a busybox image's.
func shells(t *testing.T) map[string]string {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	out := map[string]string{"sh": sh}
	if bb, err := exec.LookPath("busybox"); err == nil {
		out["busybox"] = bb
	}
	return out
}

// TestShellWorkDirStepHome: a :dir naming ~ where a backend goes to it
// through a shell (Mesos command executor and containers, Kubernetes):
// HOME as the shell has it, and where it is unset, empty or relative the
// shell refuses with a message naming the :dir, as taskenv.Home does on
// the local backend and the Borges executor, rather than going to the
// file system's root ("$HOME"/x is /x) or a name under the sandbox
// (review F3).
func TestShellWorkDirStepHome(t *testing.T) {
	sandbox := t.TempDir()
	home := filepath.Join(t.TempDir(), "my home")
	for shName, sh := range shells(t) {
		if shName == "busybox" {
			sh += " sh"
		}
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
			where, said, err := runWorkDirStepIn(t, sh, sandbox, c.dir, nil, c.env, os.Getenv("PATH"))
			if c.want != "" {
				if err != nil || where != c.want {
					t.Errorf("%s, %s: in %q, %v (%s); want %q", shName, c.name, where, err, said, c.want)
				}
				continue
			}
			if err == nil || where != "" || !strings.Contains(said, "line 7") || !strings.Contains(said, ":dir "+c.dir) || !strings.Contains(said, "HOME") {
				t.Errorf("%s, %s: in %q, %v, said %q; want a refusal naming line 7, :dir %s and HOME", shName, c.name, where, err, said, c.dir)
			}
		}
	}
}

// runWorkDirStepIn is runWorkDirStep with sh a command line of words
// ("busybox sh").
func runWorkDirStepIn(t *testing.T, sh, sandbox, dir string, unset, env []string, path string) (string, string, error) {
	t.Helper()
	words := strings.Fields(sh)
	if len(words) == 1 {
		return runWorkDirStep(t, sh, sandbox, dir, unset, env, path)
	}
	// A wrapper script running the shell's applet, so that
	// runWorkDirStep's sh -c reaches it.
	w := filepath.Join(t.TempDir(), "sh")
	if err := os.WriteFile(w, []byte("#!"+words[0]+" sh\nexec "+strings.Join(words, " ")+" \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return runWorkDirStep(t, w, sandbox, dir, unset, env, path)
}

// TestShellWorkDirStepPasswdHome: where the document's Emacs removed
// HOME, a shell backend's ~ is the home the password database gives the
// block's user where it runs (LOGNAME, else USER, else its uid; those the
// document removed too passed over), as Emacs's get_homedir takes it,
// read by the shell step where the program runs (on a Mesos agent its
// database, in a container the image's /etc/passwd), not the agent's or
// image's HOME the shell still has (the removal takes effect only as the
// program starts). A :dir ~NAME is NAME's home there, as Emacs's
// expand-file-name; for no such user a name beneath the sandbox, as
// Emacs leaves it relative. Both with getent (the agent's NSS) and
// without it (a busybox image: /etc/passwd read by the shell).
func TestShellWorkDirStepPasswdHome(t *testing.T) {
	own := proctest.PasswdHome(t)
	daemon, err := user.Lookup("daemon")
	if err != nil || !filepath.IsAbs(daemon.HomeDir) {
		t.Skipf("no user daemon with an absolute home: %v", err)
	}
	sandbox := t.TempDir()
	agentHome := t.TempDir()
	// A PATH without getent: mkdir and id alone.
	bare := barePath(t)
	paths := map[string]string{"no getent": bare}
	if _, err := exec.LookPath("getent"); err == nil {
		paths["getent"] = os.Getenv("PATH")
	}
	removed := []string{"HOME"}
	agent := "HOME=" + agentHome
	for shName, sh := range shells(t) {
		if shName == "busybox" {
			sh += " sh"
		}
		for pathName, path := range paths {
			// Nothing is made in a real home: each :dir climbs out of
			// it to a directory of the test's (the step joins the
			// home and the rest as text, as Emacs does).
			target := t.TempDir()
			fromOwn, fromDaemon := rel(t, own, target), rel(t, daemon.HomeDir, target)
			for _, c := range []struct {
				name, dir string
				unset     []string
				env       []string
				want      string
			}{
				{"HOME removed, uid's", "~/" + fromOwn, removed, []string{agent}, target},
				{"HOME removed, bare", "~", removed, []string{agent}, own},
				{"HOME removed, LOGNAME's", "~/" + fromDaemon, removed, []string{agent, "LOGNAME=daemon", "USER=root"}, target},
				{"HOME removed, USER's", "~/" + fromDaemon, removed, []string{agent, "USER=daemon"}, target},
				{"HOME removed, no such LOGNAME", "~/" + fromDaemon, removed, []string{agent, "LOGNAME=borges-no-such-user", "USER=daemon"}, target},
				{"HOME and LOGNAME removed", "~/" + fromOwn, []string{"HOME", "LOGNAME"}, []string{agent, "LOGNAME=daemon"}, target},
				{"HOME kept", "~/x", []string{"LOGNAME"}, []string{agent, "LOGNAME=daemon"}, filepath.Join(agentHome, "x")},
				{"~NAME", "~daemon/" + fromDaemon + "/y", nil, []string{agent}, filepath.Join(target, "y")},
				{"~NAME, bare", "~daemon", nil, []string{agent}, daemon.HomeDir},
				{"~NAME, no such user", "~borges-no-such-user/x", nil, []string{agent}, filepath.Join(sandbox, "~borges-no-such-user/x")},
				{"~NAME, a name no user has", "~a:b/x", nil, []string{agent}, filepath.Join(sandbox, "~a:b/x")},
			} {
				where, said, err := runWorkDirStepIn(t, sh, sandbox, c.dir, c.unset, c.env, path)
				if err != nil || where != c.want {
					t.Errorf("%s, %s, %s: in %q, %v (%s); want %q", shName, pathName, c.name, where, err, said, c.want)
				}
			}
		}
	}
}

// rel is the path from dir to target, climbing out of dir.
func rel(t *testing.T, dir, target string) string {
	t.Helper()
	r, err := filepath.Rel(dir, target)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// runFakePasswd runs shellWorkDirStep reading passwd (a fake password
// database) with PATH bare (no getent), then prog, and says what it
// printed, what it said and whether it failed.
func runFakePasswd(t *testing.T, sh, sandbox, passwd, dir string, unset, env []string, prog string) (string, string, error) {
	t.Helper()
	return runFakeGetent(t, sh, sandbox, passwd, "", dir, unset, env, prog)
}

// runFakeGetent is runFakePasswd with getent, where not "", the body of
// a getent script on PATH.
func runFakeGetent(t *testing.T, sh, sandbox, passwd, getent, dir string, unset, env []string, prog string) (string, string, error) {
	t.Helper()
	bare := barePath(t)
	if getent != "" {
		if err := os.WriteFile(filepath.Join(bare, "getent"), []byte("#!"+sh+"\n"+getent+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	task := &plan.Task{Block: "b", Line: 7, Dir: dir}
	script := "cd " + ShellQuote(sandbox) + " || exit 2\n" + shellWorkDirStep(ShellQuote(sandbox), task, unset, passwd) + prog
	cmd := exec.Command(sh, "-c", script)
	cmd.Env = append([]string{"PATH=" + bare}, env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	return strings.TrimSuffix(string(out), "\n"), stderr.String(), err
}

// TestShellWorkDirStepFakePasswd: the step with a fake password
// database. The block's exported variables named as the step's helpers
// reach the program as the block set them, and unset ones stay unset
// (review F1); a database that cannot be read for LOGNAME or USER, and a
// relative home for LOGNAME, refuse naming the line and the :dir rather
// than moving on to another user's home (F2, F3).
func TestShellWorkDirStepFakePasswd(t *testing.T) {
	for shName, sh := range shells(t) {
		if shName == "busybox" {
			// A wrapper script running the shell's applet.
			w := filepath.Join(t.TempDir(), "sh")
			if err := os.WriteFile(w, []byte("#!"+sh+" sh\nexec "+sh+" sh \"$@\"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			sh = w
		}
		t.Run(shName, func(t *testing.T) { testFakePasswd(t, sh) })
	}
}

func testFakePasswd(t *testing.T, sh string) {
	sandbox := t.TempDir()
	home := t.TempDir()
	other := t.TempDir()
	passwd := filepath.Join(t.TempDir(), "passwd")
	body := "rel:x:1001:1001::relhome:/bin/sh\nme:x:1002:1002::" + home + ":/bin/sh\nother:x:1003:1003::" + other + ":/bin/sh"
	if err := os.WriteFile(passwd, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	helpers := []string{"borges_h", "borges_e", "borges_d", "borges_k", "borges_l", "borges_u", "borges_s"}
	var env []string
	for _, h := range helpers {
		env = append(env, h+"=mine "+h)
	}
	show := ""
	for _, h := range helpers {
		show += `printf '%s=%s;' ` + h + ` "${` + h + `-UNSET}"; `
	}
	show += "command -v borges_pw >/dev/null && echo FUNC; command -v borges_go >/dev/null && echo FUNC; pwd\n"
	wantShow := func(vals []string, where string) string {
		s := ""
		for i, h := range helpers {
			s += h + "=" + vals[i] + ";"
		}
		return s + where
	}
	mine, unsetAll := []string{}, []string{}
	for _, h := range helpers {
		mine = append(mine, "mine "+h)
		unsetAll = append(unsetAll, "UNSET")
	}
	for _, c := range []struct {
		name, dir string
		env       []string
		want      []string
		where     string
	}{
		{"~, set", "~/x", append([]string{"LOGNAME=me"}, env...), mine, filepath.Join(home, "x")},
		{"~, unset", "~/x", []string{"LOGNAME=me"}, unsetAll, filepath.Join(home, "x")},
		{"~NAME, set", "~other/y", append([]string{"LOGNAME=me"}, env...), mine, filepath.Join(other, "y")},
		{"~NAME, unset", "~other/y", nil, unsetAll, filepath.Join(other, "y")},
		{"~NAME, none, set", "~nobody-here/y", env, mine, filepath.Join(sandbox, "~nobody-here/y")},
	} {
		out, said, err := runFakePasswd(t, sh, sandbox, passwd, c.dir, []string{"HOME"}, c.env, show)
		if want := wantShow(c.want, c.where); err != nil || out != want {
			t.Errorf("%s: printed %q, %v (%s); want %q", c.name, out, err, said, want)
		}
	}

	// F3: LOGNAME's home relative: a refusal, not USER's home.
	out, said, err := runFakePasswd(t, sh, sandbox, passwd, "~/x", []string{"HOME"}, []string{"LOGNAME=rel", "USER=me"}, "pwd\n")
	if err == nil || out != "" || !strings.Contains(said, "line 7") || !strings.Contains(said, ":dir ~/x") || !strings.Contains(said, "LOGNAME") {
		t.Errorf("LOGNAME's home relative: in %q, %v, said %q; want a refusal naming line 7, :dir ~/x and LOGNAME", out, err, said)
	}
	// F2: the database cannot be read (getent's status 1, as for an
	// unknown database; a mode-0 file root would read): a refusal for
	// LOGNAME and USER.
	for _, env := range [][]string{{"LOGNAME=me"}, {"USER=me"}} {
		out, said, err := runFakeGetent(t, sh, sandbox, passwd, "exit 1", "~/x", []string{"HOME"}, env, "pwd\n")
		if err == nil || out != "" || !strings.Contains(said, "line 7") || !strings.Contains(said, ":dir ~/x") || !strings.Contains(said, "could not be read") {
			t.Errorf("%v, unreadable database: in %q, %v, said %q; want a refusal naming line 7, :dir ~/x and the read", env, out, err, said)
		}
	}
}

// barePath is a directory for PATH without getent: mkdir and id alone.
func barePath(t *testing.T) string {
	t.Helper()
	bare := t.TempDir()
	for _, name := range []string{"mkdir", "id"} {
		p, err := exec.LookPath(name)
		if err != nil {
			t.Skipf("no %s", name)
		}
		if err := os.Symlink(p, filepath.Join(bare, name)); err != nil {
			t.Fatal(err)
		}
	}
	return bare
}
