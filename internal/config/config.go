// Package config reads Borges' configuration: an Org file of in-buffer
// keywords (#+borges_port: 8888), the same kind of #+setupfile: the
// original Borges read. Flags given on the command line override it.
package config

import (
	"fmt"
	"maps"
	"math"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/wallyqs/borges/internal/datadir"
	"github.com/wallyqs/borges/internal/org"
)

// Config is the server's configuration.
type Config struct {
	Bind        string // #+borges_bind
	Port        int    // #+borges_port
	MesosMaster string // #+mesos_master: selects the Mesos backend
	// #+mesos_principal, #+mesos_secret_file: framework authentication;
	// #+mesos_role, #+mesos_user, #+mesos_framework_name,
	// #+mesos_failover_timeout: the FrameworkInfo; #+mesos_unreachable_grace
	// (MesosUnreachable): how long an unreachable task is waited for.
	MesosPrincipal       string
	MesosSecretFile      string
	MesosRole            string
	MesosUser            string
	MesosFrameworkName   string
	MesosFailoverTimeout time.Duration
	MesosUnreachable     time.Duration
	MesosCAFile          string // #+mesos_ca_file: CA certificates for https masters and agents
	// #+mesos_executor: the path of a borges binary on the agents, run as
	// Borges' executor (one per agent for every task not in a container);
	// empty: a command executor per task.
	MesosExecutor string
	// #+mesos_executor_idle: how long an executor with no task stays.
	MesosExecutorIdle time.Duration
	DataDir           string // #+borges_data
	Token             string // #+borges_token
	TokenFile         string // #+borges_token_file
	LogFormat         string // #+borges_log_format: text or json
	LogLevel          string // #+borges_log_level: debug, info, warn, error
	CPUs              float64
	MemMB             float64
	MaxBodyMB         float64
	DefaultCPUs       float64
	DefaultMem        float64
	// AllowedHosts are Host names served besides the loopback names and
	// the bind address (#+borges_allowed_hosts: "name", "name:port", "*").
	AllowedHosts []string
	// #+borges_max_ports, #+borges_max_instances (a block),
	// #+borges_max_tasks (a document), #+borges_max_tracked (the server's
	// task instances, beyond which POST answers 503); zero means the
	// defaults of plan.DefaultOptions and engine.DefaultMaxTracked.
	MaxPorts     int
	MaxInstances int
	MaxTasks     int
	MaxTracked   int
	DefaultPids  int  // #+borges_default_pids: the most processes a block without :pids may have
	HardCPULimit bool // #+borges_cpu_limit: hard: a block's :cpu also caps it
	// #+borges_keep: ended documents older than KeepFor, and the ended
	// documents beyond the newest KeepCount, are removed in the
	// background; zero keeps them.
	KeepFor   time.Duration
	KeepCount int
	// MaxOutput (#+borges_max_output:) is what is kept on disk of each
	// output stream of an attempt, in bytes; MaxResult
	// (#+borges_max_result:) what the results read of one block's output.
	MaxOutput int64
	MaxResult int64

	// Kubernetes selects the Kubernetes backend (#+kubernetes:):
	// "in-cluster" (the pod's service account) or "kubeconfig"
	// (KubeConfig, default $KUBECONFIG or ~/.kube/config, with
	// KubeContext, default its current context); #+kube_config: alone
	// selects it too. KubeNamespace (#+kube_namespace:, default
	// "default") holds the pods; KubeDefaultImage (#+kube_default_image:)
	// runs the blocks that name no :image. KubeNodeLostGrace
	// (#+kube_node_lost_grace:, default 5m) is how long a pod's node may
	// be not ready before the pod is taken as lost.
	Kubernetes        string
	KubeConfig        string
	KubeContext       string
	KubeNamespace     string
	KubeDefaultImage  string
	KubeNodeLostGrace time.Duration

	// Warnings are unknown keywords, for the log.
	Warnings []string
	// sources are where the keywords read were, by name in lower case
	// (Source).
	sources map[string]string
}

// Source is where keyword key (lower case, no "#+") was read, for an
// error about its value found after (a file it names that cannot be
// read): "FILE: line N: #+key:", "line N: #+key:" of a text with no
// file, "#+key:" where none was read.
func (c Config) Source(key string) string {
	if s, ok := c.sources[key]; ok {
		return s
	}
	return "#+" + key + ":"
}

