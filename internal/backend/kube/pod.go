package kube

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/taskenv"
)

// Labels and annotations of Borges' pods: `kubectl get pods -l
// borges.document=ID` lists a document's.
const (
	LabelOwner    = "borges.owner" // the Borges server that made the pod
	LabelDocument = "borges.document"
	LabelBlock    = "borges.block"
	LabelInstance = "borges.instance"
	LabelAttempt  = "borges.attempt"
	LabelManaged  = "app.kubernetes.io/managed-by"
	// AnnotationAttempt is the attempt's id as the engine knows it.
	AnnotationAttempt = "borges.attempt-id"
	// annotationEnd is the text the stderr container writes after the
	// program's standard error, so that Borges knows it has it all.
	annotationEnd = "borges.stderr-end"
)

// Containers of a pod: the program's, whose log is its standard output,
// and the one that copies its standard error (through a FIFO in the pod's
// own volume) into its own log, then keeps the pod for Borges to fetch
// files from.
const (
	mainContainer   = "main"
	stderrContainer = "stderr"
	volume          = "borges"
	mountPath       = "/borges"
	sandboxPath     = mountPath + "/sandbox"
	fifoPath        = mountPath + "/.stderr"
	// keepSeconds is how long the stderr container keeps an ended pod
	// for Borges to read (it is deleted as soon as Borges has).
	keepSeconds = 600
	// chunk bounds each piece of the program given as an argument (a
	// single argument may not exceed 128 KiB).
	chunk = 64 << 10
)

// PodName is the pod of an attempt: a name made of its id, and a hash of
// the id so that two ids that read alike do not share one. Launching an
// attempt twice finds its pod: no attempt ever has two.
func PodName(attemptID string) string {
	sum := sha256.Sum256([]byte(attemptID))
	var b strings.Builder
	for _, r := range strings.ToLower(attemptID) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	name := strings.Trim(b.String(), "-")
	if len(name) > 40 {
		name = strings.Trim(name[:40], "-")
	}
	return "borges-" + name + "-" + hex.EncodeToString(sum[:5])
}

// labelValue makes s a label value: at most 63 of [A-Za-z0-9_.-],
// starting and ending with a letter or digit.
func labelValue(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	v := b.String()
	if len(v) > 63 {
		v = v[:63]
	}
	return strings.Trim(v, "-_.")
}

