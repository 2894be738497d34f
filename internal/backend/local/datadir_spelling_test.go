package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// A data directory spelled one way at a launch and another at the
// restart (through a link, relative, with slashes doubled or trailing, a
// ".." after a link) is the same directory: the restarted server
// re-attaches to the wrapper still running, keeps the exit log it writes
// to (deleted, its status would be lost), and reports the status it
// writes there at its end; an attempt that ended meanwhile is reported
// with its status.
func TestRecoverDataDirSpelledOtherwise(t *testing.T) {
	type spelling func(t *testing.T, real string) string
	canonical := func(t *testing.T, real string) string { return real }
	link := func(t *testing.T, real string) string {
		l := filepath.Join(t.TempDir(), "link")
		if err := os.Symlink(real, l); err != nil {
			t.Fatal(err)
		}
		return l
	}
	relative := func(t *testing.T, real string) string {
		t.Chdir(filepath.Dir(real))
		return filepath.Base(real)
	}
	slashes := func(t *testing.T, real string) string { return "/" + real + "/" }
	// PARENT/sub/../../NAME, where sub is a link to PARENT/inner/deeper,
	// is real to the kernel, and PARENT/../NAME, another directory, to a
	// lexical reading.
	dotdot := func(t *testing.T, real string) string {
		parent := filepath.Dir(real)
		inner := filepath.Join(parent, "inner", "deeper")
		if err := os.MkdirAll(inner, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(inner, filepath.Join(parent, "sub")); err != nil && !os.IsExist(err) {
			t.Fatal(err)
		}
		return filepath.Join(parent, "sub") + "/../../" + filepath.Base(real)
	}
	cases := []struct {
		name          string
		first, second spelling
	}{
		{"link_then_canonical", link, canonical},
		{"canonical_then_link", canonical, link},
		{"relative_then_absolute", relative, canonical},
		{"slashes_then_canonical", slashes, canonical},
		{"canonical_then_slashes", canonical, slashes},
		{"dotdot_then_canonical", dotdot, canonical},
		{"canonical_then_dotdot", canonical, dotdot},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			real := filepath.Join(t.TempDir(), "data")
			if err := os.Mkdir(real, 0o700); err != nil {
				t.Fatal(err)
			}
			release := filepath.Join(t.TempDir(), "release")
			first, r1 := newBackend(t, c.first(t, real))
			long := waitingFor(release)
			quick := attempt("exit 4", nil)
			for _, a := range []*engine.Attempt{long, quick} {
				if err := first.Launch(context.Background(), a); err != nil {
					t.Fatal(err)
				}
			}
			r1.wait(t, long.ID, engine.Running)
			r1.wait(t, quick.ID)
			firstLog := filepath.Join(real, "exits", filepath.Base(first.exitLog))

			second, r2 := newBackend(t, c.second(t, real))
			if err := second.Recover(context.Background(), []*engine.Attempt{long, quick}); err != nil {
				t.Fatal(err)
			}
			if u := r2.wait(t, quick.ID); u.ExitCode == nil || *u.ExitCode != 4 {
				t.Fatalf("quick: %+v", u)
			}
			releasedAfterRestart(t, r2, long, firstLog, release)
		})
	}
}

// A wrapper launched by a Borges that did not resolve the data directory
// carries the paths it was given spelled as they were: read by what they
// name, they are the attempt's and a log in use.
func TestRecoverWrapperOfAServerSpellingDataOtherwise(t *testing.T) {
	real, link := dataThroughLink(t)
	parentLink := filepath.Join(filepath.Dir(link), "parent")
	if err := os.Symlink(filepath.Dir(real), parentLink); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, spelled string }{
		{"link", link},
		{"parent_link", parentLink + "/" + filepath.Base(real)},
	} {
		spelled := c.spelled
		t.Run(c.name, func(t *testing.T) {
			long, firstLog, release := launchedSpelling(t, real, spelled)
			second, r2 := newBackend(t, real)
			if err := second.Recover(context.Background(), []*engine.Attempt{long}); err != nil {
				t.Fatal(err)
			}
			releasedAfterRestart(t, r2, long, firstLog, release)
		})
	}
}

