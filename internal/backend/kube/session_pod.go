package kube

import (
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/session"
	"github.com/wallyqs/borges/internal/terminal"
)

// A session's pod: one container, "session", running the session's
// interpreter (session.Command) on the container's terminal (tty, its
// standard input open: stdin, not stdinOnce, so that it stays open across
// attaches), which the image's stty sets as Emacs sets one, as the local
// backend's session containers do. Borges attaches to it (pods/attach)
// and talks to the interpreter through the attach stream.
const (
	sessionContainer = "session"
	// LabelSession is the :session name of a session's pod.
	LabelSession = "borges.session"
	// annotationSession is the engine's id of the session
	// (engine.Attempt.Session); a session's pod has no attempt id.
	annotationSession = "borges.session-id"
)

// The handshake (see handshake): the container echoes every line Borges
// sends it until goLine, then prints startLine and starts the
// interpreter.
const (
	pingPrefix = "borges-ping-"
	goLine     = "borges-go"
	startLine  = "borges-session-start"
)

// sessionScript is the program the session container's /bin/sh runs,
// its arguments the interpreter's command: it sets its terminal as Emacs
// sets one (terminal.Stty: no echo, no carriage return added), merges
// standard error into standard output (where there is no terminal), goes
// to the session's working directory (cd, the step
// engine.ShellWorkDirStep makes; "" for the sandbox), checks that the interpreter is in the image
// (for a shell session, $ESHELL where the pod's environment sets it: the
// shell the session runs; for a "shell" block's, interp "", $SHELL, or
// /bin/sh where the image sets none, as it normally does not),
// answers Borges' pings until Borges is attached and says so, then becomes
// the interpreter. The shell's read takes a line at a time from the
// terminal, so the interpreter gets every byte after goLine. exec is the
// line that becomes the interpreter (execStep). The SHELL the document's
// Emacs left (session.EmacsSHELL) is not given back here: the shell
// session's start (session.Command) gives it back once it has chosen
// its shell, which SHELL would otherwise choose.
func sessionScript(sandbox, cd, interp, image string, shell, emacsShell bool, exec string) string {
	if cd == "" {
		cd = engine.ShellWorkDirStep(`"$s"`, nil, nil)
	}
	eshell := ""
	missing := `echo "borges: $i is not in the image ` + strings.ReplaceAll(image, `"`, ``) +
		`: give the session's first block an :image that has it"`
	if shell {
		eshell = `[ "${ESHELL+set}" = set ] && i=$ESHELL
`
	}
	if emacsShell {
		// The document's Emacs's shell-file-name, which no :image of
		// the block chooses, unless ESHELL goes first.
		missing = `if [ "${ESHELL+set}" = set ]; then ` + missing + `; else echo "borges: the document's Emacs's shell-file-name $i is not in the image ` +
			strings.ReplaceAll(image, `"`, ``) + ` (an Emacs Lisp block before the session's first block ran in that Emacs; the block's SHELL does not choose its shell)"; fi`
	}
	interpWord := engine.ShellQuote(interp)
	if shell && interp == "" {
		interpWord = `"` + session.ShellFileName + `"`
	}
	return `stty ` + terminal.Stty() + ` || { echo "borges: the image's stty could not set its terminal as Emacs sets it"; exit 125; }
exec 2>&1
s=` + engine.ShellQuote(sandbox) + `
mkdir -p "$s" || exit 1
export BORGES_SANDBOX="$s"
` + cd + `i=` + interpWord + `
` + eshell + `command -v "$i" >/dev/null 2>&1 || { ` + missing + `; exit 127; }
while IFS= read -r l; do
	[ "$l" = ` + goLine + ` ] && break
	printf '%s\n' "$l"
done
echo ` + startLine + `
` + exec + `
`
}

// sessionPodName is the pod of a session started by attempt a: one a
// session's start, as an attempt's pod is one an attempt.
func sessionPodName(a *engine.Attempt) string { return PodName(a.ID + "/session") }

// sessionPod is the pod of the session that attempt a starts: the
// first block's image, resources, placement, network, :dir and
// environment (without the block's own BORGES_* variables, with the
// session's and the terminal Emacs declares).
func (b *Backend) sessionPod(a *engine.Attempt, image string) (*corev1.Pod, error) {
	t := a.Task
	res, err := resources(t.Resources)
	if err != nil {
		return nil, err
	}
	affinity, selector, err := placement(t.Constraints)
	if err != nil {
		return nil, err
	}
	env := session.InterpreterEnv(a.Env, a.Session)
	for _, kv := range session.Env() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var vars []corev1.EnvVar
	for _, k := range keys {
		vars = append(vars, corev1.EnvVar{Name: k, Value: env[k]})
	}
	command := t.Session.Command
	script := sessionScript(sandboxPath, engine.ShellWorkDirStep(engine.ShellQuote(sandboxPath), t, a.Unset), session.Program(command), image, session.ShellSession(command), session.EmacsShell(command),
		b.execStep(a, ""))
	pod := b.podFrame(a, sessionPodName(a), selector, affinity)
	pod.Labels[LabelSession] = labelValue(t.Session.Name)
	pod.Annotations = map[string]string{annotationSession: a.Session}
	pod.Spec.Containers = []corev1.Container{{
		Name: sessionContainer, Image: image, ImagePullPolicy: corev1.PullIfNotPresent,
		Command: literal(append([]string{"/bin/sh", "-c", script, "borges"}, command...)),
		Env:     vars, Resources: res, VolumeMounts: []corev1.VolumeMount{{Name: volume, MountPath: mountPath}}, WorkingDir: mountPath,
		Stdin: true, StdinOnce: false, TTY: true,
		// A container that fails before Borges is attached (no
		// interpreter in the image) says why in its status.
		TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
	}}
	return pod, nil
}
