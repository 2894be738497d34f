package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/wallyqs/borges/internal/client"
	"github.com/wallyqs/borges/internal/config"
	"github.com/wallyqs/borges/internal/datadir"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

func init() {
	register("submit", command{summary: "send an Org file (includes resolved here) and print its id; --follow watches it", run: runSubmit})
	register("status", command{summary: "list documents, or show one document's blocks", run: runStatus})
	register("logs", command{summary: "print a block's output; -f follows it", run: runLogs})
	register("kill", command{summary: "kill a document, or one block of it", run: runKill})
	register("restart", command{summary: "run a block again", run: runRestart})
	register("get", command{summary: "print the document with its results", run: runGet})
}

// clientFlags are the flags every client command takes.
type clientFlags struct {
	addr, token, data string
}

func (c *clientFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.addr, "addr", "", "server address (env BORGES_ADDR, default 127.0.0.1:8888)")
	fs.StringVar(&c.token, "token", "", "bearer token (env BORGES_TOKEN; default: the file token in the data directory, if there is one)")
	fs.StringVar(&c.data, "data", "", "data directory holding the token (env BORGES_DATA, default ~/.borges)")
}

func (c *clientFlags) client(stderr io.Writer) *client.Client {
	addr := firstNonEmpty(c.addr, os.Getenv("BORGES_ADDR"), "127.0.0.1:8888")
	return client.New(addr, c.bearer(stderr))
}

