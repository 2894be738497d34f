package executor

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/wallyqs/borges/internal/sandboxfs"
)

// tasksRoot is the executor's tasks directory (TasksDir), made if
// missing and held open from its first use: a task, running as the same
// user in the same sandbox, that later puts a link at its path changes
// nothing, every task's directory being made in the directory held.
func (e *Executor) tasksRoot() (*sandboxfs.Dir, error) {
	e.tasksOnce.Do(func() {
		p := filepath.Join(e.cfg.Sandbox, TasksDir)
		if err := os.MkdirAll(p, 0o755); err != nil {
			e.tasksErr = fmt.Errorf("tasks directory: %w", err)
			return
		}
		if e.tasksDir, e.tasksErr = sandboxfs.OpenDir(p); e.tasksErr != nil {
			e.tasksErr = fmt.Errorf("tasks directory: %w", e.tasksErr)
		}
	})
	return e.tasksDir, e.tasksErr
}

// makeTaskDir makes the directory of task id in the tasks directory
// through no link, and returns it held open, for its files to be made in
// it through no link either. A task can predict a later task's id and
// plant a link, or a directory of links, at its name: an entry already
// there is refused, never followed nor used (the task fails to launch
// saying so), unless shared: the directory of a session's first block,
// which its session's interpreter and that block make whichever starts
// first, is then opened if it is a directory (a link there is refused).
func (e *Executor) makeTaskDir(id string, shared bool) (*sandboxfs.Dir, error) {
	if id == "" || id == "." || id == ".." || strings.ContainsAny(id, "/\x00") {
		return nil, fmt.Errorf("task id %q cannot name a directory", id)
	}
	tasks, err := e.tasksRoot()
	if err != nil {
		return nil, err
	}
	if err := tasks.Mkdir(id, 0o755); err != nil {
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if !shared {
			return nil, fmt.Errorf("%s: already there (left by another task?): refusing to use it", tasks.Join(id))
		}
	}
	return tasks.Sub(id)
}
