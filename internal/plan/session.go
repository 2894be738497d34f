package plan

import (
	"reflect"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

// session plans a block's :session, as Org 9.5.5 runs it: a block of a
// shell, Python or Ruby with ":session NAME" (not "none") is sent to that
// session's interpreter, one per kind and name, after the blocks of the
// session before it in the document. A shell session runs the shell of its
// first block (ob-shell binds shell-file-name to the block's language:
// "sh -i", "bash --noediting -i"; for "shell" it is $SHELL's, or
// /bin/sh, where the session runs), and later blocks, bash or sh, run in it;
// a shell block with :stdin or :cmdline is run as a script outside the
// session, as ob-shell runs it. It returns why the block's :session is not
// kept ("" when it is, or there is none).
func (b *builder) session(blk *org.Block, t *Task) string {
	name, ok := blk.Args.Get("session")
	if !ok || name == "none" {
		return ""
	}
	kind, ok := sessionKind(blk)
	switch {
	case ok:
	case shellNames[t.Lang]:
		// :stdin or :cmdline: a script outside the session.
		return ""
	case elispLangs[t.Lang] && t.shebang == "":
		// ob-emacs-lisp ignores :session: the block runs in the
		// document's Emacs (elisp_session.go), as in Emacs.
		return ""
	default:
		return "Borges keeps sessions for shells, Python and Ruby"
	}
	if a, _ := blk.Args.Lookup("session"); kind == session.Shell && a.String && name == "" {
		// ob-shell asks (shell "") for the session's buffer, and
		// Emacs stops at the block: no session is started.
		b.stopAt(t, emptyBufferNameStop)
		return ""
	}
	if a, _ := blk.Args.Lookup("session"); kind == session.Python && a.String && name == "" {
		// org-babel-python-with-earmuffs takes the first character
		// of the name, (substring "" 0 1), and Emacs stops at the
		// block before it starts Python.
		b.stopAt(t, emptyPythonSessionStop)
		return ""
	}
	if why := b.limits.NoSessions; why != "" {
		return why
	}
	if why := b.limits.NoContainerSessions; why != "" && t.Container != nil {
		return why
	}
	key := name
	if kind == session.Python {
		// One session by ob-python's buffer, which :session gives
		// no value for too.
		key = pythonSessionBuffer(name)
		if name == "" {
			name = key
		}
	}
	s := &Session{Name: name, Key: string(kind) + ":" + key, Kind: string(kind),
		ShellForms: kind == session.Shell && t.Lang == "shell"}
	first := b.sessionFirst[s.Key]
	switch {
	case first != nil:
		s.Command = first.Session.Command
	case kind == session.Shell:
		s.Command = session.Command(kind, t.Lang, nil)
	default:
		interp := t.Interpreter
		if t.command != "" {
			// A session's interpreter is started with the command's
			// words, not through a shell.
			interp = strings.Fields(t.command)
		}
		if len(interp) == 0 {
			// :shebang: a session's interpreter is the language's all
			// the same (ob-python and ob-ruby ignore it there).
			interp = interpreters[t.Lang]
		}
		s.Command = session.Command(kind, "", interp)
	}
	if kind != session.Shell {
		results, _ := blk.Args.Get("results")
		words := strings.Fields(results)
		s.Value = valueMode(blk.Args)
		s.PP = contains(words, "pp") || kind == session.Ruby && contains(words, "code")
	}
	if t.Instances != 1 {
		b.problem(blk, t.Block, ":instances", "a block of :session %s runs once, in its session's interpreter", name)
	}
	if t.Ensure == ItKeepsRunning {
		b.problem(blk, t.Block, ":ensure", "a block of :session %s runs in its session's interpreter and ends with it: it cannot be kept running", name)
	}
	if first != nil && !reflect.DeepEqual(first.Container, t.Container) {
		b.problem(blk, t.Block, ":dockerize", "the blocks of :session %s run in one interpreter, where %s's runs: give them the same :dockerize and :image", name, first.Block)
	}
	if prev := b.sessions[s.Key]; prev != nil {
		t.After = append(t.After, prev.Block)
		t.sessionPrev = prev.Block
	} else {
		b.sessionFirst[s.Key] = t
	}
	b.sessions[s.Key] = t
	t.Session = s
	return ""
}

// pythonSessionBuffer is the buffer of the Python session ob-python runs
// a block of :session name in (org-babel-python-initiate-session-by-key):
// "*Python*", its default, for a :session given no value; otherwise the
// name with earmuffs (org-babel-python-with-earmuffs), so that :session
// foo and :session *foo* are one session, as :session and :session
// *Python* are.
func pythonSessionBuffer(name string) string {
	if name == "" {
		return "*Python*"
	}
	if len(name) > 1 && strings.HasPrefix(name, "*") && strings.HasSuffix(name, "*") || name == "*" {
		return name
	}
	return "*" + name + "*"
}

// emptyBufferNameStop is the error Emacs stops with at a shell block
// whose :session is the empty string (:session ""), asking for a shell
// buffer of no name.
const emptyBufferNameStop = "Empty string for buffer name is not allowed"

// emptyPythonSessionStop is the error Emacs stops with at a Python block
// whose :session is the empty string (:session ""), as it writes it:
// (args-out-of-range "" 0 1).
const emptyPythonSessionStop = `Args out of range: "", 0, 1`

func contains(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

// sessionBody is what a session is sent for a block: the full body
// (org-babel-expand-body:generic), with ob-shell's "echo $?" when the
// result is the exit status, and for Python in value mode the :return
// expression on a line of its own (in a session there is no main() to
// return from).
func (t *Task) sessionBody(blk *org.Block, script string) string {
	switch session.Kind(t.Session.Kind) {
	case session.Shell:
		if org.ValueIsExitStatus(blk.Args) {
			script += "\necho $?"
		}
	case session.Python:
		if v, ok := blk.Args.Get("return"); ok && v != "" && t.Session.Value {
			script += "\n" + v
		}
	}
	return script
}

// InSession reports whether t runs in the session whose key is key
// (Session.Key); false for a nil task, or one of no session.
func (t *Task) InSession(key string) bool {
	return t != nil && t.Session != nil && t.Session.Key == key
}

// SessionPrev is the task t's session runs before it, "" for the
// session's first (or a task of no session).
func (t *Task) SessionPrev() string { return t.sessionPrev }

// ReadersBefore are the readers t waits for, until each has ended
// however it ended, only to keep Emacs's order: each reads a name whose
// next element, later in t's session, Emacs sends to the session within
// the reader's evaluation, before t (sessionAfterReaders). Not among
// After: no reference, nor a dependency whose failure holds t.
func (t *Task) ReadersBefore() []string { return t.readersBefore }

// WaitsAsReader reports whether name is among t's ReadersBefore.
func (t *Task) WaitsAsReader(name string) bool { return slices.Contains(t.readersBefore, name) }

// SessionWaitFor is the block of t's session t waits for when Babel runs
// it for reader's reference (the next element of a name), within the
// reader's evaluation: not the blocks of the session between the reader
// and t, which Emacs sends the session after t, each waiting for the
// reader (ReadersBefore, or through After; so that each runs after t in
// Borges too), but the one before
// them ("" for none). ok is false when t keeps its session's order: t
// is of no session or refers to the block before it there, no such
// block waits for the reader, or one between does not. task finds a
// task by name.
func (t *Task) SessionWaitFor(reader *Task, task func(string) *Task) (prev string, ok bool) {
	if t.Session == nil || t.sessionPrev == "" || t.refersTo(t.sessionPrev) {
		return "", false
	}
	p := task(t.sessionPrev)
	skipped := false
	for n := 0; p != nil && p.Line > reader.Line; n++ {
		if n > t.Line || !p.WaitsAsReader(reader.Block) && !waitsFor(p, reader.Block, task) {
			return "", false
		}
		skipped = true
		if p.sessionPrev == "" {
			return "", true
		}
		p = task(p.sessionPrev)
	}
	if !skipped || p == nil {
		return "", false
	}
	return p.Block, true
}

// sessionAfterReaders has each block of a session that stands between a
// reader and the next element of a name it may run for a reference
// (boundValue.next), a later block of that session, wait for the reader
// (Task.readersBefore, not After: a wait until the reader has ended,
// however it ended): Emacs sends that element to the session within the
// reader's evaluation, before those blocks, which it runs after the
// reader, as they follow it in the buffer; Borges can only when they
// wait for the reader (SessionWaitFor). Not when Babel runs one of them
// for the next element (runsBack: within the reader's evaluation), nor
// when the reader waits for one of them, nor when a block before the
// reader does (Emacs runs it then, for that reference): the session's
// order stands. Waits here are the engine's (mayWaitFor), with the
// readers' waits added so far. Bounded: each block of such a chain is
// looked at once per reader, and each check walks the tasks at most
// twice.
func (b *builder) sessionAfterReaders() {
	for _, r := range b.plan.Tasks {
		var before []string // the tasks before r in the buffer, once one value needs them
		beforeFound := false
		for _, bv := range r.values {
			n := b.byName[bv.next]
			if bv.next == "" || bv.nextCycle || n == nil || n.Session == nil || n.Line <= r.Line {
				continue
			}
			var between []*Task
			for p, i := b.byName[n.sessionPrev], 0; p != nil && p.Line > r.Line && i < len(b.plan.Tasks); p, i = b.byName[p.sessionPrev], i+1 {
				if !waitsFor(p, r.Block, b.taskNamed) {
					between = append(between, p)
				}
			}
			if len(between) == 0 {
				continue
			}
			if !beforeFound {
				for _, t := range b.plan.Tasks {
					if t.Line < r.Line {
						before = append(before, t.Block)
					}
				}
				beforeFound = true
			}
			ok := true
			for _, p := range between {
				ok = ok && !b.runsBack(n.Block, p.Block) &&
					!b.mayWaitFor([]string{r.Block}, p.Block) && !b.mayWaitFor(before, p.Block)
			}
			if !ok {
				continue
			}
			for _, p := range between {
				if !slices.Contains(p.readersBefore, r.Block) {
					p.readersBefore = append(p.readersBefore, r.Block)
				}
			}
		}
	}
}

// mayWaitFor reports whether one of the tasks from may wait for task
// to (not one of them): through After, the readers a task waits for
// (readersBefore) and the next elements of names it may run for a
// reference (NextWaits), where such an element, run within the
// evaluation of the task that reads it, does not wait for the block
// before it in its session (SessionWaitFor: that block is before the
// reader) unless it refers to it. The engine's waits, but buffer ones.
// Bounded: each task is looked at at most twice.
func (b *builder) mayWaitFor(from []string, to string) bool {
	seen := map[waitNode]bool{}
	var stack []waitNode
	for _, f := range from {
		seen[waitNode{name: f}] = true
		if t := b.byName[f]; t != nil {
			stack = append(stack, waitNodes(t, false)...)
		}
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x.name == to {
			return true
		}
		t := b.byName[x.name]
		if seen[x] || t == nil {
			continue
		}
		seen[x] = true
		stack = append(stack, waitNodes(t, x.forNext)...)
	}
	return false
}

// waitNode is a task (name) as mayWaitFor walks it: forNext when it runs
// as the next element of a name, for a reference.
type waitNode struct {
	name    string
	forNext bool
}

// waitNodes are the tasks t may wait for (mayWaitFor), t run as the next
// element of a name when forNext.
func waitNodes(t *Task, forNext bool) []waitNode {
	var out []waitNode
	for _, a := range t.After {
		if !forNext || a != t.sessionPrev || t.refersTo(a) {
			out = append(out, waitNode{name: a})
		}
	}
	for _, a := range t.readersBefore {
		out = append(out, waitNode{name: a})
	}
	for _, bv := range t.values {
		if bv.next != "" && !bv.nextCycle {
			out = append(out, waitNode{name: bv.next, forNext: true})
		}
	}
	return out
}

// waitsFor reports whether task from waits, through After, for task to.
func waitsFor(from *Task, to string, task func(string) *Task) bool {
	return reaches(from.After, to, task, func(t *Task) []string { return t.After })
}

// InSessionAfter is t run in its session after task prev, a block added
// to the Org buffer before t among the session's blocks: t waits for it,
// as org-babel-execute-buffer sends the session the block it finds
// first. t is not changed.
func (t *Task) InSessionAfter(prev string) *Task {
	c := *t
	c.After = append(append([]string(nil), t.After...), prev)
	c.sessionPrev = prev
	return &c
}

// InSessionWithout is t with added task gone (which ran after prev in
// the session) no longer in its session: it runs after prev again. t
// is not changed.
func (t *Task) InSessionWithout(gone, prev string) *Task {
	if t.sessionPrev != gone {
		return t
	}
	c := *t
	c.After = slices.DeleteFunc(slices.Clone(t.After), func(a string) bool { return a == gone })
	if prev != "" && !slices.Contains(c.After, prev) {
		c.After = append(c.After, prev)
	}
	c.sessionPrev = prev
	return &c
}
