package plan

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// postDirStop is the error org-babel-execute-buffer stops with at task
// t's block, blk, once its own program has run, where the block its
// :post calls starts its process in a directory certainly missing then;
// "" where it does not, or where that is not certain from the document.
// org-babel-execute-src-block resolves the :post inside its binding of
// default-directory to blk's :dir, so the callee's relative :dir is
// expanded under it (:dir a, a callee's :dir c: a/c), and a callee of
// none runs there: an Emacs Lisp block runs with a missing :dir (no
// process), its :post's process does not (checked with Emacs 28.2:
// fixtures hunt19_gap_post_joined_dir, hunt19_gap_elisp_missing_dir,
// postdir_*). No results are written for blk, nor for the blocks after.
//
// Planned only where every program that runs before the callee is one
// whose directories are known: a shell program of literal mkdir and
// commands that make none (literalShellDirs), blk's own too, or an
// Emacs Lisp body that is a constant; the rest as dirStop (what Babel
// makes, babelMadeBefore's care, a visited document, Lisp evaluated,
// sessions, :cache, :stdin, a language Org cannot run, no stop). The
// callee's own references are none but *this* (its :post's run is its
// task alone), it is no Emacs Lisp block and has no :mkdirp. The
// directory is named relative to the document's, with Emacs's "/".
// postsOf is postsByOwner of the plan's tasks, found once for all blocks.
func (b *builder) postDirStop(blk *org.Block, t *Task, postsOf map[string][]*Task) string {
	doc := b.doc
	if _, ok := blk.Args.Get("post"); !ok {
		return ""
	}
	if !ownPlainRun(doc, blk, t) || !literalVars(blk) {
		return ""
	}
	posts := postsOf[t.Block]
	if len(posts) != 1 {
		return ""
	}
	pt, cb := posts[0], b.blocks[posts[0]]
	if cb == nil || !b.postRunsAlone(pt, t) || !startsProcess(cb) {
		return ""
	}
	dir := path.Clean(pt.Dir)
	if !SandboxFile(dir) {
		return ""
	}
	own, ok := plainDir(blk)
	if !ok {
		return ""
	}
	made, ok := madeBefore(doc, blk, t, func(x *org.Block, made map[string]bool) ([]string, bool) {
		d, ok := plainDir(x)
		if !ok || d != "." && !made[d] && !slices.Contains(babelMadeDirs(x, true), d) {
			// Its own :dir may be missing: Emacs may stop there.
			return nil, false
		}
		if _, post := x.Args.Get("post"); post {
			return nil, false // its callee runs too
		}
		return literalShellDirs(doc, x, d, made)
	})
	if !ok {
		return ""
	}
	if elispLangs[blk.Lang] {
		if !elispConstant(doc, blk) {
			return ""
		}
	} else {
		if own != "." && !made[own] {
			return "" // Emacs stops before blk runs (dirStop), where certain
		}
		dirs, ok := literalShellDirs(doc, blk, own, made)
		if !ok {
			return ""
		}
		for _, d := range dirs {
			made[d] = true // its parents too where mkdir made them
		}
	}
	if made[dir] {
		return ""
	}
	return DirStopPrefix + dir + "/"
}

// postRunsAlone reports whether pt, the task of t's :post, is all the
// :post runs: it refers to t alone (its *this*), reads no :stdin nor
// noweb reference, evaluates no Lisp and is no session's or cache's.
func (b *builder) postRunsAlone(pt, t *Task) bool {
	if pt.Session != nil || pt.Cache || pt.stdin != nil || pt.lispVar != nil || len(pt.postLispVars) > 0 ||
		len(pt.nowebRefs) > 0 || pt.postLink {
		return false
	}
	for _, a := range b.refersTo(pt) {
		if a != t.Block {
			return false
		}
	}
	return true
}

