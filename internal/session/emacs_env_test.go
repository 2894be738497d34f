package session

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestEmacsEnvironment: each reply of the document's Emacs says how its
// process-environment differs from the one it started with (set, changed
// and removed variables, cumulatively), after a block that signalled an
// error too; Borges' own variables (BORGES_*) are never in it.
func TestEmacsEnvironment(t *testing.T) {
	c := start(t, Emacs, "", "emacs")
	home := eval(t, c, Request{Body: `(getenv "HOME")`, Value: true})
	steps := []struct {
		body      string
		want      Environment
		signalled bool
	}{
		{body: `"nothing changed"`, want: Environment{}},
		{body: `(setenv "XTEST_FOO" "bar")`, want: Environment{Set: map[string]string{"XTEST_FOO": "bar"}}},
		{body: `(push "X_A=1" process-environment) (push "X_B=two words\nand a line" process-environment) (setenv "BORGES_DOCUMENT" "mine") "ok"`,
			want: Environment{Set: map[string]string{"XTEST_FOO": "bar", "X_A": "1", "X_B": "two words\nand a line"}}},
		{body: `(setenv "X_A") (setenv "HOME") (setenv "X_C" "ünïcode") (error "Boom")`, signalled: true,
			want: Environment{Set: map[string]string{"XTEST_FOO": "bar", "X_B": "two words\nand a line", "X_C": "ünïcode"}, Unset: []string{"HOME"}}},
		{body: `(setenv "HOME" ` + strconv.Quote(home) + `) (setenv "XTEST_FOO") (setenv "X_B") (setenv "X_C") "back"`, want: Environment{}},
	}
	for _, s := range steps {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		reply, err := c.Eval(ctx, Request{Body: s.body, Value: true})
		cancel()
		if s.signalled != errors.Is(err, ErrSignalled) || (err != nil && !s.signalled) {
			t.Fatalf("%s: %v", s.body, err)
		}
		if reply.Env == nil {
			t.Fatalf("%s: no environment reported", s.body)
		}
		got := *reply.Env
		if len(got.Set) == 0 {
			got.Set = nil
		}
		if !reflect.DeepEqual(got, s.want) {
			t.Errorf("%s: environment %+v, want %+v", s.body, got, s.want)
		}
	}
}

// TestEmacsShellFileName: the document's Emacs reports its
// shell-file-name only where it differs from the one it had when it
// started (from $SHELL, before any block ran): a setenv of SHELL, or of
// SHELL's removal, leaves it and reports none (the block keeps the shell
// of its own environment, which on a backend whose blocks start from
// another environment than the Emacs is not the Emacs's); a setq of
// shell-file-name reports it, until a setq gives back the first. It
// comes on its own channel: no variable an Emacs Lisp block sets reaches
// it, and the environment reported holds no variable for it.
func TestEmacsShellFileName(t *testing.T) {
	c := start(t, Emacs, "", "emacs") // started without SHELL: shell-file-name is /bin/sh
	steps := []struct {
		body  string
		shell string
		set   map[string]string
	}{
		{body: `"nothing changed"`},
		{body: `(setenv "SHELL" "/bin/bash")`, set: map[string]string{"SHELL": "/bin/bash"}},
		{body: `(setenv "SHELL" "/bin/zsh")`, set: map[string]string{"SHELL": "/bin/zsh"}},
		{body: `(setq shell-file-name "/bin/bash")`, shell: "/bin/bash", set: map[string]string{"SHELL": "/bin/zsh"}},
		{body: `(setenv "SHELL" "")`, shell: "/bin/bash", set: map[string]string{"SHELL": ""}},
		{body: `(setenv "BORGES_SHELL_FILE_NAME" "/bin/zsh") (push "SHELL_FILE_NAME=/bin/zsh" process-environment) "spoof"`,
			shell: "/bin/bash", set: map[string]string{"SHELL": "", "SHELL_FILE_NAME": "/bin/zsh"}},
		{body: `(setq shell-file-name "/bin/sh") (setenv "SHELL") (setenv "SHELL_FILE_NAME") "back"`},
		{body: `(setenv "SHELL" "/bin/bash") (setq shell-file-name "/bin/sh")`, set: map[string]string{"SHELL": "/bin/bash"}},
		{body: `(setq shell-file-name "zsh")`, shell: "zsh", set: map[string]string{"SHELL": "/bin/bash"}},
	}
	for _, s := range steps {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		reply, err := c.Eval(ctx, Request{Body: s.body, Value: true})
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", s.body, err)
		}
		if reply.Env == nil {
			t.Fatalf("%s: no environment reported", s.body)
		}
		want := Environment{Set: s.set, Shell: s.shell}
		got := *reply.Env
		if len(got.Set) == 0 {
			got.Set = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: environment %+v, want %+v", s.body, got, want)
		}
		kept, ok, err := ParseEnvironment(MarshalEnvironment(reply.Env))
		if !ok || err != nil || kept.Shell != s.shell {
			t.Errorf("%s: kept as %+v (%v, %v): shell-file-name %q lost", s.body, kept, ok, err, s.shell)
		}
	}
}

