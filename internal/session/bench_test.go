package session

import (
	"context"
	"os/exec"
	"strings"
	"testing"
)

// BenchmarkShellSessionBlock is one block ("true") sent to a running sh
// session; BenchmarkShellProcessBlock, its baseline, starts an sh for it,
// as a block outside a session is run.
func BenchmarkShellSessionBlock(b *testing.B) {
	c := start(b, Shell, "sh")
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if _, err := c.Eval(ctx, Request{Body: "true"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkShellProcessBlock(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if err := exec.Command("sh", "-c", "true").Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPythonSessionBlock is one block ("1 + 1", value) sent to a
// running Python session; BenchmarkPythonProcessBlock starts a python3.
func BenchmarkPythonSessionBlock(b *testing.B) {
	c := start(b, Python, "", python(b))
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if _, err := c.Eval(ctx, Request{Body: "1 + 1", Value: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPythonProcessBlock(b *testing.B) {
	py := python(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := exec.Command(py, "-c", "1 + 1").Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// python is the Python interpreter itself (not a wrapper that starts it,
// such as pyenv's shim).
func python(b *testing.B) string {
	out, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		b.Skip("no python3")
	}
	return strings.TrimSpace(string(out))
}

// BenchmarkRubySessionBlock is one block ("1 + 1", value) sent to a
// running Ruby session (irb, fed the lines ob-ruby sends);
// BenchmarkRubySessionStart starts the session's irb and sends it that
// block, as the first block of a session does.
func BenchmarkRubySessionBlock(b *testing.B) {
	c := start(b, Ruby, "", "ruby")
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if _, err := c.Eval(ctx, Request{Body: "1 + 1", Value: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRubySessionStart(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		c := start(b, Ruby, "", "ruby")
		if _, err := c.Eval(ctx, Request{Body: "1 + 1", Value: true}); err != nil {
			b.Fatal(err)
		}
	}
}