// podSpec is the pod of an attempt. image is what it runs in; ports the
// host ports allocated to it; end the text the stderr container writes
// after the program's standard error.
func (b *Backend) pod(a *engine.Attempt, image string, ports []int, end string) (*corev1.Pod, error) {
	t := a.Task
	if t == nil {
		return nil, fmt.Errorf("attempt %s has no task", a.ID)
	}
	// The program, in pieces: the main container's command writes them
	// into the sandbox (as the Mesos backend's here-document does).
	script := a.Script
	var pieces []string
	for len(script) > chunk {
		pieces = append(pieces, script[:chunk])
		script = script[chunk:]
	}
	pieces = append(pieces, script)
	// The files Babel wrote for earlier blocks that it reads
	// (engine.Attempt.Files), placed in the sandbox.
	place, err := engine.PlaceStep(a.Files)
	if err != nil {
		return nil, fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	if place != "" {
		place = "cd \"$s\" || exit 1\n" + place
	}
	cd := engine.ShellWorkDirStep(engine.ShellQuote(sandboxPath), t, a.Unset)
	run := `"$s/borges-script"`
	check := ""
	if len(t.Interpreter) > 0 {
		var words []string
		for _, w := range t.Interpreter {
			words = append(words, engine.ShellQuote(w))
		}
		run = strings.Join(words, " ") + " " + run
		check = fmt.Sprintf(`command -v %s >/dev/null 2>&1 || { echo "borges: %s is not in the image %s: give the block an :image that has it" >&2; exit 127; }
`, engine.ShellQuote(t.Interpreter[0]), strings.ReplaceAll(t.Interpreter[0], `"`, ``), strings.ReplaceAll(image, `"`, ``))
	}
	mainScript := `f=` + fifoPath + `
[ -p $f ] || mkfifo $f 2>/dev/null || [ -p $f ] || { echo "borges: the image has no mkfifo (a POSIX shell with mkfifo, cat, sleep and tar is needed)"; exit 126; }
exec 2>$f
s=` + sandboxPath + `
mkdir -p "$s"
` + place + `i=0
while [ $i -lt ` + strconv.Itoa(len(pieces)) + ` ]; do printf '%s' "$1"; shift; i=$((i+1)); done > "$s/borges-script"
chmod 700 "$s/borges-script"
export BORGES_SANDBOX="$s" BORGES_VALUE_FILE="$s/value"
` + cd + check + b.execStep(a, run+` "$@"`) + `
`
	if len(a.Files) > 0 {
		if err := engine.FitsShellArg(mainScript); err != nil {
			return nil, fmt.Errorf("attempt %s: %w", a.ID, err)
		}
	}
	args := append([]string{"-c", mainScript, "borges"}, pieces...)
	args = append(args, t.CmdLine...)
	// The end text ends a line: the runtime writes a container's log a
	// line at a time, and holds a partial one while the container lives.
	stderrScript := `f=` + fifoPath + `
[ -p $f ] || mkfifo $f 2>/dev/null || [ -p $f ] || exit 126
cat $f
printf '%s\n' "$BORGES_END"
exec sleep ` + strconv.Itoa(keepSeconds) + `
`
	var env []corev1.EnvVar
	keys := make([]string, 0, len(a.Env))
	for k := range a.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, corev1.EnvVar{Name: k, Value: a.Env[k]})
	}
	for _, v := range taskenv.Ports(ports) {
		env = append(env, corev1.EnvVar{Name: v.Name, Value: v.Value})
	}
	var containerPorts []corev1.ContainerPort
	for i, p := range ports {
		containerPorts = append(containerPorts, corev1.ContainerPort{Name: "port" + strconv.Itoa(i), ContainerPort: int32(p),
			HostPort: int32(p), Protocol: corev1.ProtocolTCP})
	}
	res, err := resources(t.Resources)
	if err != nil {
		return nil, err
	}
	affinity, selector, err := placement(t.Constraints)
	if err != nil {
		return nil, err
	}
	mount := []corev1.VolumeMount{{Name: volume, MountPath: mountPath}}
	pod := b.podFrame(a, PodName(a.ID), selector, affinity)
	pod.Annotations = map[string]string{AnnotationAttempt: a.ID, annotationEnd: end}
	pod.Spec.Containers = []corev1.Container{
		// Pulled only when not on the node, :latest too, as the
		// local backend's Docker engine does.
		{Name: mainContainer, Image: image, ImagePullPolicy: corev1.PullIfNotPresent, Command: []string{"/bin/sh"}, Args: literal(args), Env: env,
			Resources: res, Ports: containerPorts, VolumeMounts: mount, WorkingDir: mountPath},
		{Name: stderrContainer, Image: image, ImagePullPolicy: corev1.PullIfNotPresent, Command: literal([]string{"/bin/sh", "-c", stderrScript}),
			Env: []corev1.EnvVar{{Name: "BORGES_END", Value: end}}, VolumeMounts: mount, WorkingDir: mountPath},
	}
	if t.Timeout > 0 {
		secs := int64(math.Ceil(t.Timeout.Seconds()))
		pod.Spec.ActiveDeadlineSeconds = &secs
	}
	return pod, nil
}

// literal is words as a container's command or args, which a kubelet
// gives the container only after expanding them: $(NAME) becomes the
// value of the container's variable NAME and $$ becomes $ (Kubernetes's
// Container.args). A block's text and Borges's scripts are shell, where
// $$ (the shell's process) and $(NAME) (a command's output) mean
// something else, so each $ is doubled: every word reaches the container
// byte for byte. Every command and args of a container this package makes
// is given through it (a command run with exec is not expanded).
func literal(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = strings.ReplaceAll(w, "$", "$$")
	}
	return out
}

// execStep is the line that ends a pod's script: it runs words (shell
// words: a program and its arguments; "" for the script's arguments,
// "$@") without the variables the document's Emacs removed (a.Unset),
// which the image may give it.
func (b *Backend) execStep(a *engine.Attempt, words string) string {
	if words == "" {
		words = `"$@"`
	}
	if len(a.Unset) == 0 {
		return "exec " + words
	}
	step, left := taskenv.ExecStep(a.Unset)
	if kept := taskenv.Kept(left); kept != "" {
		b.log.Warn(kept, "attempt", a.ID)
	}
	return "set -- " + words + "\n" + step
}

