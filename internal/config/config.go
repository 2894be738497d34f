// Package config reads Borges' configuration: an Org file of in-buffer
// keywords (#+borges_port: 8888), the same kind of #+setupfile: the
// original Borges read. Flags given on the command line override it.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// Config is the server's configuration.
type Config struct {
	Bind        string // #+borges_bind
	Port        int    // #+borges_port
	MesosMaster string // #+mesos_master: selects the Mesos backend
	// #+mesos_principal, #+mesos_secret_file: framework authentication;
	// #+mesos_role, #+mesos_user, #+mesos_framework_name,
	// #+mesos_failover_timeout: the FrameworkInfo.
	MesosPrincipal       string
	MesosSecretFile      string
	MesosRole            string
	MesosUser            string
	MesosFrameworkName   string
	MesosFailoverTimeout time.Duration
	MesosCAFile          string // #+mesos_ca_file: CA certificates for https masters and agents
	DataDir              string // #+borges_data
	Token                string // #+borges_token
	TokenFile            string // #+borges_token_file
	LogFormat            string // #+borges_log_format: text or json
	LogLevel             string // #+borges_log_level: debug, info, warn, error
	CPUs                 float64
	MemMB                float64
	MaxBodyMB            float64
	DefaultCPUs          float64
	DefaultMem           float64
	// MaxOutput (#+borges_max_output:) is what is kept on disk of each
	// output stream of an attempt, in bytes; MaxResult
	// (#+borges_max_result:) what the results read of one block's output.
	MaxOutput int64
	MaxResult int64
	// Warnings are unknown keywords, for the log.
	Warnings []string
}

// Default is the embedded default: loopback, port 8888, the local backend.
func Default() Config {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return Config{Bind: "127.0.0.1", Port: 8888, DataDir: filepath.Join(home, ".borges"),
		LogFormat: "text", LogLevel: "info", MaxBodyMB: 8, MaxOutput: 1 << 30, MaxResult: 1 << 20}
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
	doc, err := org.Parse(text)
	if err != nil {
		return base, err
	}
	c := base
	var problems []string
	bad := func(k org.Keyword, why string) {
		problems = append(problems, fmt.Sprintf("line %d: #+%s: %q %s", k.Line, k.Key, k.Value, why))
	}
	number := func(k org.Keyword, dst *float64, what string) {
		f, err := strconv.ParseFloat(k.Value, 64)
		if err != nil || f <= 0 {
			bad(k, "is not "+what)
			return
		}
		*dst = f
	}
	for _, k := range doc.Keywords {
		switch key := strings.ToLower(k.Key); key {
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
			c.MesosSecretFile = expandHome(k.Value)
		case "mesos_ca_file":
			c.MesosCAFile = expandHome(k.Value)
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
		case "borges_data":
			if k.Value == "" {
				bad(k, "is empty")
				continue
			}
			c.DataDir = expandHome(k.Value)
		case "borges_token":
			if len(k.Value) < 16 {
				bad(k, "is too short: use at least 16 characters")
				continue
			}
			c.Token = k.Value
		case "borges_token_file":
			c.TokenFile = expandHome(k.Value)
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
		default:
			if !orgKeywords[key] {
				c.Warnings = append(c.Warnings, fmt.Sprintf("line %d: unknown keyword #+%s ignored", k.Line, k.Key))
			}
		}
	}
	if len(problems) > 0 {
		return base, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return c, nil
}

// Load reads a configuration file over base.
func Load(path string, base Config) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return base, err
	}
	c, err := Parse(string(data), base)
	if err != nil {
		return base, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

func expandHome(p string) string {
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[2:])
		}
	}
	return p
}
