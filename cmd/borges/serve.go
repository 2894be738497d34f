package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/wallyqs/borges/internal/api"
	"github.com/wallyqs/borges/internal/backend/local"
	"github.com/wallyqs/borges/internal/backend/mesos"
	"github.com/wallyqs/borges/internal/config"
	"github.com/wallyqs/borges/internal/datadir"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

func init() {
	register("serve", command{summary: "run the server (the default when no command is given)", run: runServe})
}

func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	cfg, code := serveConfig(args, stdout, stderr)
	if code >= 0 {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := cfg.log
	if err := serve(ctx, cfg, log, stderr); err != nil {
		log.Error("borges stopped", "err", err)
		return 1
	}
	return 0
}

// settings is the server's configuration read whole and found good, the
// files it names read: what serve starts from.
type settings struct {
	config.Config
	mesosSecret string      // of #+mesos_secret_file:
	mesosTLS    *tls.Config // of #+mesos_ca_file: (nil: the system's roots)
	kube        *kubeConn   // the cluster of #+kubernetes: (nil: none)
	ln          net.Listener
	log         *slog.Logger
}

// serveConfig reads the server's configuration: the file of -f, then the
// flags over it (the file read and its unknown keywords warned of, in the
// log, before anything else may fail), then the files they name (the
// token's, Mesos' secret and CA, the kubeconfig). Only once all of it is
// read and good, and the server's address is held (its listener), is the
// data directory made (bad input gets a clear error, exit 2, and nothing
// is left half-done: no DATA made, no token told of, for a server that
// does not start). It returns an exit code when the server is not to run
// (else -1, the listener then the caller's to close).
func serveConfig(args []string, stdout, stderr io.Writer) (settings, int) {
	fs := flag.NewFlagSet("borges", flag.ContinueOnError)
	file := fs.String("f", "", "configuration file (an Org setupfile of #+borges_… keywords; default none)")
	bind := fs.String("bind", "", "address to listen on (#+borges_bind; default 127.0.0.1)")
	port := fs.Int("port", 0, "port to listen on (#+borges_port; default 8888)")
	data := fs.String("data", "", "data directory (#+borges_data; default ~/.borges)")
	token := fs.String("token", "", "bearer token clients must send (#+borges_token; default: none on loopback, else one made and saved in the data directory)")
	master := fs.String("mesos_master", "", "Mesos master (#+mesos_master; default none: tasks run on this machine)")
	cpus := fs.Float64("cpus", 0, "CPUs the local backend runs at once (#+borges_cpus; default all of the machine's)")
	mem := fs.Float64("mem", 0, "MB of memory the local backend runs at once (#+borges_mem; default all of the machine's)")
	fs.Bool("logtostderr", true, "accepted for compatibility: logs always go to standard error")
	if ok, code := parseOrHelp(fs, args, "usage: borges [-f borges-config.org] [flags]", stdout, stderr); !ok {
		return settings{}, code
	}
	stop := func(format string, a ...any) (settings, int) {
		fmt.Fprintf(stderr, "borges: "+format+"\n", a...)
		return settings{}, 2
	}
	cfg := config.Default()
	if *file != "" {
		var err error
		if cfg, err = config.Load(*file, cfg); err != nil {
			return stop("%v", err)
		}
	}
	var dataErr error
	tokenGiven := false
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "bind":
			cfg.Bind = *bind
		case "port":
			cfg.Port = *port
		case "data":
			// -data=~/x: no shell expands that ~ (as a keyword's).
			cfg.DataDir, dataErr = config.ExpandHome(*data)
		case "token":
			cfg.Token, cfg.TokenFile, tokenGiven = *token, "", true
		case "mesos_master":
			cfg.MesosMaster = *master
		case "cpus":
			cfg.CPUs = *cpus
		case "mem":
			cfg.MemMB = *mem
		}
	})
	log := newLogger(cfg, stderr)
	if *file != "" {
		log.Info("read configuration", "setupfile", *file)
	}
	for _, w := range cfg.Warnings {
		log.Warn(w)
	}
	if dataErr != nil {
		return stop("-data %q %v", *data, dataErr)
	}
	// -token "" is a token too short, not "no token": it would turn off
	// the file's token on loopback.
	if tokenGiven {
		if err := config.CheckToken(cfg.Token); err != nil {
			return stop("the token of -token %v", err)
		}
	}
	if cfg.Kubernetes != "" && cfg.MesosMaster != "" {
		// The file's own conflict is Load's: this is -mesos_master's.
		return stop("%s and -mesos_master both name a cluster: give one of them", cfg.Source("kubernetes"))
	}
	s := settings{Config: cfg, log: log}
	if cfg.TokenFile != "" {
		// Read once, here: the server uses what it read.
		tok, err := readTokenFile(cfg.TokenFile)
		if err != nil {
			return stop("%s %v", cfg.Source("borges_token_file"), err)
		}
		s.Token, s.TokenFile = tok, ""
	}
	// * serves any Host: without a token, on loopback (elsewhere one is
	// always required), that would answer a page on any name that
	// resolves to 127.0.0.1 (DNS rebinding).
	if slices.Contains(s.AllowedHosts, "*") && s.Token == "" && api.IsLoopback(s.Addr()) {
		return stop("%s * (any Host) needs a token (#+borges_token:, #+borges_token_file: or -token): without one, any page on a name that resolves to %s could use Borges (DNS rebinding)", s.Source("borges_allowed_hosts"), s.Bind)
	}
	if cfg.MesosMaster != "" {
		var err error
		if s.mesosSecret, s.mesosTLS, err = mesosFiles(cfg); err != nil {
			return stop("%v", err)
		}
	} else if cfg.Kubernetes != "" {
		var err error
		if s.kube, err = kubeConnect(cfg); err != nil {
			return stop("%v", err)
		}
	}
	// Held before anything is made: a server that cannot listen (an
	// address in use, or no interface's) makes no DATA and no token.
	ln, err := net.Listen("tcp", cfg.Addr())
	if err != nil {
		return stop("cannot listen on %s (-bind, -port, #+borges_bind:, #+borges_port:): %v", cfg.Addr(), err)
	}
	s.ln = ln
	// Made, the last of all, and resolved once for all, as the local
	// backend resolves DATA (datadir.Make): absolute,
	// so what the server says of its data directory (the token it made,
	// the store's errors, the logs) names it the same to a reader
	// elsewhere, and with no link, so that the store and the token are
	// in the directory the backend's DATA is (a ".." after a link is the
	// parent of where it leads: no lexical cleaning before). A relative
	// #+borges_data: of a file is already relative to the file
	// (config.Load).
	abs, err := datadir.Make(s.DataDir)
	if err != nil {
		ln.Close()
		return stop("data directory: %v", err)
	}
	s.DataDir = abs
	return s, -1
}

