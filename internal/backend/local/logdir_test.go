package local

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// outsideDir is a directory out of DATA holding a file that reads as a
// log nothing needs; untouched says it still holds only that file.
func outsideDir(t *testing.T) (dir string, untouched func(t *testing.T)) {
	t.Helper()
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("precious\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, func(t *testing.T) {
		t.Helper()
		names, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range names {
			got = append(got, e.Name())
		}
		if !slices.Equal(got, []string{"notes.txt"}) {
			t.Errorf("the directory outside DATA holds %v, want only notes.txt", got)
		}
		if data, err := os.ReadFile(filepath.Join(dir, "notes.txt")); err != nil || string(data) != "precious\n" {
			t.Errorf("the file outside DATA reads %q (%v)", data, err)
		}
	}
}

// A link at DATA/wrappers or DATA/exits is not followed out of DATA: the
// server refuses to start, naming it, rather than write its log there,
// and nothing there is deleted as a log nothing needs. One put in place
// of either after the start is not followed either: the logs are made,
// read and deleted in the directory opened at the start.
func TestLogDirsRefuseLinks(t *testing.T) {
	for _, dir := range []string{"wrappers", "exits"} {
		t.Run(dir+"/at start", func(t *testing.T) {
			data := t.TempDir()
			outside, untouched := outsideDir(t)
			if err := os.Symlink(outside, filepath.Join(data, dir)); err != nil {
				t.Fatal(err)
			}
			b, err := New(Config{DataDir: data, CgroupParent: "-"})
			if err == nil {
				b.Recover(context.Background(), nil)
				b.Close()
				t.Errorf("New started with a link at DATA/%s", dir)
			} else if !strings.Contains(err.Error(), filepath.Join(data, dir)) {
				t.Errorf("New's error does not name DATA/%s: %v", dir, err)
			}
			untouched(t)
		})
		t.Run(dir+"/after start", func(t *testing.T) {
			b, _, _ := loggingNoCgroups(t)
			outside, untouched := outsideDir(t)
			path := filepath.Join(b.cfg.DataDir, dir)
			if err := os.Rename(path, path+".moved"); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(outside, path); err != nil {
				t.Fatal(err)
			}
			if err := b.Recover(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			untouched(t)
		})
	}
}

// scanExitLog reads the exit log at path (scanExitLines).
func scanExitLog(path string, found func(id string, code int)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = scanExitLines(f, found)
	return err
}

// loggedExit is an attempt's status in the exit log at path.
func loggedExit(path, id string) (code int, ok bool) {
	scanExitLog(path, func(got string, n int) {
		if got == id {
			code, ok = n, true
		}
	})
	return code, ok
}

// scanWrapperLog reads the wrapper log at path (scanWrapperLines).
func scanWrapperLog(path string, found func(id string, w wrapperID)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = scanWrapperLines(f, found)
	return err
}

// A line too long for a log (a task may write to its run's logs) is
// skipped, with a warning naming the log, and the lines after it read on:
// one does not hide the attempts named after it.
func TestLogLongLineSkipped(t *testing.T) {
	long := strings.Repeat("x", 5000)
	t.Run("wrappers", func(t *testing.T) {
		b, _, logged := loggingNoCgroups(t)
		const id = "d.long.0.1"
		writeWrapperLog(t, b, "1-1", long+"\n1234 5 - "+id+"\n")
		got := b.recoverWrappers(map[string]bool{id: true})
		if w, ok := got[id]; !ok || w.pid != 1234 || w.start != 5 {
			t.Errorf("the wrapper named after a long line: %+v %v, want pid 1234 start 5", w, ok)
		}
		if !strings.Contains(logged.String(), "level=WARN") || !strings.Contains(logged.String(), filepath.Join(wrappersDir(b.cfg.DataDir), "1-1")) {
			t.Errorf("no warning naming the log:\n%s", logged.String())
		}
	})
	t.Run("exits", func(t *testing.T) {
		b, _, logged := loggingNoCgroups(t)
		const id = "d.long.0.2"
		path := filepath.Join(exitsDir(b.cfg.DataDir), "1-1")
		if err := os.WriteFile(path, []byte(strings.Repeat(long, 20)+"\n7 "+id+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		got, _ := b.recoverExits(map[string]bool{id: true}, nil)
		if code, ok := got[id]; !ok || code != 7 {
			t.Errorf("the status logged after a long line: %d %v, want 7", code, ok)
		}
		if !strings.Contains(logged.String(), "level=WARN") || !strings.Contains(logged.String(), path) {
			t.Errorf("no warning naming the log:\n%s", logged.String())
		}
	})
}