// Default is the embedded default: loopback, port 8888, the local backend.
func Default() Config {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return Config{Bind: "127.0.0.1", Port: 8888, DataDir: filepath.Join(home, ".borges"),
		LogFormat: "text", LogLevel: "info", MaxBodyMB: 8, MaxOutput: 1 << 30, MaxResult: 16 << 20}
}

// Addr is the listen address.
func (c Config) Addr() string {
	return fmt.Sprintf("%s:%d", c.Bind, c.Port)
}

// orgKeywords are keywords any Org file may carry; they are not warned
// about.
var orgKeywords = map[string]bool{
	"title": true, "author": true, "email": true, "date": true, "startup": true, "options": true,
	"property": true, "setupfile": true, "description": true, "language": true, "keywords": true,
	"filetags": true, "include": true, "todo": true, "name": true, "caption": true,
}

// Parse reads a configuration text over base. Every bad value is reported,
// each naming its line; unknown keywords are warnings.
func Parse(text string, base Config) (Config, error) {
	return parse(text, base, "", "")
}

// parse is Parse of the text of file, in directory dir ("": none), which
// a relative path keyword is relative to.
func parse(text string, base Config, file, dir string) (Config, error) {
	doc, err := org.Parse(text)
	if err != nil {
		return base, err
	}
	c := base
	c.sources = maps.Clone(base.sources)
	if c.sources == nil {
		c.sources = map[string]string{}
	}
	var problems []string
	bad := func(k org.Keyword, why string) {
		problems = append(problems, fmt.Sprintf("line %d: #+%s: %q %s", k.Line, k.Key, k.Value, why))
	}
	number := func(k org.Keyword, dst *float64, what string) {
		f, err := strconv.ParseFloat(k.Value, 64)
		if err != nil || f <= 0 || !decimalRe.MatchString(k.Value) || math.IsInf(f, 0) {
			bad(k, "is not "+what)
			return
		}
		*dst = f
	}
	path := func(k org.Keyword, dst *string) bool {
		p, err := filePath(k.Value, dir)
		if err != nil {
			bad(k, err.Error())
			return false
		}
		*dst = p
		return true
	}
	count := func(k org.Keyword, dst *int) {
		n, err := strconv.Atoi(k.Value)
		if err != nil || n < 1 {
			bad(k, "is not a whole number ≥ 1")
			return
		}
		*dst = n
	}
	for _, k := range doc.Keywords {
		key := strings.ToLower(k.Key)
		c.sources[key] = fmt.Sprintf("line %d: #+%s:", k.Line, k.Key)
		if file != "" {
			c.sources[key] = file + ": " + c.sources[key]
		}
		switch key {
		case "borges_bind":
			if k.Value == "" || strings.ContainsAny(k.Value, " /") {
				bad(k, "is not a host or address")
				continue
			}
			c.Bind = k.Value
		case "borges_port":
			p, err := strconv.Atoi(k.Value)
			if err != nil || p < 1 || p > 65535 {
				bad(k, "is not a port (1-65535)")
				continue
			}
			c.Port = p
		case "mesos_master":
			if k.Value == "" {
				bad(k, "is empty: give host:port, a list, or zk://…")
				continue
			}
			c.MesosMaster = k.Value
		case "mesos_principal":
			c.MesosPrincipal = k.Value
		case "mesos_secret_file":
			path(k, &c.MesosSecretFile)
		case "mesos_ca_file":
			path(k, &c.MesosCAFile)
		case "mesos_role":
			c.MesosRole = k.Value
		case "mesos_user":
			c.MesosUser = k.Value
		case "mesos_framework_name":
			c.MesosFrameworkName = k.Value
		case "mesos_failover_timeout":
			d, err := time.ParseDuration(k.Value)
			if err != nil || d <= 0 {
				bad(k, "is not a duration (e.g. 168h)")
				continue
			}
			c.MesosFailoverTimeout = d
		case "mesos_executor":
			if !strings.HasPrefix(k.Value, "/") {
				bad(k, "is not an absolute path on the agents")
				continue
			}
			c.MesosExecutor = k.Value
		case "mesos_executor_idle":
			d, err := time.ParseDuration(k.Value)
			if err != nil || d <= 0 {
				bad(k, "is not a duration (e.g. 60s)")
				continue
			}
			c.MesosExecutorIdle = d
		case "mesos_unreachable_grace":
			d, err := time.ParseDuration(k.Value)
			if err != nil || d <= 0 {
				bad(k, "is not a duration (e.g. 5m)")
				continue
			}
			c.MesosUnreachable = d
		case "kubernetes":
			if k.Value != "in-cluster" && k.Value != "kubeconfig" {
				bad(k, "is not in-cluster or kubeconfig")
				continue
			}
			c.Kubernetes = k.Value
		case "kube_config":
			if k.Value == "" {
				bad(k, "is empty: give the path of a kubeconfig file")
				continue
			}
			if path(k, &c.KubeConfig) && c.Kubernetes == "" {
				c.Kubernetes = "kubeconfig"
			}
		case "kube_context":
			c.KubeContext = k.Value
		case "kube_namespace":
			if !namespaceRe.MatchString(k.Value) {
				bad(k, "is not a namespace name")
				continue
			}
			c.KubeNamespace = k.Value
		case "kube_default_image":
			if k.Value == "" || strings.ContainsAny(k.Value, " \t") {
				bad(k, "is not an image reference")
				continue
			}
			c.KubeDefaultImage = k.Value
		case "kube_node_lost_grace":
			d, err := time.ParseDuration(k.Value)
			if err != nil || d <= 0 {
				bad(k, "is not a duration (e.g. 5m)")
				continue
			}
			c.KubeNodeLostGrace = d
		case "borges_data":
			if k.Value == "" {
				bad(k, "is empty")
				continue
			}
			path(k, &c.DataDir)
		case "borges_token":
			if err := CheckToken(k.Value); err != nil {
				bad(k, err.Error())
				continue
			}
			if c.TokenFile != "" {
				bad(k, "and #+borges_token_file: give one of them")
				continue
			}
			c.Token = k.Value
		case "borges_token_file":
			if k.Value == "" {
				bad(k, "is empty: give the path of a file holding the token")
				continue
			}
			if c.Token != "" {
				bad(k, "and #+borges_token: give one of them")
				continue
			}
			path(k, &c.TokenFile)
		case "borges_allowed_hosts":
			hosts, err := parseHosts(k.Value)
			if err != nil {
				bad(k, err.Error())
				continue
			}
			c.AllowedHosts = append(c.AllowedHosts, hosts...)
		case "borges_log_format":
			if k.Value != "text" && k.Value != "json" {
				bad(k, "is not text or json")
				continue
			}
			c.LogFormat = k.Value
		case "borges_log_level":
			switch k.Value {
			case "debug", "info", "warn", "error":
				c.LogLevel = k.Value
			default:
				bad(k, "is not debug, info, warn or error")
			}
		case "borges_cpus":
			number(k, &c.CPUs, "a positive number of CPUs")
		case "borges_mem":
			number(k, &c.MemMB, "a positive number of MB")
		case "borges_max_body":
			number(k, &c.MaxBodyMB, "a positive number of MB")
		case "borges_max_output", "borges_max_result":
			n, err := ParseSize(k.Value)
			if err != nil {
				bad(k, err.Error())
				continue
			}
			if key == "borges_max_output" {
				c.MaxOutput = n
			} else {
				c.MaxResult = n
			}
		case "borges_default_cpu":
			number(k, &c.DefaultCPUs, "a positive number of CPUs")
		case "borges_default_mem":
			number(k, &c.DefaultMem, "a positive number of MB")
		case "borges_max_ports":
			count(k, &c.MaxPorts)
		case "borges_max_instances":
			count(k, &c.MaxInstances)
		case "borges_max_tasks":
			count(k, &c.MaxTasks)
		case "borges_max_tracked":
			count(k, &c.MaxTracked)
		case "borges_default_pids":
			n, err := strconv.Atoi(k.Value)
			if err != nil || n < 1 {
				bad(k, "is not a whole number of processes (1 or more)")
				continue
			}
			c.DefaultPids = n
		case "borges_keep":
			age, n, err := parseKeep(k.Value)
			if err != nil {
				bad(k, err.Error())
				continue
			}
			c.KeepFor, c.KeepCount = age, n
		case "borges_cpu_limit":
			switch k.Value {
			case "hard", "none":
				c.HardCPULimit = k.Value == "hard"
			default:
				bad(k, "is not hard or none")
			}
		default:
			if !orgKeywords[key] {
				c.Warnings = append(c.Warnings, fmt.Sprintf("line %d: unknown keyword #+%s ignored", k.Line, k.Key))
			}
		}
	}
	if c.Kubernetes != "" && c.MesosMaster != "" {
		problems = append(problems, "#+kubernetes: and #+mesos_master: both name a cluster: give one of them")
	}
	if len(problems) > 0 {
		// The unknown keywords with them: a misspelt one often explains
		// a bad value (the warnings are not logged, the text not read).
		return base, fmt.Errorf("%s", strings.Join(append(problems, c.Warnings[len(base.Warnings):]...), "\n"))
	}
	return c, nil
}

