package realkube

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// RubyImage is a Debian-like test image (ImportRuby): this machine's
// Debian ruby, with its irb, and dash as /bin/sh and stty, the rest busybox's, as
// PythonImage is made.
const RubyImage = "borges-test/ruby:1"

// rubyEnv is the Ruby image's environment besides PATH: a UTF-8 locale
// (Debian's C.UTF-8), as Ruby's official images declare. Without
// one, irb reads its input as US-ASCII and ends at a block's first byte
// that is not ASCII ("invalid byte sequence in US-ASCII"), on this
// machine as in a pod; Borges runs a session here in its own
// environment, which has one, and a pod in its image's.
var rubyEnv = []string{"LANG=C.UTF-8"}

// hostUTF8Locale is Debian's C.UTF-8 locale, which rubyEnv names (its
// glibc looks for it there rather than using its built-in one).
const hostUTF8Locale = "/usr/lib/locale/C.utf8"

// hostRuby and hostIRB are the Debian interpreter and irb the Ruby image
// is made of (not ones under /usr/local or a version manager: the image
// has their libraries where Debian puts them). A Ruby session runs the
// irb beside its ruby (RbConfig's bindir), a script that loads irb's gem.
const (
	hostRuby = "/usr/bin/ruby"
	hostIRB  = "/usr/bin/irb"
)

// rubyLayer is the host layer with ruby and irb — the interpreter, its
// library directories (the standard library, its extensions, the default
// and bundled gems irb loads, Debian's rubygems settings), and the shared
// libraries it and its extensions load.
func rubyLayer() ([]byte, error) {
	bin, err := filepath.EvalSymlinks(hostRuby)
	if err != nil {
		return nil, fmt.Errorf("no %s to build the Ruby test image from (install the Debian package ruby)", hostRuby)
	}
	irb, err := filepath.EvalSymlinks(hostIRB)
	if err != nil {
		return nil, fmt.Errorf("no %s to build the Ruby test image from (install the Debian package ruby)", hostIRB)
	}
	// rubylibprefix holds the standard library, the gems and
	// vendor_ruby; rubyarchprefix the extensions (.so).
	out, err := exec.Command(bin, "-rrbconfig", "-e", `puts RbConfig::CONFIG.values_at("bindir", "rubylibprefix", "rubyarchprefix")`).Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", bin, err)
	}
	dirs := strings.Fields(string(out))
	if len(dirs) != 3 {
		return nil, fmt.Errorf("%s's RbConfig: %q", bin, out)
	}
	bindir, trees := dirs[0], dirs[1:]
	if bindir != filepath.Dir(hostRuby) || filepath.Dir(bin) != bindir || filepath.Dir(irb) != bindir {
		return nil, fmt.Errorf("%s (%s) and %s (%s) are not in its bindir %s", hostRuby, bin, hostIRB, irb, bindir)
	}
	for _, d := range trees {
		if !strings.HasPrefix(d, "/usr/lib/") {
			return nil, fmt.Errorf("%s's library directory %s is not under /usr/lib", bin, d)
		}
	}
	return hostLayer{
		files: []string{bin, irb},
		links: map[string]string{hostRuby: filepath.Base(bin), hostIRB: filepath.Base(irb)},
		trees: append(trees, hostUTF8Locale),
	}.layer()
}

// ImportRuby imports RubyImage into the node's containerd. Without the
// host's ruby it skips the test (fails it under BORGES_TEST_STRICT=1).
func (c *Cluster) ImportRuby() {
	c.t.Helper()
	c.importHostImage(RubyImage, "Ruby", rubyLayer, rubyEnv)
}
