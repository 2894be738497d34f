package plan

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// TestMain runs the tests in the harness's environment (harnessEnvironment)
// and with Python started directly, not through a version manager's shim
// (see outside.UnshimPython), and without the machine's site-packages
// (harnessPython): the fixtures compared with Emacs start Python
// thousands of times, Emacs and Borges the same interpreter.
func TestMain(m *testing.M) {
	if err := harnessEnvironment(); err != nil {
		fmt.Fprintln(os.Stderr, "plan tests:", err)
		os.Exit(2)
	}
	if err := outside.UnshimPython(); err != nil {
		// Slower, not wrong: the tests run Python through the shim.
		fmt.Fprintln(os.Stderr, "plan tests: Python stays as PATH finds it:", err)
	}
	bin, base, err := outside.SitelessPython()
	if err != nil {
		// Slower, not wrong: Python runs with the machine's site-packages.
		fmt.Fprintln(os.Stderr, "plan tests: Python keeps its site-packages:", err)
	}
	harnessPython = sitelessPython{bin, base}
	flag.Parse()
	if parallelGiven = flagGiven("test.parallel"); !parallelGiven {
		flag.Set("test.parallel", strconv.Itoa(fixturesAtOnce()))
	}
	os.Exit(m.Run())
}

// parallelGiven is whether the command line gave -parallel (TestMain
// sets it otherwise).
var parallelGiven bool

// fixturesAtOnce is how many of TestAgainstEmacs's fixtures (the one
// parallel test of the package) run side by side unless -parallel says:
// two a CPU. A fixture leaves its CPU idle part of the time (it waits for
// the processes it starts, one after another: each block's, Emacs's
// start, the replies of its sessions), and the package alone used about
// 1.25 of CI's 2 cores with Go's default of one fixture a CPU; four at
// once ran 74 fixtures in 31 s of wall time rather than 38 (means of six
// runs each on a shared 2-core machine), the CPU the same
// (docs/performance.md, The suite's time).
func fixturesAtOnce() int {
	return 2 * runtime.GOMAXPROCS(0)
}

// flagGiven is whether the command line set the flag name.
func flagGiven(name string) bool {
	given := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == name {
			given = true
		}
	})
	return given
}

// harnessPython is the harness's Python (outside.SitelessPython): a
// virtual environment of the interpreter "python3" on PATH ran, first on
// PATH, for Emacs and Borges alike; without the interpreter's
// site-packages, whose start files (.pth) a machine may fill (one
// importing a module took two thirds of every Python start's CPU), and
// which no fixture reads (they import the standard library alone). A
// committed reference's key sees it as the interpreter it runs (unseen):
// what it leaves out differs from machine to machine and was never in the
// key; the interpreter, its version and its file's text, is.
var harnessPython sitelessPython

// sitelessPython is the environment's bin and the interpreter it runs
// (its path as PATH found it); both "" without one.
type sitelessPython struct{ bin, base string }

// unseen is s with the environment's python3 written as the interpreter
// it runs (a block's command in the row's Lisp).
func (p sitelessPython) unseen(s string) string {
	if p.bin == "" {
		return s
	}
	return strings.ReplaceAll(s, filepath.Join(p.bin, "python3"), p.base)
}

// onPath is whether dir is the environment's bin, which a key's PATH
// leaves out.
func (p sitelessPython) onPath(dir string) bool {
	return p.bin != "" && dir == p.bin
}

// harnessLocale is the locale every test runs in, Emacs and Borges alike.
const harnessLocale = "C.UTF-8"

// harnessEnvironment makes the tests' environment the same on every
// machine in what a machine sets by itself and Emacs, shells and
// interpreters read: the locale is harnessLocale, and the machine's
// variables of the interpreters (a container image's PYTHONUNBUFFERED,
// pyenv's PYENV_ROOT, NODE_EXTRA_CA_CERTS: machineVariables) are unset,
// for Emacs and Borges alike. A committed reference's key holds such
// variables for a fixture naming a language (referenceEnv), so that each
// machine's would make the entries written on one of other inputs on the
// next, which then runs Emacs for every such fixture (CI did, for every
// Python fixture). A fixture that needs one sets it (fixtureEnv).
func harnessEnvironment() error {
	for _, name := range machineVariables(os.Environ()) {
		if err := os.Unsetenv(name); err != nil {
			return fmt.Errorf("unsetting %s: %w", name, err)
		}
	}
	return os.Setenv("LANG", harnessLocale)
}

// machineVariables are the names in env that harnessEnvironment unsets:
// an interpreter's (langEnvPrefixes), and the locale's other than LANG
// (LC_*, LANGUAGE), sorted.
func machineVariables(env []string) []string {
	var names []string
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		unset := strings.HasPrefix(name, "LC_") || name == "LANGUAGE"
		for p := range langEnvPrefixes {
			unset = unset || strings.HasPrefix(name, p)
		}
		if unset {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// TestFixturesAtOnce: without -parallel, TestMain lets two fixtures a CPU
// run side by side.
func TestFixturesAtOnce(t *testing.T) {
	got := flag.Lookup("test.parallel").Value.String()
	if parallelGiven {
		t.Skipf("-parallel given: %s", got)
	}
	if want := strconv.Itoa(fixturesAtOnce()); got != want {
		t.Errorf("test.parallel is %s, want %s", got, want)
	}
}