// startsProcess reports whether cb, the block a :post calls, starts a
// process in its default-directory that Babel does not make: a language
// Org 9.5 runs by a process (not Emacs Lisp), no :mkdirp, no :stdin, no
// :cache yes, no Lisp read, a :dir (if any) a plain string.
func startsProcess(cb *org.Block) bool {
	if elispLangs[cb.Lang] || noOrgExecute[cb.Lang] || readsLisp(cb) {
		return false
	}
	if m, ok := cb.Args.Get("mkdirp"); ok && m != "no" && m != "nil" {
		return false
	}
	if _, ok := cb.Args.Get("stdin"); ok {
		return false
	}
	if c, _ := cb.Args.Get("cache"); c == "yes" {
		return false // Babel may take its results as they stand
	}
	_, ok := plainDir(cb)
	return ok
}

// plainDir is x's :dir, cleaned, relative to the document's directory
// ("." for none), ok false where it is Lisp, a number, or outside it.
func plainDir(x *org.Block) (string, bool) {
	a, ok := x.Args.Lookup("dir")
	if !ok {
		return ".", true
	}
	if !a.String && (isLispForm(a.Value) || isNumber(a.Value)) {
		return "", false
	}
	d := path.Clean(a.Value)
	return d, d == "." || SandboxFile(d)
}

// literalVars reports whether every :var value of x is a literal string
// or number: no reference (which runs a block), no Lisp.
func literalVars(x *org.Block) bool {
	for _, raw := range x.Vars {
		_, rhs, ok := strings.Cut(raw, "=")
		rhs = strings.TrimSpace(rhs)
		if !ok || !isNumber(rhs) && !(len(rhs) >= 2 && rhs[0] == '"' && rhs[len(rhs)-1] == '"' && !strings.Contains(rhs[1:len(rhs)-1], `"`)) {
			return false
		}
	}
	return true
}

// elispConstant reports whether x, an Emacs Lisp block, evaluates a
// constant: a string with no escape, a number, nil or t, and nothing
// else of its program (a :prologue, a noweb reference).
func elispConstant(doc *org.Document, x *org.Block) bool {
	texts := programTexts(doc, x)
	if len(texts) != 1 {
		return false
	}
	s := strings.TrimSpace(texts[0])
	return elispPlainString.MatchString(s) || isNumber(s) || s == "nil" || s == "t"
}

var elispPlainString = regexp.MustCompile(`^"[^"\\]*"$`)

// shellUnread are the characters of a shell program whose effect
// literalShellDirs does not model (a redirection, a noweb reference, an
// escape, a comment): any of them gives the program up.
const shellUnread = "<>\\#"

// shellSeparator ends a shell command, where the next begins: a list's,
// a pipe's, a command substitution's, a subshell's or group's. The
// commands a substitution runs are read as commands; a mkdir's is read
// only between plainSeparators.
var shellSeparator = regexp.MustCompile("\\$\\(|&&|\\|\\||[`;|&(){}\n]")

// plainSeparators are those a mkdir read stands between (or the
// program's start or end): after any other its names may go on (mkdir
// $(echo c), mkdir c`echo d`, fish's mkdir (echo c)), or it may run in
// a subshell or group, on a condition, in the background, or not at all.
var plainSeparators = map[string]bool{"": true, ";": true, "\n": true}

// makesNoDir are shell commands that make no directory and run nothing
// else.
var makesNoDir = map[string]bool{"echo": true, "printf": true, "true": true, "false": true, ":": true, "pwd": true,
	"basename": true, "dirname": true, "cat": true, "date": true, "sleep": true, "test": true, "[": true}

// literalName is a directory name mkdir is given with nothing the shell
// expands in it.
var literalName = regexp.MustCompile(`^[A-Za-z0-9_.][A-Za-z0-9_./-]*$`)

