package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/wallyqs/borges/internal/client"
	"github.com/wallyqs/borges/internal/engine"
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
	fs.StringVar(&c.token, "token", "", "bearer token (env BORGES_TOKEN, else DATA/token)")
	fs.StringVar(&c.data, "data", "", "data directory holding the token (env BORGES_DATA, default ~/.borges)")
}

func (c *clientFlags) client() *client.Client {
	addr := firstNonEmpty(c.addr, os.Getenv("BORGES_ADDR"), "127.0.0.1:8888")
	token := firstNonEmpty(c.token, os.Getenv("BORGES_TOKEN"))
	if token == "" {
		data := firstNonEmpty(c.data, os.Getenv("BORGES_DATA"))
		if data == "" {
			if home, err := os.UserHomeDir(); err == nil {
				data = filepath.Join(home, ".borges")
			}
		}
		if b, err := os.ReadFile(filepath.Join(data, "token")); err == nil {
			token = strings.TrimSpace(string(b))
		}
	}
	return client.New(addr, token)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// parseFlags parses flags placed anywhere among the arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func fail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "borges %s: %v\n", cmd, err)
	return 1
}

func runSubmit(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("submit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf clientFlags
	cf.register(fs)
	follow := fs.Bool("follow", false, "show each block's progress and output until all have ended")
	pos, err := parseFlags(fs, args)
	if err != nil || len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: borges submit FILE [--follow]")
		return 2
	}
	text, err := client.Resolve(pos[0])
	if err != nil {
		return fail(stderr, "submit", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c := cf.client()
	v, err := c.Submit(ctx, text)
	if err != nil {
		return fail(stderr, "submit", err)
	}
	fmt.Fprintln(stdout, v.ID)
	if !*follow {
		return 0
	}
	return followDocument(ctx, c, v.ID, stdout, stderr)
}

// followDocument prints block state changes and interleaved output,
// "[block] line", until the document has ended.
func followDocument(ctx context.Context, c *client.Client, id string, stdout, stderr io.Writer) int {
	states := map[string]string{}
	offsets := map[string]int64{}
	partial := map[string]string{}
	for {
		v, err := c.Document(ctx, id)
		if err != nil {
			return fail(stderr, "submit", err)
		}
		for _, b := range v.Blocks {
			if !b.Runnable {
				continue
			}
			st := string(b.State)
			if len(b.Instances) > 0 && b.Instances[0].Message != "" && b.State.Terminal() {
				st += " (" + b.Instances[0].Message + ")"
			}
			if states[b.Name] != st {
				states[b.Name] = st
				fmt.Fprintf(stdout, "[%s] %s\n", b.Name, st)
			}
			var buf bytes.Buffer
			off, err := c.Log(ctx, id, b.Name, 0, "stdout", offsets[b.Name], false, &buf)
			if err == nil {
				offsets[b.Name] = off
				text := partial[b.Name] + buf.String()
				lines := strings.SplitAfter(text, "\n")
				partial[b.Name] = ""
				for _, ln := range lines {
					if ln == "" {
						continue
					}
					if !strings.HasSuffix(ln, "\n") {
						if b.State.Terminal() {
							ln += "\n"
						} else {
							partial[b.Name] = ln
							continue
						}
					}
					fmt.Fprintf(stdout, "[%s] %s", b.Name, ln)
				}
			}
		}
		if v.State != engine.Running {
			fmt.Fprintf(stdout, "document %s %s\n", id, v.State)
			if v.State == engine.Finished {
				return 0
			}
			return 1
		}
		select {
		case <-ctx.Done():
			return 130
		case <-time.After(300 * time.Millisecond):
		}
	}
}

func runStatus(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf clientFlags
	cf.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil || len(pos) > 1 {
		fmt.Fprintln(stderr, "usage: borges status [ID]")
		return 2
	}
	c := cf.client()
	ctx := context.Background()
	if len(pos) == 0 {
		docs, err := c.Documents(ctx)
		if err != nil {
			return fail(stderr, "status", err)
		}
		for _, d := range docs {
			var parts []string
			for _, st := range []engine.State{engine.Queued, engine.Staged, engine.Running, engine.Finished, engine.Failed, engine.Killed, engine.Lost} {
				if n := d.Tasks[st]; n > 0 {
					parts = append(parts, fmt.Sprintf("%d %s", n, st))
				}
			}
			fmt.Fprintf(stdout, "%s  %-9s %s  %s  %s\n", d.ID, d.State, d.SubmittedAt.Local().Format("2006-01-02 15:04:05"), strings.Join(parts, ", "), d.Title)
		}
		return 0
	}
	v, err := c.Document(ctx, pos[0])
	if err != nil {
		return fail(stderr, "status", err)
	}
	fmt.Fprintf(stdout, "%s  %s  %s\n", v.ID, v.State, v.Title)
	w := bufio.NewWriter(stdout)
	for _, b := range v.Blocks {
		if !b.Runnable {
			fmt.Fprintf(w, "  %-24s %-8s not runnable: %s\n", b.Name, b.Lang, b.Reason)
			continue
		}
		for _, in := range b.Instances {
			extra := ""
			if in.ExitCode != nil {
				extra = fmt.Sprintf(" exit %d", *in.ExitCode)
			}
			if in.Message != "" {
				extra += " — " + in.Message
			}
			name := b.Name
			if len(b.Instances) > 1 {
				name = fmt.Sprintf("%s[%d]", b.Name, in.Instance)
			}
			fmt.Fprintf(w, "  %-24s %-8s %-9s attempt %d%s\n", name, b.Lang, in.State, in.Attempts, extra)
		}
	}
	w.Flush()
	return 0
}

func runLogs(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("logs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf clientFlags
	cf.register(fs)
	follow := fs.Bool("f", false, "follow the output as it grows")
	errStream := fs.Bool("stderr", false, "standard error instead of standard output")
	instance := fs.Int("instance", 0, "which instance of an :instances N block")
	pos, err := parseFlags(fs, args)
	if err != nil || len(pos) != 2 {
		fmt.Fprintln(stderr, "usage: borges logs ID BLOCK [-f] [--stderr] [--instance N]")
		return 2
	}
	stream := "stdout"
	if *errStream {
		stream = "stderr"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := cf.client().Log(ctx, pos[0], pos[1], *instance, stream, 0, *follow, stdout); err != nil && !errors.Is(err, context.Canceled) {
		return fail(stderr, "logs", err)
	}
	return 0
}

func runKill(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kill", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf clientFlags
	cf.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil || len(pos) < 1 || len(pos) > 2 {
		fmt.Fprintln(stderr, "usage: borges kill ID [BLOCK]")
		return 2
	}
	block := ""
	if len(pos) == 2 {
		block = pos[1]
	}
	if err := cf.client().Kill(context.Background(), pos[0], block); err != nil {
		return fail(stderr, "kill", err)
	}
	fmt.Fprintln(stdout, "killed")
	return 0
}

func runRestart(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("restart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf clientFlags
	cf.register(fs)
	pos, err := parseFlags(fs, args)
	if err != nil || len(pos) != 2 {
		fmt.Fprintln(stderr, "usage: borges restart ID BLOCK")
		return 2
	}
	if err := cf.client().Restart(context.Background(), pos[0], pos[1]); err != nil {
		return fail(stderr, "restart", err)
	}
	fmt.Fprintln(stdout, "restarting")
	return 0
}

func runGet(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("get", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf clientFlags
	cf.register(fs)
	files := fs.String("files", "", "also write the files its [[file:…]] results link to under this directory")
	pos, err := parseFlags(fs, args)
	if err != nil || len(pos) != 1 {
		fmt.Fprintln(stderr, "usage: borges get [-files DIR] ID > result.org")
		return 2
	}
	c := cf.client()
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
		if err != nil {
			return fmt.Errorf("%s: %s: %w", b.Name, b.Task.File, err)
		}
		dest := filepath.Join(dir, filepath.FromSlash(b.Task.File))
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dest, data, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s\n", dest)
	}
	return nil
}