// mesosFiles reads the files of #+mesos_secret_file: and #+mesos_ca_file:.
func mesosFiles(cfg config.Config) (secret string, tlsConf *tls.Config, err error) {
	if cfg.MesosSecretFile != "" {
		data, err := os.ReadFile(cfg.MesosSecretFile)
		if err != nil {
			return "", nil, fmt.Errorf("%s %w", cfg.Source("mesos_secret_file"), err)
		}
		secret = strings.TrimSpace(string(data))
	}
	if cfg.MesosCAFile != "" {
		pem, err := os.ReadFile(cfg.MesosCAFile)
		if err != nil {
			return "", nil, fmt.Errorf("%s %w", cfg.Source("mesos_ca_file"), err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return "", nil, fmt.Errorf("%s %s: no PEM certificate in it", cfg.Source("mesos_ca_file"), cfg.MesosCAFile)
		}
		tlsConf = &tls.Config{RootCAs: pool}
	}
	return secret, tlsConf, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// engineStopWait bounds how long a stopping server waits for the engine
// to store what it holds.
const engineStopWait = time.Minute

// serve runs the server until ctx ends.
func serve(ctx context.Context, cfg settings, log *slog.Logger, stderr io.Writer) (err error) {
	ln := cfg.ln
	defer ln.Close() // srv.Serve's once serving: closed twice then, harmlessly
	// cfg.DataDir is made and resolved (serveConfig), as local.New
	// resolves it.
	token, err := resolveToken(cfg.Config, log, stderr)
	if err != nil {
		return err
	}
	st, err := store.Open(filepath.Join(cfg.DataDir, "borges.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	var backend engine.Backend
	if cfg.kube != nil {
		kb, where, err := newKube(cfg.kube, cfg.Config, st, log)
		if err != nil {
			return err
		}
		log.Info("Kubernetes backend", "cluster", where, "namespace", kb.Namespace(), "owner", kb.Owner())
		backend = kb
	} else if cfg.MesosMaster != "" {
		mb, err := mesos.New(mesos.Config{Master: cfg.MesosMaster, TLS: cfg.mesosTLS, Name: cfg.MesosFrameworkName, User: cfg.MesosUser,
			Role: cfg.MesosRole, Principal: cfg.MesosPrincipal, Secret: cfg.mesosSecret, Hostname: cfg.Bind,
			WebUIURL: "http://" + cfg.Addr() + "/", FailoverTimeout: cfg.MesosFailoverTimeout, Store: st, Logger: log,
			OutputDir: filepath.Join(cfg.DataDir, "mesos-output"), UnreachableGrace: cfg.MesosUnreachable,
			Executor: cfg.MesosExecutor, ExecutorIdle: cfg.MesosExecutorIdle})
		if err != nil {
			return err
		}
		log.Info("Mesos backend", "master", cfg.MesosMaster)
		backend = mb
	} else {
		// Only a static borges checks a container's mounts from inside;
		// the local backend warns at its first container otherwise
		// (local/mountcheck.go).
		helper := staticSelf()
		lb, err := local.New(local.Config{DataDir: cfg.DataDir, Capacity: plan.Resources{CPUs: cfg.CPUs, MemMB: cfg.MemMB},
			MaxOutput: cfg.MaxOutput, UnsetHelper: helper, Logger: log})
		if err != nil {
			return err
		}
		defer lb.Close()
		capacity, _ := lb.Capacity()
		log.Info("local backend", "cpus", capacity.CPUs, "mem_mb", int(capacity.MemMB), "enforcement", lb.Enforcement())
		backend = lb
	}
	eng := engine.New(engine.Config{Backend: backend, Store: st, Logger: log, MaxTracked: cfg.MaxTracked,
		MaxResultBytes: int(min(cfg.MaxResult, 1<<40)),
		Keep:           engine.Retention{For: cfg.KeepFor, Count: cfg.KeepCount},
		Plan: plan.Options{DefaultCPUs: cfg.DefaultCPUs, DefaultMemMB: cfg.DefaultMem, DefaultPids: cfg.DefaultPids,
			HardCPULimit: cfg.HardCPULimit, MaxPorts: cfg.MaxPorts, MaxInstances: cfg.MaxInstances, MaxTasks: cfg.MaxTasks}})
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if err := eng.Metrics().Register(reg); err != nil {
		return err
	}
	engCtx, cancel := context.WithCancel(context.Background())
	// At the end the engine stops, and its writer has stored what it
	// held (the launches under way made), before the backend and the
	// store close. Bounded: a launch that hangs (a cluster that does not
	// answer) does not keep the server from exiting; it says so.
	defer func() {
		cancel()
		select {
		case <-eng.Stopped():
		case <-time.After(engineStopWait):
			err = errors.Join(err, fmt.Errorf("the engine did not stop within %v: what it held may not be stored (a restart learns an end again from the backend: Mesos resends an end not acknowledged, which it acknowledges only once stored)", engineStopWait))
		}
	}()
	if err := eng.Start(engCtx); err != nil {
		return err
	}
	handler := api.NewHandler(eng, api.Options{Token: token, MaxBody: int64(cfg.MaxBodyMB * (1 << 20)), Logger: log, Registry: reg,
		Bind: cfg.Bind, Port: ln.Addr().(*net.TCPAddr).Port, AllowedHosts: cfg.AllowedHosts})
	srv := api.NewServer(cfg.Addr(), handler)
	log.Info("API server running at " + ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down; running tasks keep running and are picked up at the next start")
	shutdownCtx, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// resolveToken decides the bearer token: the configured one; else, on a
// non-loopback address, the one stored in the data directory, generated
// and printed once on first start.
func resolveToken(cfg config.Config, log *slog.Logger, stderr io.Writer) (string, error) {
	if cfg.Token != "" {
		return cfg.Token, nil
	}
	if cfg.TokenFile != "" {
		tok, err := readTokenFile(cfg.TokenFile)
		if err != nil {
			return "", fmt.Errorf("%s %w", cfg.Source("borges_token_file"), err)
		}
		return tok, nil
	}
	path := filepath.Join(cfg.DataDir, "token")
	if api.IsLoopback(cfg.Addr()) {
		return "", nil
	}
	if data, err := os.ReadFile(path); err == nil {
		tok := strings.TrimSpace(string(data))
		if err := config.CheckToken(tok); err != nil {
			return "", fmt.Errorf("the stored token in %s %v (remove the file to have a new one made)", path, err)
		}
		log.Info("bearer token required; it is in the data directory", "file", path)
		return tok, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("the stored token: %w", err)
	}
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(b[:])
	if err := os.WriteFile(path, []byte(tok+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("storing the token: %w", err)
	}
	fmt.Fprintf(stderr, "borges: listening on %s, which is not loopback: clients need this bearer token (saved in %s):\n%s\n", cfg.Addr(), path, tok)
	return tok, nil
}

// readTokenFile reads the token of #+borges_token_file: and checks it
// (the error is the caller's to say where the keyword is).
func readTokenFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(data))
	if err := config.CheckToken(tok); err != nil {
		return "", fmt.Errorf("the token in %s %v", path, err)
	}
	return tok, nil
}