// literalShellDirs are the directories, relative to the document's, that
// shell block x, run in dir (relative to the document's, known to
// exist), makes, those of known made before it: those its literal mkdir
// commands make (mkdirMakes), each of them, parents included; ok is
// false where that is not certain: not a shell, run in a session, given
// a :stdin, a reference or Lisp in its :var values or header, a noweb
// expansion taking in a heading's body, any of shellUnread, a mkdir
// not between plainSeparators (but for one that certainly does not
// run, neverRuns, which makes none: only in the program as Babel joins
// it, shellProgram, alone and plainShellText, where the parts of
// compound commands that never run are left out, withoutNeverRun), or
// one after an open quote (an argument of another command), or any
// command but mkdir with literal names and those of makesNoDir (a
// script, cd, a loop, a function may make any directory, under any
// name). In a bash program so read, nothing after the complete command
// holding a cat that eats the script runs (eatsScript).
func literalShellDirs(doc *org.Document, x *org.Block, dir string, known map[string]bool) (dirs []string, ok bool) {
	if !shellNames[x.Lang] || x.Call != nil || readsLisp(x) || !literalVars(x) || doc.NowebTakesHeading(x) || sessionOrStdin(x) {
		return nil, false
	}
	texts := []string{shellProgram(x)}
	for _, y := range doc.NowebIncluded(x) {
		texts = append(texts, y.Body)
	}
	v, cmdline := x.Args.Get("cmdline")
	if cmdline {
		texts = append(texts, v)
	}
	_, shebang := x.Args.Get("shebang")
	for t, text := range texts {
		if strings.ContainsAny(text, shellUnread) {
			return nil, false
		}
		// Where a mkdir on a condition may be known not to run: the
		// program as Babel joins it, alone, of plain text.
		certain := t == 0 && len(texts) == 1 && !cmdline && !shebang && compoundShells[x.Lang] && plainShellText(text) &&
			!shellFunction.MatchString(text)
		cmds := shellListedCommands(text)
		if certain {
			cmds = withoutNeverRun(text, cmds)
		}
		eaten := -1 // where a cat ate the rest of the script from
		for i, c := range cmds {
			if eaten >= 0 && c.start >= eaten {
				return dirs, true // nothing after its complete command runs
			}
			if certain && x.Lang == "bash" && eaten < 0 {
				if end, ok := eatsScript(text, c); ok {
					eaten = end
				}
			}
			name := shellListedName(c.words)
			switch {
			case name == "":
			case makesNoDir[name]:
			case name == "mkdir":
				if strings.Count(text[:c.start], `"`)%2 != 0 || strings.Count(text[:c.start], "'")%2 != 0 {
					return nil, false
				}
				if !plainAll(c.before) || !plainAll(c.after) {
					if certain && i > 0 && neverRuns(cmds[i-1], c) {
						continue // it makes nothing
					}
					return nil, false
				}
				made, ok := mkdirMakes(c.words[1:], dir, func(p string) bool { return p == dir || known[p] || slices.Contains(dirs, p) })
				if !ok {
					return nil, false
				}
				dirs = append(dirs, made...)
			default:
				return nil, false
			}
		}
	}
	return dirs, true
}

// eatsScript reports whether command c of bash program text (given to
// bash on standard input, as ob-shell gives a plain block's script,
// plainShellText) is a cat that certainly reads that input, the rest of
// the script from the end of the complete command holding it (from, an
// index of text, completeCommandEnd), lines that then never run: cat
// alone or given "-", in no compound command's branch, in a program of
// commands between ;, newlines, if, while and until compounds, groups
// and subshells alone (no && || | & nor substitution), which bash reads
// a complete command of whole before it runs it, and seeks back to its
// end (checked with Emacs 28.2: fixture postdir_bash_cat_eats; a group
// or subshell round it too; an if or a loop that its line begins going
// on to later lines, read whole, runs). The commands after it in its
// complete command run. A cat on a condition, in a pipe, in the
// background, given a file or an option, or a shell that reads its
// input otherwise (dash, sh here, reads a small script whole before it
// runs it: fixture postdir_cat_runs_on) is read as what it is, a
// command that makes no directory, the commands after it as running:
// what they make is then what they may make, a stop given up, not
// planned.
func eatsScript(text string, c shellListed) (from int, ok bool) {
	if c.inCompound || len(c.words) == 0 || c.words[0] != "cat" || len(c.words) > 2 || len(c.words) == 2 && c.words[1] != "-" {
		return 0, false
	}
	return completeCommandEnd(text, c.start)
}