// bearer is the token the client sends: --token, $BORGES_TOKEN, else the
// file token in the data directory, if there is one. The data directory
// (--data, $BORGES_DATA, else the server's default, ~/.borges) is named
// by the very functions the server names its own with (config.ExpandHome,
// datadir.Resolve): "sub/../../data" with sub a link is where the server
// saved its token. Where it cannot say which directory that is, it says
// so on stderr and sends no token (it reads no other directory's).
func (c *clientFlags) bearer(stderr io.Writer) string {
	if token := firstNonEmpty(c.token, os.Getenv("BORGES_TOKEN")); token != "" {
		return token
	}
	data, from := c.data, "--data"
	if data == "" {
		data, from = os.Getenv("BORGES_DATA"), "BORGES_DATA"
	}
	if data == "" {
		if home, err := os.UserHomeDir(); err != nil || home == "" {
			fmt.Fprintln(stderr, "borges: no token sent: no home directory is known ($HOME is not set) to find ~/.borges/token in: give --data or --token")
			return ""
		}
		data, from = config.Default().DataDir, "the default data directory"
	}
	expanded, err := config.ExpandHome(data)
	if err != nil {
		fmt.Fprintf(stderr, "borges: no token sent: %s %q %v\n", from, data, err)
		return ""
	}
	dir, err := datadir.Resolve(expanded)
	if err != nil {
		return "" // no data directory: a loopback server needs no token
	}
	b, err := os.ReadFile(filepath.Join(dir, "token"))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// parseFlags parses flags placed anywhere among the arguments. When ok is
// false the command returns code at once (help printed, or a bad flag).
func parseFlags(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) (pos []string, ok bool, code int) {
	for {
		if ok, code := parseOrHelp(fs, args, usage, stdout, stderr); !ok {
			return nil, false, code
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, true, 0
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// badUsage reports wrong arguments with the command's usage line.
func badUsage(stderr io.Writer, usage string) int {
	fmt.Fprintln(stderr, usage)
	return 2
}

func fail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "borges %s: %v\n", cmd, err)
	return 1
}

const submitUsage = "usage: borges submit FILE [--follow] [flags]"

func runSubmit(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("submit", flag.ContinueOnError)
	var cf clientFlags
	cf.register(fs)
	follow := fs.Bool("follow", false, "show each block's progress and output until all have ended")
	pos, ok, code := parseFlags(fs, args, submitUsage, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return badUsage(stderr, submitUsage)
	}
	src, err := client.Expand(pos[0])
	if err != nil {
		return fail(stderr, "submit", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c := cf.client(stderr)
	dir, home := visitedIn(pos[0])
	v, err := c.SubmitDecoded(ctx, src.Text, dir, home, src.Encoding)
	if err != nil {
		return fail(stderr, "submit", inUserFiles(err, src))
	}
	// The id alone on standard output, so that id=$(borges submit f)
	// keeps working; what the server says about the blocks goes to
	// standard error.
	fmt.Fprintln(stdout, v.ID)
	writeNotes(stderr, v, src)
	if !*follow {
		return 0
	}
	return followDocument(ctx, c, v.ID, stdout, stderr)
}

// visitedIn is where Emacs would visit file: its directory (absolute, as
// buffer-file-name's, links not resolved) and the home directory ("~",
// $HOME), for the server to make :results file links as Emacs does; ""
// for what is not known, or what the server would refuse (see the API's
// dir), whose links the server then makes as it does without.
func visitedIn(file string) (dir, home string) {
	if abs, err := filepath.Abs(file); err == nil {
		dir = sendable(filepath.Dir(abs))
	}
	if h := os.Getenv("HOME"); filepath.IsAbs(h) {
		home = sendable(filepath.Clean(h))
	}
	return dir, home
}

// sendable is p, or "" when the API would refuse it as a dir or home:
// longer than 4096 bytes, not UTF-8, or holding a control character.
func sendable(p string) string {
	if len(p) > 4096 || !utf8.ValidString(p) || strings.IndexFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return ""
	}
	return p
}

const statusUsage = "usage: borges status [ID] [--all | --limit N] [--offset N] [--state S] [-q TEXT] [flags]"

// defaultStatusLimit is how many documents `borges status` lists unless
// told: a screenful or two, answered at once however many the server
// holds.
const defaultStatusLimit = 100

func runStatus(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	var cf clientFlags
	cf.register(fs)
	all := fs.Bool("all", false, "list every document (the list shows the newest --limit)")
	limit := fs.Int("limit", defaultStatusLimit, "list at most this many documents, newest first (with ID: show at most this many blocks)")
	offset := fs.Int("offset", 0, "skip this many of the newest documents (with ID: of the document's first blocks)")
	state := fs.String("state", "", "list the documents in this state, or with a task in it (queued, running, finished, failed, killed, lost…)")
	text := fs.String("q", "", "list the documents with this text in their title or id")
	pos, ok, code := parseFlags(fs, args, statusUsage, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) > 1 {
		return badUsage(stderr, statusUsage)
	}
	c := cf.client(stderr)
	ctx := context.Background()
	if len(pos) == 0 {
		if *limit < 0 || *offset < 0 {
			return badUsage(stderr, statusUsage)
		}
		q := engine.ListQuery{State: engine.State(*state), Text: *text, Offset: *offset, Limit: *limit}
		if *all {
			q.Limit = -1
		}
		docs, total, err := c.ListDocuments(ctx, q)
		if err != nil {
			return fail(stderr, "status", err)
		}
		writeDocuments(stdout, stderr, docs)
		if shown := q.Offset + len(docs); len(docs) > 0 && (shown < total || q.Offset > 0) {
			fmt.Fprintf(stderr, "borges status: documents %d to %d of %d, newest first (--all lists every one; --offset N, --limit N, --state S and -q TEXT choose)\n",
				q.Offset+1, shown, total)
		}
		return 0
	}
	paged := false
	fs.Visit(func(f *flag.Flag) { paged = paged || f.Name == "offset" || f.Name == "limit" })
	var v *engine.DocumentView
	var err error
	if paged && !*all {
		if *limit < 0 || *offset < 0 {
			return badUsage(stderr, statusUsage)
		}
		v, err = c.DocumentPage(ctx, pos[0], *offset, *limit)
	} else {
		v, err = c.Document(ctx, pos[0])
	}
	if err != nil {
		return fail(stderr, "status", err)
	}
	writeDocument(stdout, v)
	if shown := v.Offset + len(v.Blocks); v.BlocksTotal > 0 && (shown < v.BlocksTotal || v.Offset > 0) {
		fmt.Fprintf(stderr, "borges status: blocks %d to %d of %d (--offset N and --limit N choose)\n", v.Offset+1, shown, v.BlocksTotal)
	}
	return 0
}

const logsUsage = "usage: borges logs ID BLOCK [-f] [--stderr] [--instance N] [flags]"

func runLogs(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("logs", flag.ContinueOnError)
	var cf clientFlags
	cf.register(fs)
	follow := fs.Bool("f", false, "follow the output as it grows")
	errStream := fs.Bool("stderr", false, "standard error instead of standard output")
	instance := fs.Int("instance", 0, "which instance of an :instances N block")
	pos, ok, code := parseFlags(fs, args, logsUsage, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		return badUsage(stderr, logsUsage)
	}
	stream := "stdout"
	if *errStream {
		stream = "stderr"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := cf.client(stderr).Log(ctx, pos[0], pos[1], *instance, stream, 0, *follow, stdout); err != nil && !errors.Is(err, context.Canceled) {
		return fail(stderr, "logs", err)
	}
	return 0
}

const killUsage = "usage: borges kill ID [BLOCK] [flags]"

func runKill(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kill", flag.ContinueOnError)
	var cf clientFlags
	cf.register(fs)
	pos, ok, code := parseFlags(fs, args, killUsage, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) < 1 || len(pos) > 2 {
		return badUsage(stderr, killUsage)
	}
	block := ""
	if len(pos) == 2 {
		block = pos[1]
	}
	c := cf.client(stderr)
	ctx := context.Background()
	v, err := c.Document(ctx, pos[0])
	if err != nil {
		return fail(stderr, "kill", err)
	}
	if msg := nothingRunning(v, block); msg != "" {
		fmt.Fprintln(stdout, msg)
		return 0
	}
	if err := c.Kill(ctx, pos[0], block); err != nil {
		return fail(stderr, "kill", err)
	}
	fmt.Fprintln(stdout, "killed")
	return 0
}

// nothingRunning says so when the document (or its block) has already
// ended, so that a kill does not claim to have killed anything; "" when
// something may still run.
func nothingRunning(v *engine.DocumentView, block string) string {
	if block == "" {
		if v.State.Terminal() {
			return fmt.Sprintf("nothing was running: document %s had already ended (%s)", v.ID, v.State)
		}
		return ""
	}
	for _, b := range v.Blocks {
		if b.Name != block {
			continue
		}
		if !b.Runnable {
			return fmt.Sprintf("nothing was running: block %s is not run (%s)", block, b.Reason)
		}
		if b.State.Terminal() {
			return fmt.Sprintf("nothing was running: block %s had already ended (%s)", block, b.State)
		}
		return ""
	}
	return "" // the server names an unknown block
}

const restartUsage = "usage: borges restart ID BLOCK [flags]"

func runRestart(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("restart", flag.ContinueOnError)
	var cf clientFlags
	cf.register(fs)
	pos, ok, code := parseFlags(fs, args, restartUsage, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 2 {
		return badUsage(stderr, restartUsage)
	}
	if err := cf.client(stderr).Restart(context.Background(), pos[0], pos[1]); err != nil {
		return fail(stderr, "restart", err)
	}
	fmt.Fprintln(stdout, "restarting")
	return 0
}

const getUsage = "usage: borges get [-files DIR] ID > result.org"

func runGet(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	var cf clientFlags
	cf.register(fs)
	files := fs.String("files", "", "also write the files its [[file:…]] results link to under this directory")
	pos, ok, code := parseFlags(fs, args, getUsage, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		return badUsage(stderr, getUsage)
	}
	c := cf.client(stderr)
	ctx := context.Background()
	text, err := c.Result(ctx, pos[0])
	if err != nil {
		return fail(stderr, "get", err)
	}
	if *files != "" {
		if err := getFiles(ctx, c, pos[0], *files, stderr); err != nil {
			return fail(stderr, "get", err)
		}
	}
	io.WriteString(stdout, text)
	return 0
}

// getFiles writes, under dir, every file a finished block's :results file
// links to, where the link names it relative to the document.
func getFiles(ctx context.Context, c *client.Client, id, dir string, stderr io.Writer) error {
	v, err := c.Document(ctx, id)
	if err != nil {
		return err
	}
	for _, b := range v.Blocks {
		if b.Task == nil || b.Task.File == "" || b.State != engine.Finished {
			continue
		}
		if !engine.SandboxPath(b.Task.File) {
			fmt.Fprintf(stderr, "borges get: %s: %s is not a path under the document's directory; not written\n", b.Name, b.Task.File)
			continue
		}
		data, err := c.File(ctx, id, b.Task.File)
		var ce *client.Error
		if !b.Task.FileWritten && errors.As(err, &ce) && ce.Status == http.StatusNotFound {
			// Babel does not write this block's file (:results none;
			// link or graphics whose program did not make it): there
			// is none to write, as Emacs leaves none.
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %s: %w", b.Name, b.Task.File, err)
		}
		dest := filepath.Join(dir, filepath.FromSlash(b.Task.File))
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return err
		}
		if err := writeGotFile(dest, data, b.Task); err != nil {
			return fmt.Errorf("%s: %w", b.Name, err)
		}
		fmt.Fprintf(stderr, "wrote %s\n", dest)
	}
	return nil
}

// writeGotFile writes data to dest for borges get -files, with the
// task's :file-mode when Babel writes the file. What stands at dest is
// removed first: a file an earlier get left with a mode that does not
// let its owner write it (0, #o444), or a link, is replaced, not
// opened.
func writeGotFile(dest string, data []byte, t *plan.Task) error {
	if err := os.Remove(dest); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("replacing %s: %w", dest, err)
	}
	if err := os.WriteFile(dest, data, 0o644); err != nil {
		return err
	}
	// :file-mode, as Babel's set-file-modes: mode 0 too, where the
	// server says it was given (a server from before FileModeSet sends
	// other modes only).
	if m := t.FileMode; (m != 0 || t.FileModeSet) && t.FileWritten {
		if err := os.Chmod(dest, os.FileMode(m&0o777)|modeBits(m)); err != nil {
			return fmt.Errorf("file mode of %s: %w", dest, err)
		}
	}
	return nil
}

// modeBits are the setuid, setgid and sticky bits of a Unix mode as
// os.FileMode has them.
func modeBits(m uint32) os.FileMode {
	var out os.FileMode
	if m&0o4000 != 0 {
		out |= os.ModeSetuid
	}
	if m&0o2000 != 0 {
		out |= os.ModeSetgid
	}
	if m&0o1000 != 0 {
		out |= os.ModeSticky
	}
	return out
}