// TestEmacsEnvironmentNameWithNUL: a variable whose name holds a NUL,
// which no process can be given, is left out of the report as a value
// holding one is: it can neither end the report early nor make the
// variables after it (a forged "forged" here) or unset another.
func TestEmacsEnvironmentNameWithNUL(t *testing.T) {
	c := start(t, Emacs, "", "emacs")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	reply, err := c.Eval(ctx, Request{Body: `(setenv "X_REAL" "1") (push "X\0\0vforged\0=1" process-environment) (push "Y\0=2" process-environment) "ok"`, Value: true})
	if err != nil {
		t.Fatal(err)
	}
	if reply.Env == nil || reply.Result != "ok" {
		t.Fatalf("reply %+v: report or value lost", reply)
	}
	if want := map[string]string{"X_REAL": "1"}; !reflect.DeepEqual(reply.Env.Set, want) || len(reply.Env.Unset) != 0 {
		t.Errorf("environment %+v, want only X_REAL set", *reply.Env)
	}
}

// TestEmacsReplyVersions: the report of this version's host begins with
// its own letter ("S") and carries the shell-file-name; a report of an
// older host ("E", variables only) is read as that, with no
// shell-file-name (the block keeps its own shell), never its first
// variable as one; a reply in neither form is an error that says the
// host is of another version, not a value.
func TestEmacsReplyVersions(t *testing.T) {
	if !strings.HasPrefix(emacsEnvReport, "(let") || !strings.Contains(emacsEnvReport, `(concat "S"`) {
		t.Fatalf("the report does not begin with its version's letter:\n%s", emacsEnvReport)
	}
	for _, c := range []struct {
		reply, result, shell string
		set                  map[string]string
		mismatch             bool
	}{
		{reply: "EFOO=bar\x00\x00v42", result: "42", set: map[string]string{"FOO": "bar"}},
		{reply: "E\x00v42", result: "42"},
		{reply: "S=/bin/zsh\x00FOO=bar\x00\x00v42", result: "42", shell: "/bin/zsh", set: map[string]string{"FOO": "bar"}},
		{reply: "S\x00\x00v42", result: "42"},
		{reply: "v42", result: "42"},
		{reply: "S=/bin/zsh", mismatch: true},
		{reply: "Xsomething newer", mismatch: true},
	} {
		reply, err := emacsReply("", []byte(c.reply))
		if c.mismatch {
			if !errors.Is(err, ErrProtocol) || errors.Is(err, ErrEnded) || !strings.Contains(fmt.Sprint(err), "another version") {
				t.Errorf("%q: %+v, %v: want a version mismatch", c.reply, reply, err)
			}
			continue
		}
		if err != nil || reply.Result != c.result {
			t.Errorf("%q: result %q (%v), want %q", c.reply, reply.Result, err, c.result)
			continue
		}
		var got Environment
		if reply.Env != nil {
			got = *reply.Env
		}
		if len(got.Set) == 0 {
			got.Set = nil
		}
		if want := (Environment{Set: c.set, Shell: c.shell}); (reply.Env == nil) != (c.reply[0] == 'v') || !reflect.DeepEqual(got, want) {
			t.Errorf("%q: environment %+v, want %+v", c.reply, reply.Env, want)
		}
	}
}

// TestEmacsShellFileNameUnusable: a shell-file-name no process can be
// started with is reported as the error Emacs signals when a block runs
// it (Environment.ShellError, as error-message-string says it, a NUL as
// ^@), not as no shell-file-name, which would run $SHELL instead.
func TestEmacsShellFileNameUnusable(t *testing.T) {
	c := start(t, Emacs, "", "emacs")
	for _, s := range []struct{ body, err string }{
		{`(setq shell-file-name 'sh)`, "Wrong type argument: stringp, sh"},
		{`(setq shell-file-name "")`, "Searching for program: Is a directory, "},
		{`(setq shell-file-name "/bin/a\0b")`, `Wrong type argument: filenamep, "/bin/a^@b"`},
		{`(setq shell-file-name "/bin/bash")`, ""},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		reply, err := c.Eval(ctx, Request{Body: s.body, Value: true})
		cancel()
		if err != nil || reply.Env == nil {
			t.Fatalf("%s: %v, %+v", s.body, err, reply)
		}
		if reply.Env.ShellError != s.err || (s.err != "") == (reply.Env.Shell != "") {
			t.Errorf("%s: shell %q, error %q, want error %q", s.body, reply.Env.Shell, reply.Env.ShellError, s.err)
		}
		kept, _, _ := ParseEnvironment(MarshalEnvironment(reply.Env))
		if kept.ShellError != s.err {
			t.Errorf("%s: kept error %q", s.body, kept.ShellError)
		}
	}
}

// TestEmacsReplyLispVarError: the host replies to the error a Lisp :var
// value signals in its block's program (the condition
// borges--lisp-var-error) with a letter of its own ("l"), read as
// ErrLispVarSignalled; a block's body's error ("e") is ErrSignalled
// alone, whatever its message says, even the words of the other.
func TestEmacsReplyLispVarError(t *testing.T) {
	if !strings.Contains(emacsHost, "borges--lisp-var-error") {
		t.Fatalf("the host does not reply apart to a Lisp :var value's error:\n%s", emacsHost)
	}
	_, err := emacsReply("", []byte("lboom"))
	if !errors.Is(err, ErrSignalled) || !errors.Is(err, ErrLispVarSignalled) || err.Error() != "Emacs Lisp error, evaluating a Lisp :var value: boom" {
		t.Errorf("l: %v", err)
	}
	for _, body := range []string{"e#<borges-lisp-var-error>x", "e, evaluating a Lisp :var value: x", "eEmacs Lisp error, evaluating a Lisp :var value: x"} {
		_, err := emacsReply("", []byte(body))
		if !errors.Is(err, ErrSignalled) || errors.Is(err, ErrLispVarSignalled) || err.Error() != "Emacs Lisp error: "+body[1:] {
			t.Errorf("%q: %v", body, err)
		}
	}
}