// completeCommandEnd is the index of plain shell program text just past
// the newline that ends the complete command holding text[pos], the
// part bash reads whole before it runs any of it: the list a line
// begins, going on through the if, while or until compound commands,
// groups and subshells open at the line's end, up to the line where the
// last of them closes. ok is false where there is no such newline
// (nothing after it), or where the program, from its start to there,
// holds any but the commands, separators (; and newlines), compound
// commands (if, while, until) and groups or subshells it reads: an &&,
// ||, a pipe, the background, a substitution, any other reserved word, a
// brace in a word, a word after a closing one.
func completeCommandEnd(text string, pos int) (end int, ok bool) {
	var open []string // "{", "(", "if", "loop", innermost last
	top := func() string {
		if len(open) == 0 {
			return ""
		}
		return open[len(open)-1]
	}
	command := true // a word here is in a command's place
	closed := false // after fi, done, } or ): a separator must follow
	for i := 0; i < len(text); {
		switch ch := text[i]; {
		case ch == ' ' || ch == '\t':
			i++
		case ch == '\n' || ch == ';':
			if ch == '\n' && len(open) == 0 && i >= pos {
				return i + 1, true
			}
			if strings.HasPrefix(text[i:], ";;") {
				return 0, false
			}
			command, closed = true, false
			i++
		case ch == '(':
			if !command || strings.HasPrefix(text[i:], "((") {
				return 0, false
			}
			open = append(open, "(")
			i++
		case ch == ')':
			if top() != "(" {
				return 0, false
			}
			open = open[:len(open)-1]
			command, closed = false, true
			i++
		case strings.ContainsRune("&|`", rune(ch)) || strings.HasPrefix(text[i:], "$("):
			return 0, false
		default:
			j := i
			for j < len(text) && !strings.ContainsRune(" \t\n;&|()`", rune(text[j])) {
				j++
			}
			w := text[i:j]
			i = j
			if w == "" || closed || strings.ContainsAny(w, "{}") && w != "{" && w != "}" {
				return 0, false
			}
			if !command {
				if w == "{" || w == "}" {
					return 0, false
				}
				continue
			}
			switch w {
			case "{", "if", "while", "until":
				open = append(open, compoundOpened[w])
			case "then", "else", "elif":
				if top() != "if" {
					return 0, false
				}
			case "do":
				if top() != "loop" {
					return 0, false
				}
			case "}", "fi", "done":
				if top() != compoundClosed[w] {
					return 0, false
				}
				open = open[:len(open)-1]
				command, closed = false, true
			case "!":
			case "for", "case", "esac", "in", "select", "function", "coproc", "time", "[[", "]]":
				return 0, false
			default:
				command = false
			}
		}
	}
	return 0, false // nothing after it
}

// compoundOpened and compoundClosed are, for the words that open and
// close compound commands (completeCommandEnd), what each opens or
// closes: a group, an if, a loop.
var (
	compoundOpened = map[string]string{"{": "{", "if": "if", "while": "loop", "until": "loop"}
	compoundClosed = map[string]string{"}": "{", "fi": "if", "done": "loop"}
)

// shellProgram is the program Babel runs for shell block x, as
// org-babel-expand-body:generic joins it, by newlines: its :prologue, a
// line per :var (an assignment; one stands for them all here, its
// value of no matter: literalVars lets only literal ones through), its
// body and its :epilogue. A :prologue ending in an operator takes the
// body's first command into its list, as an :epilogue's first joins
// the body's last.
func shellProgram(x *org.Block) string {
	var parts []string
	if v, ok := x.Args.Get("prologue"); ok {
		parts = append(parts, v)
	}
	if len(x.Vars) > 0 {
		parts = append(parts, "borges_var=")
	}
	parts = append(parts, x.Body)
	if v, ok := x.Args.Get("epilogue"); ok {
		parts = append(parts, v)
	}
	return strings.Join(parts, "\n")
}