// podFrame is what every pod Borges makes for an attempt shares: the
// labels a restarted Borges (and `kubectl get pods -l`) finds it by, no
// restart (Borges owns retries), the host's network unless the block asks
// for another, no service account token, the placement and the sandbox
// volume. The caller adds its containers and annotations.
func (b *Backend) podFrame(a *engine.Attempt, name string, selector map[string]string, affinity *corev1.Affinity) *corev1.Pod {
	t := a.Task
	no := false
	grace := int64(10)
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: name,
			Labels: map[string]string{LabelOwner: b.owner, LabelDocument: labelValue(a.DocID), LabelBlock: labelValue(a.Block),
				LabelInstance: strconv.Itoa(a.Instance), LabelAttempt: strconv.Itoa(a.Number), LabelManaged: "borges"},
		},
		Spec: corev1.PodSpec{
			RestartPolicy:                 corev1.RestartPolicyNever,
			HostNetwork:                   t.Container == nil || t.Container.Network == "" || t.Container.Network == "host",
			AutomountServiceAccountToken:  &no,
			EnableServiceLinks:            &no,
			TerminationGracePeriodSeconds: &grace,
			NodeSelector:                  selector,
			Affinity:                      affinity,
			Volumes:                       []corev1.Volume{{Name: volume, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}},
		},
	}
}

// resources are a task's as requests: :cpu and :mem, :disk as ephemeral
// storage; :mem is also the memory limit (as the local backend's cgroup
// has it), a hard :cpu limit (#+borges_cpu_limit: hard) the CPU limit;
// :gpus as nvidia.com/gpu.
func resources(r plan.Resources) (corev1.ResourceRequirements, error) {
	req := corev1.ResourceList{}
	lim := corev1.ResourceList{}
	if r.CPUs > 0 {
		req[corev1.ResourceCPU] = *resource.NewMilliQuantity(max(1, int64(math.Ceil(r.CPUs*1000))), resource.DecimalSI)
	}
	if r.CPULimit > 0 {
		lim[corev1.ResourceCPU] = *resource.NewMilliQuantity(max(1, int64(math.Ceil(r.CPULimit*1000))), resource.DecimalSI)
	}
	if r.MemMB > 0 {
		q := *resource.NewQuantity(int64(math.Ceil(r.MemMB*(1<<20))), resource.BinarySI)
		req[corev1.ResourceMemory] = q
		lim[corev1.ResourceMemory] = q
	}
	if r.DiskMB > 0 {
		req[corev1.ResourceEphemeralStorage] = *resource.NewQuantity(int64(math.Ceil(r.DiskMB*(1<<20))), resource.BinarySI)
	}
	if r.GPUs > 0 {
		q := *resource.NewQuantity(int64(r.GPUs), resource.DecimalSI)
		req["nvidia.com/gpu"] = q
		lim["nvidia.com/gpu"] = q
	}
	return corev1.ResourceRequirements{Requests: req, Limits: lim}, nil
}

// placement turns :constraints into node selection: hostname==a is the
// node label kubernetes.io/hostname, any other field a node label of its
// name; == a node selector, != a node affinity NotIn. A regular
// expression (~) has no Kubernetes equivalent.
func placement(cs []plan.Constraint) (*corev1.Affinity, map[string]string, error) {
	if len(cs) == 0 {
		return nil, nil, nil
	}
	selector := map[string]string{}
	var not []corev1.NodeSelectorRequirement
	for _, c := range cs {
		key := c.Field
		if key == "hostname" {
			key = "kubernetes.io/hostname"
		}
		switch c.Op {
		case "==":
			if old, ok := selector[key]; ok && old != c.Value {
				return nil, nil, fmt.Errorf(":constraints %s==%s and %s==%s cannot both hold", c.Field, old, c.Field, c.Value)
			}
			selector[key] = c.Value
		case "!=":
			not = append(not, corev1.NodeSelectorRequirement{Key: key, Operator: corev1.NodeSelectorOpNotIn, Values: []string{c.Value}})
		default:
			return nil, nil, fmt.Errorf(":constraints %s%s%s: Kubernetes selects nodes by label values, not regular expressions (use == or !=)", c.Field, c.Op, c.Value)
		}
	}
	var affinity *corev1.Affinity
	if len(not) > 0 {
		affinity = &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: not}}}}}
	}
	if len(selector) == 0 {
		selector = nil
	}
	return affinity, selector, nil
}