// namespaceRe is a Kubernetes namespace name (a DNS label).
var namespaceRe = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)

// decimalRe is a number as a person writes it (strconv.ParseFloat also
// takes "NaN", "Inf" and hexadecimal).
var decimalRe = regexp.MustCompile(`^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// Load reads a configuration file over base. A relative path keyword
// (#+borges_data:, #+borges_token_file:, #+mesos_secret_file:,
// #+mesos_ca_file:, #+kube_config:) is relative to the file's directory,
// not to the working directory (filePath).
func Load(path string, base Config) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return base, err
	}
	// The file as read: a relative name from the kernel's working
	// directory. Its directory is then its name's, up to the last slash.
	abs, err := datadir.Abs(path)
	if err != nil {
		return base, fmt.Errorf("%s: its directory: %w", path, err)
	}
	c, err := parse(string(data), base, path, filepath.Dir(abs))
	if err != nil {
		return base, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// MinTokenLength is the shortest bearer token Borges accepts, from any
// source.
const MinTokenLength = 16

// CheckToken says what is wrong with a bearer token, whatever its source:
// it must have MinTokenLength characters or more, all visible ASCII (a
// token with spaces or control characters cannot be sent as it is in an
// Authorization header).
func CheckToken(tok string) error {
	if strings.TrimSpace(tok) == "" {
		return fmt.Errorf("is empty")
	}
	for _, r := range tok {
		if r <= ' ' || r > '~' {
			return fmt.Errorf("has a character that is not visible ASCII (%q): a token is sent as it is in an HTTP header", r)
		}
	}
	if len(tok) < MinTokenLength {
		return fmt.Errorf("is too short (%d characters): use at least %d", len(tok), MinTokenLength)
	}
	return nil
}

// parseHosts reads #+borges_allowed_hosts: names separated by spaces or
// commas, each a host name or address, with a port or not, or "*".
func parseHosts(v string) ([]string, error) {
	fields := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(fields) == 0 {
		return nil, fmt.Errorf("is empty: give host names (name or name:port), or *")
	}
	for _, f := range fields {
		if f == "*" {
			continue
		}
		if strings.Contains(f, "://") || strings.ContainsAny(f, "/?#@") {
			return nil, fmt.Errorf("has %q, which is not a host name: give name or name:port, no scheme or path", f)
		}
		if host, port, err := net.SplitHostPort(f); err == nil {
			if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 || host == "" {
				return nil, fmt.Errorf("has %q, whose port is not 1-65535", f)
			}
		}
	}
	return fields, nil
}

// filePath is the path a keyword's value names in a file of directory
// dir ("": a text with no file, the value as it is), as Emacs's
// expand-file-name names it in a buffer visiting the file (whose
// default-directory is dir): "~" and "~/…" are the home directory
// (ExpandHome), a relative path is joined to dir, lexically (a ".." takes
// away the name before it, even a link's: "link/../x" is dir/x, not x
// beside where the link leads); an absolute path is as it is, the
// kernel's to resolve. "" stays "".
func filePath(v, dir string) (string, error) {
	p, err := ExpandHome(v)
	if err != nil || p == "" || filepath.IsAbs(p) || dir == "" {
		return p, err
	}
	return filepath.Join(dir, p), nil
}

// ExpandHome reads a leading ~ of a path as Emacs's expand-file-name
// does, in a configuration file and after "-flag=" too, where no shell
// expands it: "~" and "~/…" are the home directory, which must be known,
// the rest joined to it lexically ("~/link/../d" is ~/d). "~user" is
// refused, not taken as a directory named so: Borges does not look
// users up.
func ExpandHome(p string) (string, error) {
	if !strings.HasPrefix(p, "~") {
		return p, nil
	}
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return "", fmt.Errorf("starts with ~ and a user's name, which Borges does not expand: give the path")
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", fmt.Errorf("starts with ~, but no home directory is known ($HOME is not set)")
	}
	return filepath.Join(home, p[1:]), nil
}