// compoundShells are the languages whose shell is known to read a
// compound command (an if, a while or until loop, a group, a subshell)
// and an && or || list as POSIX sh does, where neverRuns and
// withoutNeverRun may read one (checked with sh and bash, dash here,
// TestLiteralShellDirsAgainstShells). csh and fish have no until, say,
// and run its body (checked with Emacs 28.2); a "shell" block's shell is
// known only where it runs.
var compoundShells = map[string]bool{"sh": true, "bash": true, "dash": true}

// shellFunction is the "()" of a shell function's definition: where a
// program defines one, true, false or : may be a function of its own,
// and no command is known not to run.
var shellFunction = regexp.MustCompile(`\(\s*\)`)

// plainShellText reports whether shell program text is one neverRuns
// may read: printable ASCII, tabs and newlines alone (sh takes a
// non-breaking space, a carriage return, a form feed for part of a
// word, where strings.Fields splits at them), and no quote (a quoted
// word is not the command true, a separator within quotes separates
// nothing).
func plainShellText(text string) bool {
	for i := 0; i < len(text); i++ {
		if b := text[i]; b != '\t' && b != '\n' && (b < 0x20 || b > 0x7e) || b == '"' || b == '\'' {
			return false
		}
	}
	return true
}

// shellListed is a command of a shell program as literalShellDirs
// reads it: the text between shellSeparators holding a word, from
// start, its words but the variables it sets before, and the
// separators between it and the command before (or the program's
// start), and the one after (or the end): where a line breaks after
// an operator, the operator and the line's end.
type shellListed struct {
	start         int
	words         []string
	before, after []string
	// inCompound is set on a command of a compound command's branch
	// (withoutNeverRun), which bash reads whole before it runs any.
	inCompound bool
}

// shellListedCommands are the commands of shell program text, split at
// shellSeparator.
func shellListedCommands(text string) []shellListed {
	var cmds []shellListed
	var seps []string
	start := 0
	for _, sep := range append(shellSeparator.FindAllStringIndex(text, -1), []int{len(text), len(text)}) {
		if words := strings.Fields(text[start:sep[0]]); len(words) > 0 {
			for len(words) > 0 && shellAssignment.MatchString(words[0]) {
				words = words[1:]
			}
			if len(cmds) > 0 {
				cmds[len(cmds)-1].after = seps
			}
			cmds = append(cmds, shellListed{start: start, words: words, before: seps})
			seps = nil
		}
		if sep[1] > sep[0] {
			seps = append(seps, text[sep[0]:sep[1]])
		}
		start = sep[1]
	}
	if len(cmds) > 0 {
		cmds[len(cmds)-1].after = seps
	}
	return cmds
}

// shellListedName is the command words run, its quotes taken out; ""
// for none (it sets variables alone).
func shellListedName(words []string) string {
	if len(words) == 0 {
		return ""
	}
	return strings.NewReplacer(`"`, "", "'", "").Replace(words[0])
}

// plainAll reports whether every separator of seps is a plainSeparator
// (none is too).
func plainAll(seps []string) bool {
	for _, s := range seps {
		if !plainSeparators[s] {
			return false
		}
	}
	return true
}

