package realkube

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/session"
)

// TestRubyLayer: the Ruby image's layer, unpacked alone and entered with
// chroot, runs a Ruby session as Borges starts it (its irb, with the
// extensions and gems irb loads), to the results ob-ruby reads from irb
// on this machine; and its sh prompts as Debian's does.
func TestRubyLayer(t *testing.T) {
	root := unpackLayer(t, rubyLayer)
	if root == "" {
		return
	}
	checkDebianShell(t, root)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.Command("chroot", append([]string{root}, session.Command(session.Ruby, "sh", []string{"ruby"})...)...)
	cmd.Env = append(append([]string{"PATH=/usr/bin:/bin", "HOME=/"}, rubyEnv...), session.Env()...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout // merged, as a terminal merges them
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	conn := session.NewConn(session.Ruby, in, out)
	for _, c := range []struct {
		req  session.Request
		want string
	}{
		{session.Request{Body: "x = 5", Value: true}, "5"},
		{session.Request{Body: `[[1, 2], [x, nil], {"a" => :b}]`, Value: true}, `[[1, 2], [5, nil], {"a"=>:b}]`},
		{session.Request{Body: `require "json"` + "\n" + `JSON.generate([x, "é"])`, Value: true}, `[5,"é"]`},
		{session.Request{Body: `(0..2).map { |i| i * 1000 }`, Value: true, PP: true}, "[0, 1000, 2000]\n"},
	} {
		reply, err := conn.Eval(ctx, c.req)
		if err != nil {
			t.Fatalf("%q: %v", c.req.Body, err)
		}
		if reply.Result != c.want {
			t.Fatalf("%q: result %q, want %q; transcript %q", c.req.Body, reply.Result, c.want, reply.Transcript)
		}
	}
	reply, err := conn.Eval(ctx, session.Request{Body: `puts "x is #{x}"`})
	if err != nil || !strings.Contains(session.RubyOutput(reply.Transcript), "x is 5") {
		t.Fatalf("output: %v: %q", err, reply.Transcript)
	}
}