// dataThroughLink makes a data directory, real, and a link to it.
func dataThroughLink(t *testing.T) (real, link string) {
	t.Helper()
	real = filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(real, 0o700); err != nil {
		t.Fatal(err)
	}
	link = filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	return real, link
}

// launchedSpelling launches long (waitingFor release) as a Borges that
// did not resolve the data directory real, spelled so, did, and returns
// the path of the exit log its wrapper writes to.
func launchedSpelling(t *testing.T, real, spelled string) (long *engine.Attempt, firstLog, release string) {
	t.Helper()
	release = filepath.Join(t.TempDir(), "release")
	first, r1 := newBackend(t, real)
	// As the older Borges spelled them (through a link: it cleaned
	// lexically, so with no slash doubled or trailing, no ".."): the
	// wrapper's paths, not the directory it works in.
	first.cfg.DataDir = spelled
	first.exitLog = spelled + "/exits/" + filepath.Base(first.exitLog)
	long = waitingFor(release)
	if err := first.Launch(context.Background(), long); err != nil {
		t.Fatal(err)
	}
	r1.wait(t, long.ID, engine.Running)
	return long, filepath.Join(real, "exits", filepath.Base(first.exitLog)), release
}

// waitingFor is an attempt that exits with status 5 once the file at
// release is there (bounded: ten minutes; killed at the test's end
// besides).
func waitingFor(release string) *engine.Attempt {
	return attempt(`i=0; while [ ! -e '`+release+`' ] && [ $i -lt 12000 ]; do sleep 0.05; i=$((i+1)); done; exit 5`, nil)
}

// releasedAfterRestart checks that long (waitingFor release), launched
// by a server before, is re-attached to by the one recording to r, that
// its exit log, at firstLog, is still there, and that once released its
// status is reported.
func releasedAfterRestart(t *testing.T, r *recorder, long *engine.Attempt, firstLog, release string) {
	t.Helper()
	if u := r.wait(t, long.ID, engine.Running); !strings.Contains(u.Message, "re-attached") {
		t.Fatalf("long not re-attached: %+v", u)
	}
	if _, err := os.Stat(firstLog); err != nil {
		t.Fatalf("the exit log a live wrapper writes to was removed: %v", err)
	}
	if err := os.WriteFile(release, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, long.ID); u.ExitCode == nil || *u.ExitCode != 5 {
		t.Fatalf("long: %+v", u)
	}
}

// The paths a process carries are turned to this run's spelling where
// they name its directories, and only there: another data directory's
// attempt of the same id, a relative path, a name that is not one are
// left as they are.
func TestDataSpelling(t *testing.T) {
	real := filepath.Join(t.TempDir(), "data")
	b, _ := newBackend(t, real)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(b.cfg.DataDir, link); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	for _, dir := range []string{"attempts", "exits"} {
		if err := os.Mkdir(filepath.Join(other, dir), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	s := b.spelling(map[string]bool{"ID": true, "x": true})
	if s == nil {
		t.Fatal("no spelling")
	}
	for v, want := range map[string]string{
		link + "/attempts/ID/exit":             b.exitFile("ID"),
		"/" + real + "//attempts/ID/exit":      b.exitFile("ID"), // as a rewritten environment may say: no server hands it
		other + "/attempts/ID/exit":            other + "/attempts/ID/exit",
		link + "/attempts/../exit":             link + "/attempts/../exit",
		link + "/attempts/ID/exit/":            link + "/attempts/ID/exit/",
		"attempts/ID/exit":                     "attempts/ID/exit",
		link + "/attempts/ID/exit.not":         link + "/attempts/ID/exit.not",
		link + "/sandboxes/../attempts/x/exit": b.exitFile("x"),
	} {
		if got := s.exitFile(v, false); got != want {
			t.Errorf("exit file %s: %s, want %s", v, got, want)
		}
	}
	name := filepath.Base(b.exitLog)
	for v, want := range map[string]string{
		link + "/exits/" + name:  b.exitLog,
		other + "/exits/" + name: other + "/exits/" + name,
		link + "/exits/..":       link + "/exits/..",
		link + "/exits/":         link + "/exits/",
		"":                       "",
	} {
		if got, _ := s.exitLog(v, os.Getpid()); got != want {
			t.Errorf("exit log %s: %s, want %s", v, got, want)
		}
	}
}
