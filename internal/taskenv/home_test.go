package taskenv

import (
	"os"
	"os/user"
	"strconv"
	"strings"
	"testing"
)

// TestHome: the home a block's "~" names, for the local backend and the
// Mesos executor alike (they differed where HOME was empty: the local
// backend took the server's HOME, the executor a directory named "~" in
// the sandbox). HOME as the process is given it (the last), refused when
// empty or relative; with none, the password database's home of
// LOGNAME, USER, else the process's uid.
func TestHome(t *testing.T) {
	me, err := user.LookupId(strconv.Itoa(os.Getuid()))
	if err != nil || me.HomeDir == "" {
		t.Skipf("no home for uid %d in the password database: %v", os.Getuid(), err)
	}
	for _, c := range []struct {
		name string
		env  []string
		want string // "" for an error
		says string // in the error
	}{
		{"set", []string{"PATH=/bin", "HOME=/home/u"}, "/home/u", ""},
		{"the last", []string{"HOME=/home/a", "HOME=/home/b"}, "/home/b", ""},
		{"empty", []string{"HOME="}, "", "HOME is empty"},
		{"empty last", []string{"HOME=/home/a", "HOME="}, "", "HOME is empty"},
		{"empty then set", []string{"HOME=", "HOME=/home/b"}, "/home/b", ""},
		{"relative", []string{"HOME=home/u"}, "", "not an absolute path"},
		{"unset: the user named", []string{"USER=" + me.Username}, me.HomeDir, ""},
		{"unset: LOGNAME first", []string{"LOGNAME=" + me.Username, "USER=no-such-user-borges"}, me.HomeDir, ""},
		{"unset: unknown names, the uid's", []string{"LOGNAME=no-such-user-borges", "USER="}, me.HomeDir, ""},
		{"unset: nothing", nil, me.HomeDir, ""},
		{"a name like it", []string{"HOMEDIR=/x", "MYHOME=/y"}, me.HomeDir, ""},
	} {
		got, err := Home(c.env)
		if c.want != "" {
			if err != nil || got != c.want {
				t.Errorf("%s: Home(%q) = %q, %v; want %q", c.name, c.env, got, err, c.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: Home(%q) = %q, %v; want an error saying %q", c.name, c.env, got, err, c.says)
		}
	}
}

// TestHomeByName: with no HOME, the home is that of the user LOGNAME
// names, else USER's, as Emacs's get_homedir takes them; rows whose
// homes differ from the uid's and from each other, so that the order of
// the names and the name lookup itself are seen (with only the current
// user's name, the uid's fallback gave the same home and hid both).
// Skipped where the password database has no such users.
func TestHomeByName(t *testing.T) {
	daemon, errD := user.Lookup("daemon")
	bin, errB := user.Lookup("bin")
	if errD != nil || errB != nil {
		t.Skipf("no daemon or bin in the password database: %v, %v", errD, errB)
	}
	me, err := user.LookupId(strconv.Itoa(os.Getuid()))
	if err == nil && (me.HomeDir == daemon.HomeDir || me.HomeDir == bin.HomeDir) || daemon.HomeDir == bin.HomeDir {
		t.Skipf("homes not distinct: daemon %q, bin %q, uid %d", daemon.HomeDir, bin.HomeDir, os.Getuid())
	}
	for _, c := range []struct {
		name string
		env  []string
		want string
	}{
		{"LOGNAME's", []string{"LOGNAME=daemon"}, daemon.HomeDir},
		{"USER's", []string{"USER=bin"}, bin.HomeDir},
		{"LOGNAME unknown: USER's", []string{"LOGNAME=no-such-user-borges", "USER=bin"}, bin.HomeDir},
		{"LOGNAME before USER", []string{"USER=bin", "LOGNAME=daemon"}, daemon.HomeDir},
		{"LOGNAME empty: USER's", []string{"LOGNAME=", "USER=bin"}, bin.HomeDir},
	} {
		if got, err := Home(c.env); err != nil || got != c.want {
			t.Errorf("%s: Home(%q) = %q, %v; want %q", c.name, c.env, got, err, c.want)
		}
	}
}
