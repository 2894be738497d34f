package executor

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/sandboxfs"
	"github.com/wallyqs/borges/internal/taskenv"
	"github.com/wallyqs/borges/internal/workdir"
)

// openWorkDir opens where a task whose sandbox is box (its
// directory, tasks/ID/, held open) runs for its :dir d (plan.WorkDir, "~"
// the home of the task's environment env by the local backend's rule,
// taskenv.Home: its HOME, as Emacs and a command executor's shell expand
// it, an empty one refused), by the local backend's rule
// (package workdir): the sandbox itself for none; a relative :dir made
// and opened beneath the sandbox through no link (one a task left there
// is never followed); an absolute one, ~/…, or one climbing out of the
// sandbox following the user's links as Emacs does, the part missing
// made through no link, but never landing in the executor's own files
// (ownState). It returns the directory held for the process to start in
// (workdir.Start), for the caller to close once it has started.
func (e *Executor) openWorkDir(box *sandboxfs.Dir, d string, env []string) (workdir.Start, error) {
	sandbox := box.Path()
	work, err := plan.WorkDir(sandbox, d, func() (string, error) { return taskenv.Home(env) })
	if err != nil {
		return workdir.Start{}, err
	}
	dir, err := workdir.Open(box.Clone, sandbox, work, e.ownState)
	if err != nil {
		return workdir.Start{}, err
	}
	defer dir.Close()
	return workdir.Hold(dir, work)
}

// ownState is the executor's own state on its agent: its sandbox
// (MESOS_SANDBOX: its log, stdout and stderr, which the agent writes;
// the list of its cgroups, CgroupsFile) and everything beneath it, the
// tasks' directories (TasksDir) with their stdout, stderr and value
// files, which Borges reads as the tasks' results, among them. A
// working directory that is one of these or lies beneath one, by its
// path or by a link, is refused: compared by identity (device and
// inode), each directory from it up to the root.
func (e *Executor) ownState() (workdir.Own, error) {
	ids := map[workdir.ID]bool{}
	for _, p := range []string{e.cfg.Sandbox, filepath.Join(e.cfg.Sandbox, TasksDir)} {
		// By the path the agent gave (MESOS_SANDBOX, a link or a
		// bind there followed): the directories themselves. A link
		// there is the agent's, not a task's (a task cannot change
		// MESOS_SANDBOX's path): followed, so the directory the
		// executor writes in is the one compared, wherever the
		// agent's name for it leads (TestDirExecutorSandboxBehindLink).
		var st unix.Stat_t
		if err := unix.Stat(p, &st); err != nil {
			return workdir.Own{}, &os.PathError{Op: "stat", Path: p, Err: err}
		}
		ids[workdir.ID{Dev: uint64(st.Dev), Ino: st.Ino}] = true
	}
	return workdir.Own{Is: func(id workdir.ID) bool { return ids[id] }, Name: "the Borges executor's sandbox " + e.cfg.Sandbox}, nil
}

// WorkDirLabel, on a task (not a session's block), is its block's :dir:
// the executor opens it (openWorkDir) before the task starts and hands
// the directory opened to its shell, which enters it by WorkDirStep.
// Absent for none: the task runs in its sandbox.
const WorkDirLabel = "borges_workdir"

// WorkDirStep is the shell step of a task's command (WorkDirLabel) that
// enters the directory the executor opened for its :dir (the descriptor
// named by BORGES_WORKDIR_FD, a single digit), named as written
// (BORGES_WORKDIR, workdir.Start.Written: its PWD as Emacs gives it) only
// where that path is still the directory opened, else by its real path;
// then closes it: where Borges ships a block, the step it puts where it
// makes and enters the :dir on a command executor. An executor older
// than the scheduler opens no :dir and sets neither: the step then
// fails saying so.
const WorkDirStep = `cd -P /proc/self/fd/"${BORGES_WORKDIR_FD:?` + olderExecutor + `}" || exit 1
[ -z "${BORGES_WORKDIR-}" ] || { cd -- "$BORGES_WORKDIR" && [ . -ef /proc/self/fd/"$BORGES_WORKDIR_FD" ]; } 2>/dev/null || cd -P /proc/self/fd/"$BORGES_WORKDIR_FD" || exit 1
eval "exec ${BORGES_WORKDIR_FD}<&-"; unset BORGES_WORKDIR_FD BORGES_WORKDIR
`

// olderExecutor is what a block with a :dir fails with on an executor
// older than its scheduler (one that does not open :dir): the
// scheduler's block shipped to it says what to do. No quote in it: a
// shell reads it inside a double-quoted ${…:?…}, where bash takes a
// quote otherwise than dash.
const olderExecutor = "the Borges executor on this agent did not open the :dir: it is older than the Borges server; install the same version as the server at #+mesos_executor"