// neverRuns reports whether command c certainly does not run (the
// program read being plainShellText, joined as Babel joins it), where
// prev is the command before it: prev begins a list (plainSeparators
// before it), c ends it (plainSeparators after it), and the one
// operator between them, the line perhaps breaking after it, runs c
// only where prev fails and prev is true or :, or only where it
// succeeds and prev is false (true || mkdir c, false && mkdir c).
func neverRuns(prev, c shellListed) bool {
	if !plainAll(prev.before) || !plainAll(c.after) || len(c.before) == 0 {
		return false
	}
	for _, s := range c.before[1:] {
		if s != "\n" {
			return false
		}
	}
	switch name := shellListedName(prev.words); c.before[0] {
	case "||":
		return name == "true" || name == ":"
	case "&&":
		return name == "false"
	}
	return false
}

// withoutNeverRun are the commands of plain shell program text (cmds,
// shellListedCommands), those of the compound commands whose parts
// certainly never run left out: a group or subshell after true || (or
// : ||) or false &&, whose list ends with it (neverRunGroup); the
// branch an if whose condition is true, : or false leaves out, the
// other one's commands kept without their reserved word; and the body
// of a while false or an until true (certainShape). Each is read only
// where its shape is certain: none nested in it, no substitution in it;
// any other is left as it is, which literalShellDirs does not read
// (its reserved word is no command it knows, a separator round a group
// not plain).
func withoutNeverRun(text string, cmds []shellListed) []shellListed {
	var out []shellListed
	for i := 0; i < len(cmds); i++ {
		if end, ok := neverRunGroup(text, cmds, i); ok {
			// cmds[i] runs and makes nothing, the group never runs: the
			// list goes on after the group's end.
			c := cmds[i]
			c.after = cmds[end].after[slices.IndexFunc(cmds[end].after, closesGroup)+1:]
			out = append(out, c)
			if end+1 < len(cmds) {
				cmds[end+1].before = c.after
			}
			i = end
			continue
		}
		if end, live, ok := certainShape(cmds, i); ok {
			out = append(out, live...)
			i = end
			continue
		}
		out = append(out, cmds[i])
	}
	return out
}

// closesGroup reports whether separator s ends a group or subshell.
func closesGroup(s string) bool { return s == "}" || s == ")" }

// neverRunGroup reports whether cmds[i] is true, : or false beginning a
// list, followed by the operator that runs what follows it only where
// it fails (||) or succeeds (&&) as it never does, and then a group
// ({ and a blank, its list ending in ; or a newline before }) or a
// subshell, which never runs, and which the list ends with (a plain
// separator after it, or the program's end); end is the index of the
// last command of the group. A group holding another, a substitution,
// or no command is not read.
func neverRunGroup(text string, cmds []shellListed, i int) (end int, ok bool) {
	c := cmds[i]
	if len(c.words) != 1 || !plainAll(c.before) || len(c.after) < 2 || i+1 >= len(cmds) {
		return 0, false
	}
	switch op := c.after[0]; {
	case op == "||" && (c.words[0] == "true" || c.words[0] == ":"), op == "&&" && c.words[0] == "false":
	default:
		return 0, false
	}
	for _, s := range c.after[1 : len(c.after)-1] {
		if s != "\n" {
			return 0, false
		}
	}
	open := c.after[len(c.after)-1]
	first := cmds[i+1]
	if open != "{" && open != "(" || open == "{" && !strings.ContainsRune(" \t\n", rune(text[first.start])) {
		return 0, false
	}
	for end = i + 1; end < len(cmds); end++ {
		for k, s := range cmds[end].after {
			switch s {
			case "{", "(", "$(", "`":
				return 0, false
			case "}", ")":
				if open == "{" && (s != "}" || k == 0 || cmds[end].after[k-1] != ";" && cmds[end].after[k-1] != "\n") ||
					open == "(" && s != ")" {
					return 0, false
				}
				rest := cmds[end].after[k+1:]
				if !plainAll(rest) || len(rest) == 0 && end+1 < len(cmds) {
					return 0, false // the list goes on, or a word follows
				}
				return end, true
			}
		}
	}
	return 0, false
}

