package mesos

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
)

// startZooKeeper runs a standalone ZooKeeper (Debian's zookeeper package)
// on a free loopback port for the test.
func startZooKeeper(t *testing.T) string {
	t.Helper()
	java := outside.Need(t, "zookeeper", "java")
	const jar = "/usr/share/java/zookeeper.jar"
	if _, err := os.Stat(jar); err != nil {
		outside.Missing(t, "%s not found (install the Debian package zookeeper)", jar)
	}
	// Below the ephemeral range: the JVM binds it seconds later, while
	// the real-Mesos tests running beside this one make connections.
	port, err := outside.ServerPort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "zoo.cfg")
	os.WriteFile(cfg, []byte(fmt.Sprintf("tickTime=500\ndataDir=%s\nclientPort=%d\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n", filepath.Join(dir, "data"), port)), 0o644)
	cmd := exec.Command(java, "-cp", "/etc/zookeeper/conf:"+jar, "org.apache.zookeeper.server.ZooKeeperServerMain", cfg)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := "127.0.0.1:" + strconv.Itoa(port)
	// Ready when a session answers, not merely when the port is open.
	for i := 0; i < 300; i++ {
		if ready(addr) {
			return addr
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("ZooKeeper did not start")
	return ""
}

// register announces a fake master under path as a Mesos master does.
func register(t *testing.T, conn *zk.Conn, path string, m *mesostest.Master) string {
	t.Helper()
	u := strings.TrimPrefix(m.URL(), "http://")
	host, portStr, _ := net.SplitHostPort(u)
	port, _ := strconv.Atoi(portStr)
	info, _ := json.Marshal(map[string]any{"hostname": host, "port": port,
		"address": map[string]any{"hostname": host, "ip": host, "port": port}})
	node, err := conn.Create(path+"/json.info_", info, zk.FlagEphemeral|zk.FlagSequence, zk.WorldACL(zk.PermAll))
	if err != nil {
		t.Fatal(err)
	}
	return node
}

// TestZooKeeperDetection: zk://…/mesos leads to the master registered
// first; when it steps down and a new one leads, the framework follows.
func TestZooKeeperDetection(t *testing.T) {
	addr := startZooKeeper(t)
	conn, _, err := zk.Connect([]string{addr}, 5*time.Second, zk.WithLogInfo(false), zk.WithLogger(quiet{}))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Create("/mesos", nil, 0, zk.WorldACL(zk.PermAll)); err != nil {
		t.Fatal(err)
	}
	a := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}})
	defer a.Close()
	bm := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}})
	defer bm.Close()
	nodeA := register(t, conn, "/mesos", a)

	b := startBorges(t, "zk://"+addr+"/mesos", t.TempDir())
	defer b.stop()
	v, _ := b.eng.Submit(context.Background(), "#+name: one\n#+begin_src sh\necho one\n#+end_src\n")
	waitFor(t, "one finished on the first master", func() bool { return blockState(t, b.eng, v.ID, "one").State == engine.Finished })
	if len(a.Tasks()) != 1 {
		t.Fatalf("first master ran %d tasks", len(a.Tasks()))
	}

	// The first master steps down; the second leads.
	register(t, conn, "/mesos", bm)
	if err := conn.Delete(nodeA, -1); err != nil {
		t.Fatal(err)
	}
	a.DropStream()
	v2, _ := b.eng.Submit(context.Background(), "#+name: two\n#+begin_src sh\necho two\n#+end_src\n")
	waitFor(t, "two finished on the new leader", func() bool { return blockState(t, b.eng, v2.ID, "two").State == engine.Finished })
	if len(bm.Tasks()) != 1 {
		t.Fatalf("new leader ran %d tasks", len(bm.Tasks()))
	}
}

func ready(addr string) bool {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return false
	}
	c.Close()
	conn, events, err := zk.Connect([]string{addr}, time.Second, zk.WithLogInfo(false), zk.WithLogger(quiet{}))
	if err != nil {
		return false
	}
	defer conn.Close()
	timeout := time.After(2 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.State == zk.StateHasSession {
				return true
			}
		case <-timeout:
			return false
		}
	}
}

type quiet struct{}

func (quiet) Printf(string, ...any) {}