// certainShape reads an if, while or until compound command at
// cmds[i], where its condition is certain (true, : or false): end is
// the index of its last command (fi's, done's), live the commands of
// the branch that runs, their reserved word (then, else) taken out;
// the condition, the branch that does not run (an if's other one, a
// while false's or an until true's body) left out. Only a command of
// its own lines or ;-separated, its condition one word, its parts
// holding no group, subshell, substitution, nor another compound
// command, no elif: ok is false for any other.
func certainShape(cmds []shellListed, i int) (end int, live []shellListed, ok bool) {
	c := cmds[i]
	if len(c.words) != 2 || !plainAll(c.before) || !plainAll(c.after) || i+1 >= len(cmds) {
		return 0, nil, false
	}
	truth := c.words[1] == "true" || c.words[1] == ":"
	if !truth && c.words[1] != "false" {
		return 0, nil, false
	}
	var body, closing string
	var runs func(branch string) bool
	switch c.words[0] {
	case "if":
		body, closing = "then", "fi"
		runs = func(branch string) bool { return (branch == "then") == truth }
	case "while", "until":
		if (c.words[0] == "while") == truth {
			return 0, nil, false // it loops, or runs its body
		}
		body, closing = "do", "done"
		runs = func(string) bool { return false }
	default:
		return 0, nil, false
	}
	if w := cmds[i+1].words; len(w) == 0 || w[0] != body {
		return 0, nil, false
	}
	branch := body
	for end = i + 1; end < len(cmds); end++ {
		x := cmds[end]
		for _, s := range append(slices.Clone(x.before), x.after...) {
			if s == "{" || s == "}" || s == "(" || s == ")" || s == "$(" || s == "`" {
				return 0, nil, false
			}
		}
		words := x.words
		first := ""
		if len(words) > 0 {
			first = words[0] // none where it sets variables alone
		}
		switch first {
		case closing:
			if len(words) != 1 || !plainAll(x.before) || !plainAll(x.after) {
				return 0, nil, false
			}
			return end, live, true
		case body, "else":
			if first == "else" && (c.words[0] != "if" || branch == "else") || !plainAll(x.before) ||
				first == body && end != i+1 {
				return 0, nil, false
			}
			branch, words = first, words[1:]
		case "if", "then", "elif", "fi", "while", "until", "for", "do", "done", "case", "esac", "select", "function", "!", "[[":
			return 0, nil, false
		}
		if len(words) > 0 && runs(branch) {
			x.words, x.inCompound = words, true
			live = append(live, x)
		}
	}
	return 0, nil, false
}

// mkdirMakes are the directories, relative to the document's, that a
// mkdir given args makes run in dir, those before it known to exist
// where exists says so: a name whose parent exists (or an earlier name
// made), or with -p (before the names) the name and each parent below
// dir, which exists. ok is false where a name is not literal,
// not clean (./x, x/, x/.. name what mkdir may not make), outside the
// document's directory, or where there is none (cut short by what the
// shell expands, say).
func mkdirMakes(args []string, dir string, exists func(string) bool) (made []string, ok bool) {
	parents := slices.Contains(args, "-p") || slices.Contains(args, "--parents")
	named := false
	for _, w := range args {
		if w == "-p" || w == "--parents" || w == "-v" {
			if named {
				return nil, false // GNU mkdir takes it, another may make a directory "-p"
			}
			continue
		}
		d := path.Join(dir, w)
		if !literalName.MatchString(w) || w != path.Clean(w) || slices.Contains(strings.Split(w, "/"), "..") ||
			d != "." && !SandboxFile(d) {
			return nil, false
		}
		named = true
		if !parents {
			// mkdir reports the name whose parent is missing and
			// goes on to the next.
			if p := path.Dir(d); d != dir && (exists(p) || slices.Contains(made, p)) {
				made = append(made, d)
			}
			continue
		}
		for p := d; p != dir; p = path.Dir(p) {
			made = append(made, p)
		}
	}
	return made, named
}

// shellAssignment is a word that sets a shell variable before a command.
var shellAssignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
